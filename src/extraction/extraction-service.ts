/**
 * @module extraction/extraction-service
 * Text extractions in watsonx.ai's shape: a request names a document and a results file in the
 * project's files (`document_reference` / `results_reference`, `location.file_name` or `path`),
 * Keel records it and queues a `text.extraction` job; the job reads the document, extracts it
 * (see extract-document.ts) and writes Markdown, or JSON when the results file ends in `.json` or
 * `assembly_json` was asked for. Status, page count and any coded error come back in `results`.
 * A delete cancels the job and hides the extraction; every create and delete is audited.
 * `results_reference.location.collection` (Keel) names a RAG collection of the project as well: the
 * job then adds the Markdown (tables as tables, pages marked) to that collection, so a document
 * goes into RAG through extraction rather than the collection's own loaders, chosen per document.
 */
import type { AuditLog } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { Logger } from '../core/logger.js';
import type { JobService } from '../jobs/index.js';
import type { RagService } from '../rag/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { FileStoreV1 } from '../spec/file-store.js';
import { extractDocument, toMarkdown } from './extract-document.js';
import { JobResourceTable } from './job-resource-table.js';
import { iso, jobError, resourceMetadata, statusOf } from './job-resource-view.js';
import { ProjectFiles } from './project-files.js';

export const EXTRACTION_KIND = 'text.extraction';

export interface DataReference {
  type?: string | undefined;
  connection?: { id?: string | undefined; [key: string]: unknown } | undefined;
  location?:
    | {
        file_name?: string | undefined;
        path?: string | undefined;
        /** Keel: a RAG collection (id or name) of the project that ingests the Markdown. */
        collection?: string | undefined;
        [key: string]: unknown;
      }
    | undefined;
  [key: string]: unknown;
}

export interface CreateExtractionInput {
  document_reference: DataReference;
  results_reference: DataReference;
  steps?: Record<string, unknown> | undefined;
  assembly_json?: Record<string, unknown> | undefined;
  assembly_md?: Record<string, unknown> | undefined;
  custom?: Record<string, unknown> | undefined;
}

interface ExtractionRow {
  id: string;
  project_id: string;
  job_id: string;
  document_reference: DataReference;
  results_reference: DataReference;
  output_format: 'markdown' | 'json';
  request: Record<string, unknown>;
  created_at: Date | string;
}

interface ExtractionPayload {
  extraction_id: string;
  document: string;
  results: string;
  format: 'markdown' | 'json';
  collection?: string | undefined;
}

/** What the collection made of the extraction's Markdown. */
interface CollectionOutcome {
  collection: string;
  document: string;
  document_id: string | null;
  outcome: string;
  ingestion_job_id: string | null;
  error?: { code: string; message: string };
}

interface ExtractionOutcome {
  number_pages_processed: number;
  engine: string;
  media_type: string;
  tables: number;
  ocr: { available: boolean; pages: number[]; note?: string };
  warnings: string[];
  results_file: string;
  collection?: CollectionOutcome;
}

/** The file a reference names: `location.file_name`, else `location.path`. */
export function referencedFile(
  reference: DataReference,
  field: 'document_reference' | 'results_reference',
): string {
  const name = reference?.location?.file_name ?? reference?.location?.path;
  if (typeof name === 'string' && name.trim()) return name.trim();
  throw new KeelError('invalid_request', `${field}.location.file_name (or .path) is required.`, {
    issues: [
      { code: 'required', path: [field, 'location', 'file_name'], message: 'name a file of the project' },
    ],
  });
}

export interface TextExtractionDeps {
  db: DatabaseV1;
  jobs: JobService;
  audit: AuditLog;
  logger: Logger;
  dataDir: string;
  /** Where project files live; default the folder `<dataDir>/files`. */
  files?: FileStoreV1 | undefined;
  /** The RAG collections a result can be ingested into (`location.collection`). */
  rag?: RagService | undefined;
}

export class TextExtractionService {
  readonly files: FileStoreV1;

  readonly #table: JobResourceTable<ExtractionRow>;

  constructor(private readonly deps: TextExtractionDeps) {
    this.#table = new JobResourceTable(deps, 'text_extractions', 'text_extraction');
    this.files = deps.files ?? new ProjectFiles(deps.dataDir);
    deps.jobs.register<ExtractionPayload, ExtractionOutcome>(EXTRACTION_KIND, {
      maxAttempts: 2,
      concurrency: 2,
      describe: (payload) => ({ extraction_id: payload.extraction_id, document: payload.document }),
      run: async (ctx) => {
        const { payload } = ctx;
        const projectId = ctx.job.projectId;
        await ctx.progress(0, 1, 'reading the document');
        const data = await this.files.read(projectId, payload.document);
        const document = await extractDocument(data, { fileName: payload.document, signal: ctx.signal });
        const output =
          payload.format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : toMarkdown(document);
        await this.files.write(projectId, payload.results, Buffer.from(output, 'utf8'));
        const collection = payload.collection
          ? await this.#ingest(projectId, ctx.job.createdBy ?? null, payload, toMarkdown(document))
          : undefined;
        await ctx.progress(1, 1, `${document.page_count} pages extracted`);
        return {
          number_pages_processed: document.page_count,
          engine: document.engine,
          media_type: document.media_type,
          tables: document.tables.length,
          ocr: document.ocr,
          warnings: document.warnings,
          results_file: payload.results,
          ...(collection ? { collection } : {}),
        };
      },
    });
  }

  /** Adds the Markdown to the collection (which queues its own ingestion job). */
  async #ingest(
    projectId: string,
    actor: string | null,
    payload: ExtractionPayload,
    markdown: string,
  ): Promise<CollectionOutcome> {
    const name = `${payload.document}.md`;
    const added = await this.#rag().addDocuments({ projectId, keyId: null, actor }, payload.collection!, [
      {
        name,
        mediaType: 'text/markdown',
        data: Buffer.from(markdown, 'utf8'),
        metadata: { source_document: payload.document, text_extraction: payload.extraction_id },
      },
    ]);
    const entry = added.documents[0] as
      | { id: string | null; outcome: string; error?: { code: string; message: string } }
      | undefined;
    return {
      collection: payload.collection!,
      document: name,
      document_id: entry?.id ?? null,
      outcome: entry?.outcome ?? 'rejected',
      ingestion_job_id: (added.job as { id?: string } | null)?.id ?? null,
      ...(entry?.error ? { error: entry.error } : {}),
    };
  }

  #rag(): RagService {
    if (!this.deps.rag) throw new KeelError('not_implemented', 'RAG collections are not available here.');
    return this.deps.rag;
  }

  async create(projectId: string, actor: string | null, input: CreateExtractionInput) {
    const document = referencedFile(input.document_reference, 'document_reference');
    const collection = input.results_reference?.location?.collection?.trim() || undefined;
    // With a collection, a results file is optional (the Markdown is kept under extractions/).
    const named =
      collection && !input.results_reference.location?.file_name && !input.results_reference.location?.path
        ? 'extractions/'
        : referencedFile(input.results_reference, 'results_reference');
    // The collection must exist now (a coded 404), not fail the job later.
    if (collection) await this.#rag().documents({ projectId, keyId: null, actor }, collection);
    // Names are checked now; whether the document exists is the job's to find out (as in watsonx,
    // where storage is read by the job): a missing one fails it with `not_found`.
    this.files.check(projectId, document);
    const format: 'markdown' | 'json' =
      input.assembly_json !== undefined || /\.json$/i.test(named) ? 'json' : 'markdown';
    // A results name ending in `/` is a folder: the result is named after the document.
    const results = named.endsWith('/')
      ? `${named}${document.split('/').at(-1)}.${format === 'json' ? 'json' : 'md'}`
      : named;
    this.files.check(projectId, results);
    const id = newId('tex');
    const request = {
      ...(input.steps ? { steps: input.steps } : {}),
      ...(input.assembly_json ? { assembly_json: input.assembly_json } : {}),
      ...(input.assembly_md ? { assembly_md: input.assembly_md } : {}),
      ...(input.custom ? { custom: input.custom } : {}),
    };
    await this.deps.db.transaction(async (tx) => {
      const job = await this.deps.jobs.enqueue<ExtractionPayload>(
        {
          projectId,
          kind: EXTRACTION_KIND,
          payload: { extraction_id: id, document, results, format, ...(collection ? { collection } : {}) },
          createdBy: actor,
          total: 1,
        },
        { tx },
      );
      await tx.query(
        `INSERT INTO text_extractions (id, project_id, job_id, document_reference, results_reference, output_format, request, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          projectId,
          job.id,
          JSON.stringify(input.document_reference),
          JSON.stringify(input.results_reference),
          format,
          JSON.stringify(request),
          actor,
        ],
      );
    });
    this.deps.jobs.notify();
    this.deps.audit.record({
      action: 'text_extraction.create',
      projectId,
      target: { type: 'text_extraction', id },
      after: { document, results, format },
    });
    return this.get(projectId, id);
  }

  async #json(row: ExtractionRow) {
    const job = await this.deps.jobs
      .get<ExtractionPayload, ExtractionOutcome>(row.job_id)
      .catch(() => undefined);
    const outcome = job?.result ?? undefined;
    const error = jobError(job, 'extraction');
    return {
      metadata: resourceMetadata(row, job),
      entity: {
        document_reference: row.document_reference,
        results_reference: row.results_reference,
        ...row.request,
        results: {
          status: job ? statusOf[job.status] : 'failed',
          number_pages_processed: outcome?.number_pages_processed ?? 0,
          ...(job?.startedAt ? { running_at: iso(job.startedAt) } : {}),
          ...(job?.finishedAt && job.status === 'succeeded' ? { completed_at: iso(job.finishedAt) } : {}),
          ...(error ? { error: { code: error.code, message: error.message } } : {}),
          ...(outcome
            ? {
                keel: {
                  job_id: row.job_id,
                  engine: outcome.engine,
                  media_type: outcome.media_type,
                  tables: outcome.tables,
                  ocr: outcome.ocr,
                  warnings: outcome.warnings,
                  output_format: row.output_format,
                  ...(outcome.collection ? { collection: outcome.collection } : {}),
                },
              }
            : { keel: { job_id: row.job_id, output_format: row.output_format } }),
        },
      },
    };
  }

  async get(projectId: string, id: string) {
    return this.#json(await this.#table.row(projectId, id));
  }

  async list(projectId: string, options: { start?: string | undefined; limit?: number | undefined } = {}) {
    const { rows, ...page } = await this.#table.page(projectId, options);
    return { resources: await Promise.all(rows.map((row) => this.#json(row))), ...page };
  }

  /** Cancels the job (if it still runs) and removes the extraction from the project's list. */
  delete(projectId: string, id: string, options: { hardDelete?: boolean } = {}): Promise<void> {
    return this.#table.remove(projectId, id, options);
  }
}
