/**
 * @module extraction/classification-service
 * Text classifications in watsonx.ai's shape (`/ml/v1/text/classifications`): a request names a
 * document in the project's files (`document_reference`) and a taxonomy
 * (`parameters.semantic_config.schemas`, see classification-schemas.ts); Keel records it and queues
 * a `text.classification` job, which extracts the document's text (extract-document.ts) and
 * classifies it with the classifier `parameters.model_id` names (a Keel extension):
 * - absent or `keel:lexical-classifier`: the built-in lexical classifier (offline, no model);
 * - `head:<name>`: a task head trained in the tuning module, over the user's schemas (or its labels);
 * - any other `provider:model`: a chat model asked for one label of the set (model-classifier.ts).
 * `results.document_classified` / `document_type` answer as watsonx does (`classification_mode:
 * 'binary'` leaves the type out); Keel's details (classifier, scores, pages) sit under `results.keel`.
 */
import type { AuditLog } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService } from '../models/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { FileStoreV1 } from '../spec/file-store.js';
import type { TuningService } from '../tuning/index.js';
import { type DocumentSchema, resolveTaxonomy, type SemanticConfig } from './classification-schemas.js';
import { extractDocument, toMarkdown } from './extract-document.js';
import { type DataReference, referencedFile } from './extraction-service.js';
import { JobResourceTable } from './job-resource-table.js';
import { iso, jobError, resourceMetadata, statusOf } from './job-resource-view.js';
import { type ClassifierVerdict, classifyLexically, LEXICAL_CLASSIFIER } from './lexical-classifier.js';
import { answerSchema, classificationPrompt, headVerdict, parseModelAnswer } from './model-classifier.js';

export const CLASSIFICATION_KIND = 'text.classification';

export interface ClassificationParameters {
  ocr_mode?: string | undefined;
  classification_mode?: string | undefined;
  auto_rotation_correction?: boolean | undefined;
  languages?: string[] | undefined;
  semantic_config?: SemanticConfig | undefined;
  /** Keel: the classifier (`keel:lexical-classifier`, `head:<name>` or a chat model's `provider:model`). */
  model_id?: string | undefined;
  [key: string]: unknown;
}

export interface CreateClassificationInput {
  document_reference: DataReference;
  parameters: ClassificationParameters;
  custom?: Record<string, unknown> | undefined;
}

interface ClassificationRow {
  id: string;
  project_id: string;
  job_id: string;
  document_reference: DataReference;
  parameters: ClassificationParameters;
  custom: Record<string, unknown> | null;
  classifier: string;
  created_at: Date | string;
}

interface ClassificationPayload {
  classification_id: string;
  document: string;
  classifier: string;
  /** The taxonomy; null for a head given no schemas (its own labels are the taxonomy). */
  taxonomy: DocumentSchema[] | null;
}

interface ClassificationOutcome {
  document_type: string | null;
  scores: { document_type: string; score: number }[];
  number_pages_processed: number;
  engine: string;
  warnings: string[];
  head?: { name: string; version: number };
}

export interface TextClassificationDeps {
  db: DatabaseV1;
  jobs: JobService;
  audit: AuditLog;
  generation: GenerationService;
  tuning: TuningService;
  files: FileStoreV1;
}

export class TextClassificationService {
  readonly #table: JobResourceTable<ClassificationRow>;

  constructor(private readonly deps: TextClassificationDeps) {
    this.#table = new JobResourceTable(deps, 'text_classifications', 'text_classification');
    deps.jobs.register<ClassificationPayload, ClassificationOutcome>(CLASSIFICATION_KIND, {
      maxAttempts: 2,
      concurrency: 2,
      describe: (payload) => ({ classification_id: payload.classification_id, document: payload.document }),
      run: async (ctx) => {
        const { payload } = ctx;
        const projectId = ctx.job.projectId;
        await ctx.progress(0, 2, 'reading the document');
        const data = await this.deps.files.read(projectId, payload.document);
        const document = await extractDocument(data, { fileName: payload.document, signal: ctx.signal });
        await ctx.progress(1, 2, 'classifying');
        const text = toMarkdown(document);
        const { verdict, head } = await this.#classify(projectId, payload, text, ctx.signal);
        await ctx.progress(
          2,
          2,
          verdict.document_type ? `classified as ${verdict.document_type}` : 'not classified',
        );
        return {
          document_type: verdict.document_type,
          scores: verdict.scores.slice(0, 5),
          number_pages_processed: document.page_count,
          engine: document.engine,
          warnings: document.warnings,
          ...(head ? { head } : {}),
        };
      },
    });
  }

  async #classify(
    projectId: string,
    payload: ClassificationPayload,
    text: string,
    signal: AbortSignal,
  ): Promise<{ verdict: ClassifierVerdict; head?: { name: string; version: number } }> {
    const { classifier, taxonomy } = payload;
    if (classifier === LEXICAL_CLASSIFIER) return { verdict: classifyLexically(text, taxonomy ?? []) };
    if (classifier.startsWith('head:')) {
      // The head's serving gate applies, as to the model head:<name>: a governed head classifies
      // only once approved.
      const served = await this.deps.tuning.serve(projectId, classifier.slice('head:'.length), text, {
        signal,
      });
      if (served.kind !== 'classifier') {
        throw new KeelError(
          'invalid_request',
          `${classifier} tags tokens; classifying a document needs a classifier head.`,
          {
            issues: [
              { code: 'head_is_tagger', path: ['parameters', 'model_id'], message: 'name a classifier head' },
            ],
          },
        );
      }
      return { verdict: headVerdict(served.prediction.scores, taxonomy), head: served.head };
    }
    const schemas = taxonomy ?? [];
    const prompt = classificationPrompt(text, schemas);
    const model = this.deps.generation.languageModel(classifier);
    const outcome = await this.deps.generation.generate(
      {
        model: classifier,
        prompt: {
          type: 'chat',
          messages: [
            { role: 'system', content: prompt.system },
            { role: 'user', content: prompt.user },
          ],
        },
        parameters: { decodingMethod: 'greedy', maxNewTokens: 64 },
        ...(model.capabilities.structuredOutput === 'none'
          ? {}
          : {
              responseFormat: {
                type: 'json' as const,
                schema: answerSchema(schemas),
                name: 'classification',
              },
            }),
        abortSignal: signal,
      },
      { projectId, keyId: null, endpoint: CLASSIFICATION_KIND },
    );
    return { verdict: parseModelAnswer(outcome.text, schemas) };
  }

  /** Checks the classifier exists now, so a wrong name is a coded 4xx, not a failed job. */
  async #checkClassifier(projectId: string, classifier: string): Promise<void> {
    if (classifier === LEXICAL_CLASSIFIER) return;
    if (classifier.startsWith('head:')) {
      const name = classifier.slice('head:'.length);
      const versions = await this.deps.tuning.versions(projectId, name).catch(() => []);
      if (versions.length === 0)
        throw new KeelError('not_found', `No trained head ${name} in this project.`, {
          data: { model_id: classifier },
          issues: [
            { code: 'not_found', path: ['parameters', 'model_id'], message: 'train it with keel tune head' },
          ],
        });
      return;
    }
    this.deps.generation.languageModel(classifier);
  }

  async create(projectId: string, actor: string | null, input: CreateClassificationInput) {
    const document = referencedFile(input.document_reference, 'document_reference');
    this.deps.files.check(projectId, document);
    const parameters = input.parameters ?? {};
    const mode = parameters.classification_mode ?? 'exact';
    if (mode !== 'exact' && mode !== 'binary') {
      throw new KeelError(
        'invalid_request',
        `classification_mode must be "exact" or "binary", not "${mode}".`,
        {
          issues: [
            {
              code: 'invalid_value',
              path: ['parameters', 'classification_mode'],
              message: 'exact or binary',
            },
          ],
        },
      );
    }
    const classifier = parameters.model_id?.trim() || LEXICAL_CLASSIFIER;
    await this.#checkClassifier(projectId, classifier);
    const given = parameters.semantic_config?.schemas ?? [];
    // A head classifies into its own labels; the user's schemas (not the predefined ones) narrow them.
    const taxonomy = classifier.startsWith('head:')
      ? given.length
        ? resolveTaxonomy({ ...parameters.semantic_config, schemas_merge_strategy: 'replace' })
        : null
      : resolveTaxonomy(parameters.semantic_config);
    const id = newId('tcl');
    await this.deps.db.transaction(async (tx) => {
      const job = await this.deps.jobs.enqueue<ClassificationPayload>(
        {
          projectId,
          kind: CLASSIFICATION_KIND,
          payload: { classification_id: id, document, classifier, taxonomy },
          createdBy: actor,
          total: 2,
        },
        { tx },
      );
      await tx.query(
        `INSERT INTO text_classifications (id, project_id, job_id, document_reference, parameters, custom, classifier, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          projectId,
          job.id,
          JSON.stringify(input.document_reference),
          JSON.stringify(parameters),
          input.custom ? JSON.stringify(input.custom) : null,
          classifier,
          actor,
        ],
      );
    });
    this.deps.jobs.notify();
    this.deps.audit.record({
      action: 'text_classification.create',
      projectId,
      target: { type: 'text_classification', id },
      after: { document, classifier, types: taxonomy?.length ?? null },
    });
    return this.get(projectId, id);
  }

  async #json(row: ClassificationRow) {
    const job = await this.deps.jobs
      .get<ClassificationPayload, ClassificationOutcome>(row.job_id)
      .catch(() => undefined);
    const outcome = job?.status === 'succeeded' ? (job.result ?? undefined) : undefined;
    const error = jobError(job, 'classification');
    const binary = row.parameters.classification_mode === 'binary';
    return {
      metadata: resourceMetadata(row, job),
      entity: {
        document_reference: row.document_reference,
        parameters: row.parameters,
        ...(row.custom ? { custom: row.custom } : {}),
        results: {
          status: job ? statusOf[job.status] : 'failed',
          ...(job?.startedAt ? { running_at: iso(job.startedAt) } : {}),
          ...(job?.finishedAt ? { completed_at: iso(job.finishedAt) } : {}),
          ...(outcome
            ? {
                document_classified: outcome.document_type !== null,
                ...(!binary && outcome.document_type !== null
                  ? { document_type: outcome.document_type }
                  : {}),
              }
            : {}),
          ...(error ? { error: { code: error.code, message: error.message } } : {}),
          keel: {
            job_id: row.job_id,
            classifier: row.classifier,
            ...(outcome
              ? {
                  scores: outcome.scores,
                  number_pages_processed: outcome.number_pages_processed,
                  engine: outcome.engine,
                  warnings: outcome.warnings,
                  ...(outcome.head ? { head: outcome.head } : {}),
                }
              : {}),
          },
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

  /** Cancels the job (if it still runs) and removes the classification from the project's list. */
  delete(projectId: string, id: string, options: { hardDelete?: boolean } = {}): Promise<void> {
    return this.#table.remove(projectId, id, options);
  }
}
