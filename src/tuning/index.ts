/**
 * @module tuning
 * Tuning: task heads (logistic regression or a small MLP on hashed character n-grams or a
 * provider's embeddings, and token taggers on hashed token features) trained in-process on the job
 * service, stored as versioned files in the data directory, served for classification, tagging and
 * as the models `head:<name>` (approved through governance first where governance tracks them, and
 * always inside a deployment), usable as guardrail detectors, and registered in governance with
 * their lineage. LoRA adapters (`adapters/`) are registered for a llama.cpp base model, checked
 * against it, stored as versions with their hashes and served as `llamacpp:<base>+<name>` through
 * the provider's adapter source, behind the same serving gate as heads. Other modules import it
 * only through this file.
 */
import type { AuditRecorder } from '../audit/index.js';
import { KeelError } from '../core/errors.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { EvalService } from '../evals/index.js';
import type { GovernanceService } from '../governance/index.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { JobService } from '../jobs/index.js';
import type { ProviderRegistry } from '../models/index.js';
import type { PromptLab } from '../prompts/index.js';
import { servesAdapters } from '../spec/adapter-source.js';
import { AdapterService } from './adapters/adapter-service.js';
import { headSpans } from './head-detector.js';
import { createHeadProvider } from './head-provider.js';
import { PromptSearch } from './prompt-optimisation/prompt-search.js';
import { type HeadGovernance, TuningService } from './tuning-service.js';

export { type CharNgramOptions, charNgramSpec, featurise } from '../core/text/char-ngram-features.js';
export {
  ADAPTER_NAME,
  AdapterService,
  adapterLineage,
  type RegisterAdapter,
} from './adapters/adapter-service.js';
export type { AdapterLineage, AdapterVersion } from './adapters/adapter-store.js';
export type { ClassificationReport, ClassMetrics } from './classification-metrics.js';
export type { Calibration, HeadPrediction, LabelledText, OperatingPoint } from './head-core.js';
export { headSpans } from './head-detector.js';
export {
  baseEncoderOf,
  type Embedder,
  type EmbeddingFeatureSpec,
  encodeTexts,
  type FeatureSpec,
} from './head-features.js';
export { HEAD_NAME, type HeadVersionInfo } from './head-file.js';
export { HEAD_JOB, type HeadJobPayload, type HeadJobResult, MAX_HEAD_EXAMPLES } from './head-job.js';
export { classifyTexts, classifyVector, type HeadKind, type HeadModel, headKinds } from './head-model.js';
export { createHeadProvider, HEAD_PROVIDER } from './head-provider.js';
export type { EpochRecord, HeadTrainingOptions } from './head-trainer.js';
export { classifyWithHead, type LogisticHeadModel, trainLogisticHead } from './logistic-head.js';
export { classifyWithMlp, type MlpHeadModel, type MlpTrainingOptions, trainMlpHead } from './mlp-head.js';
export {
  PROMPT_JOB,
  type PromptJobPayload,
  type PromptJobResult,
  type TraceEntry,
} from './prompt-optimisation/prompt-job.js';
export { PromptSearch } from './prompt-optimisation/prompt-search.js';
export {
  bioSpans,
  type Entity,
  type SpanReport,
  spanReport,
  type TaggedSentence,
  type TaggedText,
  type TaggerModel,
  type TaggerOptions,
  tagText,
  tagTokens,
  trainTagger,
} from './token-tagger.js';
export { type HeadGovernance, TuningService } from './tuning-service.js';

export interface TuningDeps extends ModuleBase {
  jobs: JobService;
  audit: AuditRecorder;
  /** The model registry: embedding features, and where heads are served as `head:<name>`. */
  registry?: ProviderRegistry;
  /** Where trained heads are registered with their lineage, and approved for production. */
  governance?: GovernanceService;
  /** Policies may name heads as HAP or topic detectors. */
  guardrails?: GuardrailService;
  /** Prompt optimisation renders and saves templates in Prompt Lab … */
  prompts?: PromptLab;
  /** … and scores them on the evaluation module's datasets with its metric code. */
  evals?: EvalService;
}

function headGovernance(governance: GovernanceService): HeadGovernance {
  return {
    async track(input) {
      const kind = input.kind ?? 'model';
      try {
        const asset = await governance.trackAsset(
          { projectId: input.projectId, actor: input.actor, role: 'editor' },
          {
            use_case_id: input.useCaseId,
            kind,
            ref: input.ref,
            ...(input.version === undefined ? {} : { version: input.version }),
            name: input.name,
            metadata: input.metadata,
          },
        );
        return { id: asset.id };
      } catch (error) {
        // A job resumed after its worker died may have registered this version already.
        if (!(error instanceof KeelError) || error.code !== 'conflict') throw error;
        const assets = await governance.inventory.listAssets(input.projectId, {
          use_case_id: input.useCaseId,
          kind,
        });
        const same = assets.find(
          (asset) =>
            asset.ref === input.ref &&
            asset.ref_version === (input.version ?? null) &&
            sameOrigin(asset.metadata, input.metadata),
        );
        if (!same) throw error;
        return { id: same.id };
      }
    },
    async check(projectId, ref, version) {
      return governance.gate.check(projectId, { kind: 'model', ref, version });
    },
    findUseCase: (projectId, id) => governance.describeUseCase(projectId, id),
  };
}

/** The same saved version (its file's hash) or the same job registered the asset. */
function sameOrigin(existing: Record<string, unknown>, wanted: Record<string, unknown>): boolean {
  return (['file_sha256', 'job'] as const).some(
    (key) => typeof wanted[key] === 'string' && wanted[key] !== '' && existing[key] === wanted[key],
  );
}

/**
 * The tuning module: registers the `tuning.head` job kind, the `head` provider in the model
 * registry and the heads as guardrail detectors.
 */
export const tuningModule: KeelModule<TuningDeps, { tuning: TuningService; adapters: AdapterService }> = {
  name: 'tuning',
  create: ({ jobs, audit, config, db, logger, registry, governance, guardrails, prompts, evals }) => {
    const tuning = new TuningService({
      db,
      jobs,
      audit,
      dataDir: config.dataDir,
      logger,
      embedder: registry
        ? async (model, texts, signal) =>
            (
              await registry
                .embeddingModel(model)
                .doEmbed({ values: texts, ...(signal ? { abortSignal: signal } : {}) })
            ).embeddings
        : undefined,
      governance: governance ? headGovernance(governance) : undefined,
      promptSearch:
        prompts && evals
          ? new PromptSearch({
              jobs,
              audit,
              prompts,
              evals,
              governance: governance ? headGovernance(governance) : undefined,
            })
          : undefined,
    });
    registry?.register(createHeadProvider(tuning));
    guardrails?.useHeadDetectors(headSpans(tuning));
    // LoRA adapters, served as `llamacpp:<base>+<adapter>` by the provider that applies them.
    const adapterHost = registry?.providers().find(servesAdapters);
    const adapters = new AdapterService({
      db,
      dataDir: config.dataDir,
      audit,
      host: adapterHost,
      governance: governance ? headGovernance(governance) : undefined,
    });
    adapterHost?.setAdapterSource(adapters.source());
    return { tuning, adapters };
  },
};
