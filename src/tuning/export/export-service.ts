/**
 * @module tuning/export/export-service
 * Training-spec exports: a `tuning.export` job on the job service turns an evaluation dataset
 * version, or a file of `{"input", "output"}` records, into what an external trainer needs, written
 * to the project's files under `<folder>/<export id>/`:
 * - `train.jsonl` and `validation.jsonl`: watsonx.ai's tuning format (training-records.ts);
 * - the trainer's config for the method: an axolotl YAML, or PEFT's prompt-tuning config
 *   (trainer-config.ts);
 * - `manifest.json`: the lineage governance needs (dataset version and content hash, base model,
 *   method, hyper-parameters, seed, record counts, every file's SHA-256).
 * A request is checked before it is queued (unknown dataset or file, no records, no reference
 * outputs, out-of-range hyper-parameters: coded 4xx); a bad record is reported and skipped. The
 * `tuning_exports` row records the request and the watsonx.ai resource it answers as (`keel`,
 * `training`, `fine_tuning`); a delete cancels the job, removes the files and hides the row.
 */
import type { ExportHyperParameters, ExportMethod } from '../../api/tuning.js';
import { exportHyperParametersSchema } from '../../api/tuning.js';
import type { AuditLog } from '../../audit/index.js';
import { issuesFromZod, KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { EvalService } from '../../evals/index.js';
import { JobResourceTable } from '../../extraction/index.js';
import type { Job, JobContext, JobService } from '../../jobs/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { FileStoreV1 } from '../../spec/file-store.js';
import {
  type ResolvedHyperParameters,
  relevantHyperParameters,
  resolveHyperParameters,
  trainerSpec,
} from './trainer-config.js';
import {
  MAX_REPORTED_SKIPS,
  type ReadRecords,
  recordsFromFile,
  recordsFromItems,
  requireRecords,
  type SkippedRecord,
  sha256,
  splitRecords,
  watsonxJsonl,
} from './training-records.js';

export const EXPORT_JOB = 'tuning.export';
export type ExportOrigin = 'keel' | 'training' | 'fine_tuning';

export interface ExportRequest {
  name: string;
  baseModel: string;
  method: ExportMethod;
  /** An evaluation dataset (id or name) and version (the latest when absent) … */
  dataset?: string | undefined;
  datasetVersion?: number | undefined;
  /** … or a file of the project. */
  file?: string | undefined;
  validationFile?: string | undefined;
  hyperParameters?: ExportHyperParameters | undefined;
  /** Where the files go (default `tuning-exports`); the export's id is a folder below it. */
  folder?: string | undefined;
}

interface ExportPayload {
  export_id: string;
  request: ExportRequest;
  folder: string;
}

export interface ExportedFile {
  name: string;
  path: string;
  bytes: number;
  sha256: string;
  format: string;
}

export interface ExportManifest {
  keel_training_spec: 1;
  export_id: string;
  name: string;
  base_model: string;
  method: ExportMethod;
  hyper_parameters: Record<string, unknown>;
  seed: number;
  dataset:
    | { source: 'evaluation_dataset'; id: string; name: string; version: number; content_hash: string }
    | { source: 'file'; file: string; sha256: string; validation_file: string | null };
  records: { train: number; validation: number; skipped: number; held_out: number };
  split: { method: string; validation_fraction: number; seed: number };
  trainer: { name: 'axolotl' | 'peft'; command: string };
  files: ExportedFile[];
}

export interface ExportResult {
  folder: string;
  manifest: ExportManifest;
  files: ExportedFile[];
  skipped: SkippedRecord[];
  skipped_count: number;
}

export interface ExportRow {
  id: string;
  project_id: string;
  job_id: string;
  origin: ExportOrigin;
  name: string;
  request: Record<string, unknown>;
  created_by: string | null;
  created_at: Date | string;
}

export interface TrainingExportDeps {
  db: DatabaseV1;
  jobs: JobService;
  audit: AuditLog;
  files: FileStoreV1;
  evals?: EvalService | undefined;
}

const DEFAULT_FOLDER = 'tuning-exports';
/** Records an export takes at most (watsonx.ai's own limit for a connected store is 10,000). */
export const MAX_EXPORT_RECORDS = 200_000;

interface LoadedData {
  read: ReadRecords;
  validation?: ReadRecords | undefined;
  dataset: ExportManifest['dataset'];
}

export class TrainingExportService {
  readonly #tables: Record<'training' | 'fine_tuning', JobResourceTable<ExportRow>>;
  readonly #any: JobResourceTable<ExportRow>;

  constructor(private readonly deps: TrainingExportDeps) {
    this.#any = new JobResourceTable<ExportRow>(deps, 'tuning_exports', 'training');
    this.#tables = {
      training: new JobResourceTable<ExportRow>(deps, 'tuning_exports', 'training', 'training'),
      fine_tuning: new JobResourceTable<ExportRow>(deps, 'tuning_exports', 'fine_tuning', 'fine_tuning'),
    };
    deps.jobs.register<ExportPayload, ExportResult>(EXPORT_JOB, {
      maxAttempts: 2,
      describe: (p) => ({
        export_id: p.export_id,
        name: p.request.name,
        method: p.request.method,
        base_model: p.request.baseModel,
        source: p.request.dataset ?? p.request.file ?? null,
      }),
      run: (ctx) => this.#run(ctx),
    });
  }

  /** Checks the request against what exists, records it and queues the job. */
  async start(
    projectId: string,
    actor: string | null,
    origin: ExportOrigin,
    request: ExportRequest,
    extra: Record<string, unknown> = {},
  ): Promise<{ row: ExportRow; job: Job }> {
    const hyper = checkHyperParameters(request);
    const data = await this.#load(projectId, request);
    if (data.read.records.length > MAX_EXPORT_RECORDS) {
      throw new KeelError('payload_too_large', `An export takes at most ${MAX_EXPORT_RECORDS} records.`, {
        issues: [{ code: 'too_many_records', path: ['dataset'], message: String(data.read.records.length) }],
      });
    }
    const id = newId('tex');
    const folder = this.deps.files.check(
      projectId,
      `${(request.folder ?? DEFAULT_FOLDER).replace(/\/+$/, '') || DEFAULT_FOLDER}/${id}`,
    );
    const stored: ExportRequest = { ...request, hyperParameters: { ...request.hyperParameters } };
    const row = await this.deps.db.transaction(async (tx) => {
      const job = await this.deps.jobs.enqueue<ExportPayload>(
        {
          projectId,
          kind: EXPORT_JOB,
          payload: { export_id: id, request: stored, folder },
          createdBy: actor,
          total: 4,
        },
        { tx },
      );
      const { rows } = await tx.query<ExportRow>(
        `INSERT INTO tuning_exports (id, project_id, job_id, origin, name, request, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [id, projectId, job.id, origin, request.name, JSON.stringify({ ...extra, keel: stored }), actor],
      );
      return rows[0]!;
    });
    this.deps.jobs.notify();
    this.deps.audit.record({
      action: 'tuning_export.create',
      projectId,
      target: { type: 'tuning_export', id },
      after: {
        origin,
        name: request.name,
        method: request.method,
        base_model: request.baseModel,
        dataset: request.dataset ?? null,
        file: request.file ?? null,
        seed: hyper.seed,
      },
    });
    return { row, job: await this.deps.jobs.get(row.job_id) };
  }

  /** An export and its job (the job is undefined when it is gone). */
  async get(
    projectId: string,
    id: string,
    origin?: 'training' | 'fine_tuning',
  ): Promise<{ row: ExportRow; job: Job<ExportPayload, ExportResult> | undefined }> {
    const row = await (origin ? this.#tables[origin] : this.#any).row(projectId, id);
    return { row, job: await this.#job(row) };
  }

  /** A page of a resource's exports, newest first, each with its job. */
  async page(
    projectId: string,
    origin: 'training' | 'fine_tuning',
    options: { start?: string | undefined; limit?: number | undefined },
  ) {
    const { rows, ...page } = await this.#tables[origin].page(projectId, options);
    return {
      ...page,
      items: await Promise.all(rows.map(async (row) => ({ row, job: await this.#job(row) }))),
    };
  }

  /**
   * Cancels the job, hides the export, and removes every file under its folder (also those a
   * cancelled job wrote before it stopped).
   */
  async remove(
    projectId: string,
    id: string,
    origin: 'training' | 'fine_tuning',
    options: { hardDelete?: boolean },
  ): Promise<void> {
    const { job } = await this.get(projectId, id, origin);
    await this.#tables[origin].remove(projectId, id, options);
    const folder = job?.payload.folder;
    if (!folder) return;
    const written = (await this.deps.files.list(projectId)).filter((f) => f.name.startsWith(`${folder}/`));
    for (const file of written) await this.deps.files.remove(projectId, file.name).catch(() => undefined);
  }

  #job(row: ExportRow): Promise<Job<ExportPayload, ExportResult> | undefined> {
    return this.deps.jobs.get<ExportPayload, ExportResult>(row.job_id).catch(() => undefined);
  }

  async #load(projectId: string, request: ExportRequest): Promise<LoadedData> {
    if ((request.dataset === undefined) === (request.file === undefined)) {
      throw new KeelError('invalid_request', 'Name an evaluation dataset or a file of records, not both.', {
        issues: [{ code: 'source_required', path: ['dataset'], message: 'exactly one of dataset and file' }],
      });
    }
    const validation = request.validationFile
      ? await this.#readFile(projectId, request.validationFile, 'validation_file')
      : undefined;
    if (validation) requireRecords(validation, request.validationFile!);
    if (request.file !== undefined) {
      const bytes = await this.#bytes(projectId, request.file, 'file');
      const read = recordsFromFile(bytes, request.file);
      requireRecords(read, request.file);
      return {
        read,
        validation,
        dataset: {
          source: 'file',
          file: request.file,
          sha256: sha256(bytes),
          validation_file: request.validationFile ?? null,
        },
      };
    }
    if (!this.deps.evals) {
      throw new KeelError('not_implemented', 'Evaluation datasets need the evaluation module.', {
        issues: [{ code: 'no_evals', path: ['dataset'], message: 'no evaluation module' }],
      });
    }
    const store = this.deps.evals.datasets.store;
    const dataset = await store.get(projectId, request.dataset!).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'not_found') {
        throw new KeelError('not_found', `No dataset ${request.dataset} in this project.`, {
          issues: [{ code: 'unknown_dataset', path: ['dataset'], message: request.dataset! }],
        });
      }
      throw error;
    });
    const version = await store.version(dataset, request.datasetVersion).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'not_found') {
        throw new KeelError(
          'not_found',
          `Dataset ${dataset.name} has no version ${request.datasetVersion}.`,
          {
            issues: [
              {
                code: 'unknown_dataset_version',
                path: ['dataset_version'],
                message: String(request.datasetVersion),
              },
            ],
          },
        );
      }
      throw error;
    });
    const read = recordsFromItems(await store.items(dataset.id, version.version));
    requireRecords(read, `Dataset ${dataset.name} v${version.version}`);
    return {
      read,
      validation,
      dataset: {
        source: 'evaluation_dataset',
        id: dataset.id,
        name: dataset.name,
        version: version.version,
        content_hash: version.content_hash,
      },
    };
  }

  async #bytes(projectId: string, name: string, field: 'file' | 'validation_file'): Promise<Buffer> {
    return this.deps.files.read(projectId, name).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'not_found') {
        throw new KeelError('not_found', `No file ${name} in this project.`, {
          issues: [{ code: 'unknown_file', path: [field], message: name }],
        });
      }
      throw error;
    });
  }

  async #readFile(projectId: string, name: string, field: 'file' | 'validation_file'): Promise<ReadRecords> {
    return recordsFromFile(await this.#bytes(projectId, name, field), name);
  }

  async #run(ctx: JobContext<ExportPayload>): Promise<ExportResult> {
    const { request, folder, export_id: exportId } = ctx.payload;
    const projectId = ctx.job.projectId;
    const hyper = checkHyperParameters(request);
    await ctx.progress(0, 4, 'reading the records');
    const data = await this.#load(projectId, request);
    const split = splitRecords(data.read.records, {
      fraction: hyper.validation_fraction,
      seed: hyper.seed,
      validation: data.validation?.records,
    });
    const skipped = [...data.read.skipped, ...(data.validation?.skipped ?? [])];
    const files: ExportedFile[] = [];
    const write = async (name: string, content: string, format: string) => {
      ctx.signal.throwIfAborted();
      const path = `${folder}/${name}`;
      const bytes = Buffer.from(content, 'utf8');
      await this.deps.files.write(projectId, path, bytes);
      files.push({ name, path, bytes: bytes.length, sha256: sha256(bytes), format });
    };
    await ctx.progress(
      1,
      4,
      `writing ${split.train.length} train and ${split.validation.length} validation records`,
      {
        data: { train: split.train.length, validation: split.validation.length, skipped: skipped.length },
      },
    );
    await write('train.jsonl', watsonxJsonl(split.train), 'watsonx-tuning-jsonl');
    if (split.validation.length > 0) {
      await write('validation.jsonl', watsonxJsonl(split.validation), 'watsonx-tuning-jsonl');
    }
    await ctx.progress(2, 4, 'writing the trainer config');
    const trainer = trainerSpec({
      name: request.name,
      baseModel: request.baseModel,
      method: request.method,
      hyper,
      validation: split.validation.length > 0,
    });
    for (const file of trainer.files) await write(file.name, file.content, file.format);
    await ctx.progress(3, 4, 'writing the manifest');
    const manifest: ExportManifest = {
      keel_training_spec: 1,
      export_id: exportId,
      name: request.name,
      base_model: request.baseModel,
      method: request.method,
      hyper_parameters: relevantHyperParameters(request.method, hyper),
      seed: hyper.seed,
      dataset: data.dataset,
      records: {
        train: split.train.length,
        validation: split.validation.length,
        skipped: skipped.length,
        held_out: split.heldOut,
      },
      split: { method: split.method, validation_fraction: hyper.validation_fraction, seed: hyper.seed },
      trainer: { name: trainer.trainer, command: trainer.command },
      files: [...files],
    };
    await write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`, 'keel-manifest');
    await ctx.progress(4, 4, `exported ${split.train.length + split.validation.length} records`);
    return {
      folder,
      manifest,
      files,
      skipped: skipped.slice(0, MAX_REPORTED_SKIPS),
      skipped_count: skipped.length,
    };
  }
}

/** The hyper-parameters checked against their ranges (coded `too_small`/`too_big`) and resolved. */
export function checkHyperParameters(
  request: Pick<ExportRequest, 'method' | 'hyperParameters'>,
): ResolvedHyperParameters {
  const parsed = exportHyperParametersSchema.safeParse(request.hyperParameters ?? {});
  if (!parsed.success) {
    throw new KeelError('invalid_request', 'A hyper-parameter is out of range.', {
      issues: issuesFromZod(parsed.error.issues).map((issue) => ({
        ...issue,
        path: ['hyper_parameters', ...issue.path],
      })),
    });
  }
  return resolveHyperParameters(request.method, parsed.data);
}
