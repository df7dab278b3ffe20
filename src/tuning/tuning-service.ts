import path from 'node:path';
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Job, JobContext, JobService } from '../jobs/index.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { HeadPrediction } from './head-core.js';
import { baseEncoderOf, type Embedder } from './head-features.js';
import type { HeadVersionInfo } from './head-file.js';
import {
  checkPayload,
  datasetHash,
  featureSpecOf,
  HEAD_JOB,
  type HeadJobPayload,
  type HeadJobResult,
  lineage,
  rowsOf,
} from './head-job.js';
import { classifyTexts, type HeadModel } from './head-model.js';
import { HeadStore } from './head-store.js';
import type { EpochRecord } from './head-trainer.js';
import { trainLogisticHead } from './logistic-head.js';
import { trainMlpHead } from './mlp-head.js';
import type { PromptSearch } from './prompt-optimisation/prompt-search.js';
import { checkServingGate } from './serving-gate.js';
import { type SpanReport, type TaggedText, tagText, trainTagger } from './token-tagger.js';
import type { HeadGovernance } from './tuned-governance.js';

export type { HeadGovernance } from './tuned-governance.js';

export interface TuningServiceDeps {
  db: DatabaseV1;
  jobs: JobService;
  audit: AuditRecorder;
  /** Where an earlier release kept heads as files (imported into the database on first use). */
  dataDir: string;
  logger?: Logger | undefined;
  /** The registry's embed, for heads on embedding features. */
  embedder?: Embedder | undefined;
  governance?: HeadGovernance | undefined;
  /** Prompt optimisation (`tuning.prompt` jobs), where Prompt Lab and the evaluation module run. */
  promptSearch?: PromptSearch | undefined;
}

export class TuningService {
  readonly heads: HeadStore;
  readonly promptSearch: PromptSearch | undefined;
  readonly #deps: TuningServiceDeps;

  constructor(deps: TuningServiceDeps) {
    this.#deps = deps;
    this.heads = new HeadStore(deps.db, {
      legacyDir: path.join(deps.dataDir, 'heads'),
      logger: deps.logger,
    });
    this.promptSearch = deps.promptSearch;
    deps.jobs.register<HeadJobPayload, HeadJobResult>(HEAD_JOB, {
      // A job whose worker died is trained again elsewhere (the version it saved, if any, is kept);
      // a failure is shown at once: training again would fail the same way.
      maxAttempts: 3,
      retriesFailures: () => false,
      run: (ctx) => this.#runHead(ctx),
      describe: (p) => ({
        name: p.name,
        method: p.method ?? 'logistic',
        examples: rowsOf(p).train.length,
        source: p.source ?? null,
      }),
    });
  }

  /** Queues a head training job. */
  async startHead(
    projectId: string,
    payload: HeadJobPayload,
    createdBy?: string | null,
  ): Promise<Job<HeadJobPayload>> {
    checkPayload(payload);
    if (payload.features?.model !== undefined && !this.#deps.embedder) {
      throw new KeelError('invalid_request', 'Embedding features need the model registry.', {
        issues: [{ code: 'no_embedder', path: ['features', 'model'], message: 'no registry' }],
      });
    }
    if (payload.governance && !this.#deps.governance) {
      throw new KeelError('invalid_request', 'Governance is not available in this instance.', {
        issues: [{ code: 'no_governance', path: ['governance'], message: 'no governance module' }],
      });
    }
    return this.#deps.jobs.enqueue({
      projectId,
      kind: HEAD_JOB,
      payload,
      createdBy: createdBy ?? null,
      total: payload.options?.maxEpochs ?? 30,
    });
  }

  /**
   * Trains and saves the head, registers it with governance when asked, and records the new
   * version. A job resumed after its worker died finds the version the earlier attempt saved (one
   * per job) and goes on from there instead of training again.
   */
  async #runHead(ctx: JobContext<HeadJobPayload>): Promise<HeadJobResult> {
    const p = ctx.payload;
    checkPayload(p);
    const saved = await this.heads.byJob(ctx.job.projectId, ctx.job.id);
    let info = saved ?? (await this.#train(ctx));
    if (p.governance && this.#deps.governance && !info.governanceAssetId) {
      try {
        const asset = await this.#deps.governance.track({
          projectId: ctx.job.projectId,
          actor: ctx.job.createdBy ?? 'system',
          useCaseId: p.governance.useCaseId,
          ref: `head:${info.name}`,
          version: info.version,
          name: `head:${info.name} v${info.version}`,
          metadata: lineage(info),
        });
        info = await this.heads.annotate(ctx.job.projectId, info.name, info.version, {
          governanceAssetId: asset.id,
        });
      } catch (error) {
        // No half-registered asset: the version goes again when governance refuses it.
        await this.heads.remove(ctx.job.projectId, info.name, info.version);
        throw error;
      }
    }
    this.#deps.audit.record({
      action: 'head.version.create',
      projectId: ctx.job.projectId,
      target: { type: 'head', id: info.name },
      after: {
        name: info.name,
        version: info.version,
        method: info.kind,
        baseEncoder: info.baseEncoder,
        dataset: info.dataset,
        hyperParameters: info.hyperParameters,
      },
      detail: {
        version: info.version,
        seed: Number(info.hyperParameters.seed),
        macroF1: info.metrics.macroF1,
        // The earlier attempt's record may have been lost with its worker.
        ...(saved ? { resumed: true } : {}),
      },
    });
    return {
      name: info.name,
      version: info.version,
      accuracy: info.metrics.accuracy,
      macroF1: info.metrics.macroF1,
      bestEpoch: info.bestEpoch,
      governanceAssetId: info.governanceAssetId ?? null,
      ...(info.spans ? { spanF1: info.spans.f1 } : {}),
    };
  }

  async #train(ctx: JobContext<HeadJobPayload>): Promise<HeadVersionInfo> {
    const p = ctx.payload;
    const features = featureSpecOf(p);
    const curve: EpochRecord[] = [];
    const extra = {
      validation: p.validation,
      signal: ctx.signal,
      embedder: this.#deps.embedder,
      onEpoch: (record: EpochRecord, max: number) => {
        curve.push(record);
        return ctx.progress(
          record.epoch,
          max,
          `epoch ${record.epoch}: validation loss ${record.validationLoss.toFixed(4)}`,
          {
            data: { curve },
          },
        );
      },
    };
    const started = performance.now();
    const result =
      p.method === 'tagger'
        ? await trainTagger(p.sentences ?? [], features, p.options ?? {}, {
            ...extra,
            validation: p.validationSentences,
          })
        : p.method === 'mlp'
          ? await trainMlpHead(p.examples, features, p.options ?? {}, extra)
          : await trainLogisticHead(p.examples, features, p.options ?? {}, extra);
    const trainingMs = Math.round(performance.now() - started);
    const rows = rowsOf(p);
    const model: HeadModel = result.model;
    const calibration = model.calibration;
    return this.heads.save(
      ctx.job.projectId,
      {
        name: p.name,
        kind: model.kind,
        labels: model.labels,
        features,
        baseEncoder: baseEncoderOf(features),
        hyperParameters: { ...result.hyperParameters },
        dataset: {
          sha256: datasetHash(rows.train, rows.validation),
          count: rows.train.length + (rows.validation?.length ?? 0),
          trainCount: result.trainCount,
          validationCount: result.validationCount,
          source: p.source ?? null,
        },
        metrics: result.validation,
        curve: result.curve,
        bestEpoch: result.bestEpoch,
        temperature: calibration.method === 'temperature' ? calibration.temperature : 1,
        calibration,
        operatingPoint: model.operatingPoint,
        jobId: ctx.job.id,
        trainingMs,
        governanceAssetId: null,
        spans: 'spans' in result ? (result.spans as SpanReport) : null,
      },
      model,
    );
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
    signal?: AbortSignal,
  ): Promise<{ head: { name: string; version: number }; predictions: HeadPrediction[] }> {
    const { info, model } = await this.heads.load(projectId, name, version);
    return {
      head: { name: info.name, version: info.version },
      predictions: await classifyTexts(model, texts, this.#deps.embedder, signal),
    };
  }

  /**
   * The serving gate for a head answering as the model `head:<name>`: a version registered in
   * governance serves only once approved there; inside a deployment (production) the head must
   * also be registered, so an ungoverned head is refused too. Both refusals are
   * `asset_not_approved` (403); `issues[].code` says why (`approval_missing`, `not_governed`, …).
   */
  async checkServing(
    projectId: string,
    info: Pick<HeadVersionInfo, 'name' | 'version'>,
    deploymentId: string | null,
  ): Promise<void> {
    await checkServingGate(this.#deps.governance, {
      projectId,
      ref: `head:${info.name}`,
      version: info.version,
      deploymentId,
      path: 'head',
      data: { head: info.name, version: info.version },
    });
  }

  /**
   * One text through a head behind the serving gate (`checkServing`), the `head:<name>` model's
   * path: a classifier's prediction, or a tagger's tokens and entities.
   */
  async serve(
    projectId: string,
    name: string,
    text: string,
    options: { version?: number | undefined; deploymentId?: string | null; signal?: AbortSignal | undefined },
  ): Promise<
    { head: { name: string; version: number } } & (
      | { kind: 'classifier'; prediction: HeadPrediction }
      | { kind: 'tagger'; tagged: TaggedText }
    )
  > {
    const { info, model } = await this.heads.load(projectId, name, options.version);
    await this.checkServing(projectId, info, options.deploymentId ?? null);
    const head = { name: info.name, version: info.version };
    if (model.kind === 'tagger') {
      return {
        head,
        kind: 'tagger',
        tagged: await tagText(model, text, this.#deps.embedder, options.signal),
      };
    }
    const [prediction] = await classifyTexts(model, [text], this.#deps.embedder, options.signal);
    return { head, kind: 'classifier', prediction: prediction as HeadPrediction };
  }

  /** Tags texts with a stored tagger head (latest version unless one is named). */
  async tag(
    projectId: string,
    name: string,
    texts: string[],
    version?: number,
  ): Promise<{ head: { name: string; version: number }; results: TaggedText[] }> {
    const { info, model } = await this.heads.load(projectId, name, version);
    if (model.kind !== 'tagger') {
      throw new KeelError('invalid_request', `Head ${info.name} classifies texts; it does not tag tokens.`, {
        issues: [{ code: 'head_is_classifier', path: ['name'], message: 'use the classify endpoint' }],
      });
    }
    const results: TaggedText[] = [];
    for (const text of texts) results.push(await tagText(model, text, this.#deps.embedder));
    return { head: { name: info.name, version: info.version }, results };
  }
}
