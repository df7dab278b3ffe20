/**
 * @module tuning/tuning-service
 * Task heads as a service: `startHead` queues a `tuning.head` job that trains a head (progress per
 * epoch), then stores it as a new version; `classify` serves a stored head. The dataset is checked
 * before the job is queued (one class → a coded 422 at once) and again in the job, which writes the
 * head only after training succeeded, so a failed job registers nothing.
 */
import { createHash } from 'node:crypto';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { Job, JobContext, JobService } from '../jobs/index.js';
import { type CharNgramOptions, charNgramSpec } from './char-ngram-features.js';
import { HEAD_NAME, HeadStore, type HeadVersionInfo } from './head-store.js';
import {
  classifyWithHead,
  type HeadPrediction,
  type HeadTrainingOptions,
  type LabelledText,
  trainLogisticHead,
} from './logistic-head.js';

export const HEAD_JOB = 'tuning.head';
/** Most examples one head job takes inline. */
export const MAX_HEAD_EXAMPLES = 200_000;

export interface HeadJobPayload {
  name: string;
  examples: LabelledText[];
  validation?: LabelledText[] | undefined;
  options?: HeadTrainingOptions | undefined;
  features?: CharNgramOptions | undefined;
  /** Where the data came from (a file name, a dataset id), for lineage. */
  source?: string | null | undefined;
}

export interface HeadJobResult {
  name: string;
  version: number;
  accuracy: number;
  macroF1: number;
  bestEpoch: number;
}

export interface TuningServiceDeps {
  jobs: JobService;
  audit: AuditRecorder;
  dataDir: string;
}

function datasetHash(examples: LabelledText[], validation: LabelledText[] | undefined): string {
  const hash = createHash('sha256');
  for (const e of examples) hash.update(`${JSON.stringify([e.text, e.label])}\n`);
  if (validation) {
    hash.update('--validation--\n');
    for (const e of validation) hash.update(`${JSON.stringify([e.text, e.label])}\n`);
  }
  return hash.digest('hex');
}

function checkPayload(payload: HeadJobPayload): void {
  const issues: { code: string; path: (string | number)[]; message: string }[] = [];
  if (!HEAD_NAME.test(payload.name)) {
    issues.push({ code: 'invalid_name', path: ['name'], message: 'Use 1–63 of a-z, 0-9, ".", "_" or "-".' });
  }
  if (payload.examples.length > MAX_HEAD_EXAMPLES) {
    issues.push({ code: 'too_big', path: ['examples'], message: `At most ${MAX_HEAD_EXAMPLES} examples.` });
  }
  if (issues.length > 0) throw new KeelError('invalid_request', 'The head request is not valid.', { issues });
  const labels = new Set(payload.examples.map((e) => e.label));
  if (labels.size < 2) {
    const message = `A head needs at least two classes; the dataset has ${labels.size}.`;
    throw new KeelError('invalid_dataset', message, {
      issues: [{ code: 'single_class', path: ['examples'], message }],
    });
  }
}

export class TuningService {
  readonly heads: HeadStore;
  readonly #deps: TuningServiceDeps;

  constructor(deps: TuningServiceDeps) {
    this.#deps = deps;
    this.heads = new HeadStore(deps.dataDir);
    deps.jobs.register<HeadJobPayload, HeadJobResult>(HEAD_JOB, {
      maxAttempts: 1,
      run: (ctx) => this.#runHead(ctx),
      describe: (p) => ({ name: p.name, examples: p.examples.length, source: p.source ?? null }),
    });
  }

  /** Queues a head training job. */
  async startHead(
    projectId: string,
    payload: HeadJobPayload,
    createdBy?: string | null,
  ): Promise<Job<HeadJobPayload>> {
    checkPayload(payload);
    return this.#deps.jobs.enqueue({
      projectId,
      kind: HEAD_JOB,
      payload,
      createdBy: createdBy ?? null,
      total: payload.options?.maxEpochs ?? 30,
    });
  }

  async #runHead(ctx: JobContext<HeadJobPayload>): Promise<HeadJobResult> {
    const p = ctx.payload;
    checkPayload(p);
    const features = charNgramSpec(p.features);
    const result = await trainLogisticHead(p.examples, features, p.options ?? {}, {
      validation: p.validation,
      signal: ctx.signal,
      onEpoch: (record, max) =>
        ctx.progress(
          record.epoch,
          max,
          `epoch ${record.epoch}: validation loss ${record.validationLoss.toFixed(4)}`,
        ),
    });
    const info = await this.heads.save(
      ctx.job.projectId,
      {
        name: p.name,
        kind: 'logistic',
        labels: result.model.labels,
        features,
        hyperParameters: result.hyperParameters,
        dataset: {
          sha256: datasetHash(p.examples, p.validation),
          count: p.examples.length + (p.validation?.length ?? 0),
          trainCount: result.trainCount,
          validationCount: result.validationCount,
          source: p.source ?? null,
        },
        metrics: result.validation,
        curve: result.curve,
        bestEpoch: result.bestEpoch,
        temperature: result.model.temperature,
        operatingPoint: result.model.operatingPoint,
        jobId: ctx.job.id,
      },
      result.model,
    );
    this.#deps.audit.record({
      action: 'head.version.create',
      projectId: ctx.job.projectId,
      target: { type: 'head', id: info.name },
      after: {
        name: info.name,
        version: info.version,
        dataset: info.dataset,
        hyperParameters: info.hyperParameters,
      },
      detail: { version: info.version, seed: info.hyperParameters.seed, macroF1: info.metrics.macroF1 },
    });
    return {
      name: info.name,
      version: info.version,
      accuracy: info.metrics.accuracy,
      macroF1: info.metrics.macroF1,
      bestEpoch: info.bestEpoch,
    };
  }

  list(projectId: string): Promise<HeadVersionInfo[]> {
    return this.heads.list(projectId);
  }

  versions(projectId: string, name: string): Promise<HeadVersionInfo[]> {
    return this.heads.versions(projectId, name);
  }

  /** Classifies texts with a stored head (latest version unless one is named). */
  async classify(
    projectId: string,
    name: string,
    texts: string[],
    version?: number,
  ): Promise<{ head: { name: string; version: number }; predictions: HeadPrediction[] }> {
    const { info, model } = await this.heads.load(projectId, name, version);
    return {
      head: { name: info.name, version: info.version },
      predictions: texts.map((t) => classifyWithHead(model, t)),
    };
  }
}
