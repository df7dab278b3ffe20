/**
 * @module server/routes/watsonx/training-resources
 * watsonx.ai's trainings (`/ml/v4/trainings`, prompt tuning) and fine-tunings
 * (`/ml/v1/fine_tunings`, LoRA, QLoRA or full) answered with Keel's nearest feature: a
 * training-spec export (a `tuning.export` job) that writes the data in watsonx's tuning JSONL, the
 * trainer's config and a lineage manifest to the project's files, for a trainer that runs
 * elsewhere. Keel trains no model itself: the resource completes when the spec is written, its
 * `results_reference.location` points at the files, and `status.message` says so. What no export
 * answers (an InstructLab fine-tuning, a training that is not prompt tuning) is a 501 naming the
 * nearest feature.
 *
 * A `training_data_references[0].location` names a file of the project (`file_name` or `path`,
 * JSONL or a JSON array of `{"input", "output"}`) or, as a Keel extension, an evaluation dataset
 * (`dataset`, optional `dataset_version`). `test_data_references[0]` is the validation file.
 * Hyper-parameters map onto the export's: `num_epochs`, `learning_rate`, `batch_size`,
 * `accumulate_steps`, `max_seq_length` (or `max_input_tokens` + `max_output_tokens`),
 * `peft_parameters.rank/lora_alpha/lora_dropout/target_modules`, `verbalizer`,
 * `num_virtual_tokens`, `init_text`, and `seed` (a Keel extension).
 */
import type { ExportHyperParameters, ExportMethod } from '../../../api/tuning.js';
import { KeelError } from '../../../core/errors.js';
import type { Job } from '../../../jobs/index.js';
import type {
  ExportRequest,
  ExportResult,
  ExportRow,
  TrainingExportService,
} from '../../../tuning/export/index.js';
import type { WatsonxJobService } from './job-resource.js';

type Json = Record<string, unknown>;

export interface DataReference {
  type?: string | undefined;
  location?: Json | undefined;
  [key: string]: unknown;
}

export interface TrainingBody {
  name: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  results_reference: DataReference;
  training_data_references?: DataReference[] | undefined;
  prompt_tuning?: Json | undefined;
  custom?: Json | undefined;
  auto_update_model?: boolean | undefined;
}

export interface FineTuningBody {
  name: string;
  description?: string | undefined;
  tags?: string[] | undefined;
  results_reference: DataReference;
  training_data_references: DataReference[];
  test_data_references?: DataReference[] | undefined;
  parameters?: Json | undefined;
  type?: string | undefined;
  custom?: Json | undefined;
  auto_update_model?: boolean | undefined;
}

const stateOf: Record<Job['status'], string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'canceled',
};

const iso = (value: Date | string | null | undefined) => (value ? new Date(value).toISOString() : undefined);
const num = (value: unknown) => (typeof value === 'number' ? value : undefined);
const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);
const obj = (value: unknown): Json => (value && typeof value === 'object' ? (value as Json) : {});

const invalid = (code: string, path: (string | number)[], message: string) =>
  new KeelError('invalid_request', message, { issues: [{ code, path, message }] });

/** A file name Keel can use as a folder and trainer output name. */
const safeName = (name: string) =>
  name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63) || 'training';

/** The export's source from a data reference: a Keel evaluation dataset, or a file of the project. */
function sourceOf(
  reference: DataReference | undefined,
  field: 'training_data_references' | 'test_data_references',
): Pick<ExportRequest, 'dataset' | 'datasetVersion' | 'file'> {
  const location = obj(reference?.location);
  const dataset = str(location.dataset);
  if (dataset) {
    return { dataset, datasetVersion: num(location.dataset_version) ?? num(location.version) };
  }
  const file = str(location.file_name) ?? str(location.path);
  if (!file) {
    throw invalid(
      'training_data_required',
      [field, 0, 'location', 'file_name'],
      `${field}[0].location names a file of the project (file_name or path) or an evaluation dataset (dataset).`,
    );
  }
  return { file };
}

function baseModelOf(holder: Json, path: string[]): string {
  const model = str(obj(holder.base_model).model_id);
  if (!model)
    throw invalid(
      'base_model_required',
      [...path, 'base_model', 'model_id'],
      'base_model.model_id is required.',
    );
  return model;
}

const defined = (o: ExportHyperParameters): ExportHyperParameters =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ExportHyperParameters;

/** The kinds of watsonx training besides prompt tuning, which Keel does not run. */
const otherTrainings = ['experiment', 'pipeline', 'model_definition', 'federated_learning'] as const;

/**
 * A prompt-tuning training as an export request: 501 for another kind of training (an experiment,
 * pipeline, model definition or federated learning), 400 when the body names no kind.
 */
export function trainingRequest(body: TrainingBody): ExportRequest {
  const other = otherTrainings.find((key) => (body as unknown as Json)[key] !== undefined);
  if (other) {
    throw new KeelError(
      'not_implemented',
      `Keel answers /ml/v4/trainings for prompt tuning only (prompt_tuning), not ${other} trainings: it exports the spec for a trainer that runs elsewhere. Nearest in Keel for other trainings: task heads trained in-process (POST /api/v1/tuning/jobs, type head).`,
      { data: { feature: `${other} trainings`, hint: 'POST /api/v1/tuning/jobs' } },
    );
  }
  if (!body.prompt_tuning) {
    throw invalid(
      'prompt_tuning_required',
      ['prompt_tuning'],
      'prompt_tuning is required: Keel exports prompt-tuning specs (task heads train through POST /api/v1/tuning/jobs, type head).',
    );
  }
  const p = body.prompt_tuning;
  const references = body.training_data_references ?? [];
  if (references.length === 0) {
    throw invalid(
      'training_data_required',
      ['training_data_references'],
      'training_data_references is required.',
    );
  }
  const input = num(p.max_input_tokens);
  const output = num(p.max_output_tokens);
  return {
    name: safeName(body.name),
    baseModel: baseModelOf(p, ['prompt_tuning']),
    method: 'prompt_tuning',
    ...sourceOf(references[0], 'training_data_references'),
    hyperParameters: defined({
      epochs: num(p.num_epochs),
      learning_rate: num(p.learning_rate),
      batch_size: num(p.batch_size),
      gradient_accumulation_steps: num(p.accumulate_steps),
      max_sequence_length:
        input !== undefined || output !== undefined ? (input ?? 256) + (output ?? 128) : undefined,
      num_virtual_tokens: num(p.num_virtual_tokens),
      init_text: p.init_method === 'text' ? str(p.init_text) : undefined,
      verbalizer: str(p.verbalizer),
      seed: num(p.seed),
    }),
    folder: str(obj(body.results_reference.location).path),
  };
}

/** A fine-tuning as an export request: LoRA, QLoRA, or full when `peft_parameters` is absent or `none`. */
export function fineTuningRequest(body: FineTuningBody): ExportRequest {
  if (body.type === 'ilab') {
    throw new KeelError(
      'not_implemented',
      'InstructLab fine-tuning (type ilab) is a watsonx.ai method Keel does not serve. Nearest in Keel: a fine-tuning without type exports a LoRA, QLoRA or full fine-tuning spec (axolotl) for a trainer that runs elsewhere.',
      { data: { feature: 'InstructLab fine-tuning', hint: 'POST /ml/v1/fine_tunings without type' } },
    );
  }
  const p = body.parameters ?? {};
  const peft = obj(p.peft_parameters);
  const peftType = str(peft.type) ?? 'none';
  if (!['lora', 'qlora', 'none'].includes(peftType)) {
    throw invalid(
      'invalid_value',
      ['parameters', 'peft_parameters', 'type'],
      'peft_parameters.type is lora, qlora or none.',
    );
  }
  const method: ExportMethod = peftType === 'none' ? 'full' : (peftType as ExportMethod);
  const modules = Array.isArray(peft.target_modules)
    ? peft.target_modules.filter((m) => typeof m === 'string')
    : [];
  const test = body.test_data_references?.[0];
  const validation = test ? sourceOf(test, 'test_data_references') : undefined;
  if (validation && !validation.file) {
    throw invalid(
      'validation_file_required',
      ['test_data_references', 0, 'location', 'file_name'],
      'test data is a file of the project.',
    );
  }
  return {
    name: safeName(body.name),
    baseModel: baseModelOf(p, ['parameters']),
    method,
    ...sourceOf(body.training_data_references[0], 'training_data_references'),
    validationFile: validation?.file,
    hyperParameters: defined({
      epochs: num(p.num_epochs),
      learning_rate: num(p.learning_rate),
      batch_size: num(p.batch_size),
      gradient_accumulation_steps: num(p.accumulate_steps),
      max_sequence_length: num(p.max_seq_length),
      lora_rank: method === 'full' ? undefined : num(peft.rank),
      lora_alpha: method === 'full' ? undefined : num(peft.lora_alpha),
      lora_dropout: method === 'full' ? undefined : num(peft.lora_dropout),
      target_modules:
        method === 'full' || modules.length === 0 || modules.includes('all-linear') ? undefined : modules,
      verbalizer: str(p.verbalizer),
      seed: num(p.seed),
    }),
    folder: str(obj(body.results_reference.location).path),
  };
}

const download = (path: string) => `/api/v1/files/${encodeURIComponent(path)}`;

/** The status watsonx reports, from the export's job. */
function statusOf(job: Job<unknown, ExportResult> | undefined) {
  const result = job?.status === 'succeeded' ? (job.result ?? undefined) : undefined;
  const error =
    job?.status === 'cancelled' ? { code: 'canceled', message: 'The export was canceled.' } : job?.error;
  return {
    state: job ? stateOf[job.status] : 'failed',
    ...(job?.startedAt ? { running_at: iso(job.startedAt) } : {}),
    ...(job?.finishedAt ? { completed_at: iso(job.finishedAt) } : {}),
    message: {
      level: result ? 'info' : 'warning',
      text: result
        ? `Keel exported the training spec (${result.manifest.trainer.name}: ${result.manifest.trainer.command}); it trains no model itself, so run the spec on a trainer elsewhere.`
        : 'Keel exports a training spec for a trainer that runs elsewhere; it trains no model itself.',
    },
    ...(result
      ? {
          metrics: [
            {
              timestamp: iso(job?.finishedAt),
              iteration: 0,
              ml_metrics: {
                train_records: result.manifest.records.train,
                validation_records: result.manifest.records.validation,
                skipped_records: result.manifest.records.skipped,
              },
            },
          ],
        }
      : {}),
    ...(error
      ? { failure: { trace: job?.id ?? '', errors: [{ code: error.code, message: error.message }] } }
      : {}),
  };
}

/** The resource watsonx answers with, from the export's row and job. */
export function resourceJson(row: ExportRow, job: Job<unknown, ExportResult> | undefined) {
  const { keel, ...given } = row.request as Json & { keel?: ExportRequest };
  const result = job?.status === 'succeeded' ? (job.result ?? undefined) : undefined;
  const results = obj(given.results_reference) as DataReference;
  const file = (name: string) => result?.files.find((f) => f.name === name)?.path;
  const trainer = result?.files.find((f) => !f.name.endsWith('.jsonl') && f.name !== 'manifest.json');
  const { results_reference: _r, name: _n, description: _d, tags: _t, ...entity } = given;
  return {
    metadata: {
      id: row.id,
      created_at: iso(row.created_at),
      ...(job ? { modified_at: iso(job.updatedAt) } : {}),
      name: typeof given.name === 'string' ? given.name : row.name,
      ...(typeof given.description === 'string' ? { description: given.description } : {}),
      ...(Array.isArray(given.tags) ? { tags: given.tags } : {}),
      project_id: row.project_id,
      ...(row.created_by ? { owner: row.created_by } : {}),
    },
    entity: {
      ...entity,
      auto_update_model: given.auto_update_model === true,
      results_reference: {
        ...results,
        type: results.type ?? 'container',
        location: {
          ...obj(results.location),
          ...(result
            ? {
                path: result.folder,
                manifest_path: file('manifest.json'),
                training_data_path: file('train.jsonl'),
                ...(file('validation.jsonl') ? { validation_data_path: file('validation.jsonl') } : {}),
                ...(trainer ? { trainer_config_path: trainer.path } : {}),
              }
            : {}),
        },
      },
      status: statusOf(job),
      keel: {
        job_id: row.job_id,
        method: keel?.method,
        base_model: keel?.baseModel,
        ...(result
          ? {
              files: result.files.map((f) => ({ ...f, download: download(f.path) })),
              skipped: result.skipped,
              skipped_count: result.skipped_count,
              manifest: result.manifest,
            }
          : {}),
      },
    },
  };
}

/** One watsonx job resource (trainings or fine-tunings) over the export service. */
export function exportResourceService<Body extends TrainingBody | FineTuningBody>(
  exports: TrainingExportService,
  origin: 'training' | 'fine_tuning',
  toRequest: (body: Body) => ExportRequest,
): WatsonxJobService<Body> {
  return {
    async create(projectId, actor, body) {
      const {
        project_id: _p,
        space_id: _s,
        ...given
      } = body as Body & { project_id?: string; space_id?: string };
      const { row, job } = await exports.start(projectId, actor, origin, toRequest(body), given);
      return resourceJson(row, job as Job<unknown, ExportResult>);
    },
    async list(projectId, options) {
      const { items, ...page } = await exports.page(projectId, origin, options);
      return { ...page, resources: items.map(({ row, job }) => resourceJson(row, job)) };
    },
    async get(projectId, id) {
      const { row, job } = await exports.get(projectId, id, origin);
      return resourceJson(row, job);
    },
    delete: (projectId, id, options) => exports.remove(projectId, id, origin, options),
  };
}
