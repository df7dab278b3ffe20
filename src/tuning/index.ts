/**
 * @module tuning
 * Tuning: task heads (logistic regression or a small MLP on hashed character n-grams or a
 * provider's embeddings) trained in-process on the job service, stored as versioned files in the
 * data directory, served for classification and as the models `head:<name>`, usable as guardrail
 * detectors, and registered in governance with their lineage. Other modules import it only
 * through this file.
 */
import type { AuditRecorder } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { JobService } from '../jobs/index.js';
import { TuningService } from './tuning-service.js';

export { type CharNgramOptions, charNgramSpec, featurise } from './char-ngram-features.js';
export type { ClassificationReport, ClassMetrics } from './classification-metrics.js';
export type { Calibration, HeadPrediction, LabelledText, OperatingPoint } from './head-core.js';
export {
  baseEncoderOf,
  type Embedder,
  type EmbeddingFeatureSpec,
  encodeTexts,
  type FeatureSpec,
} from './head-features.js';
export { classifyTexts, classifyVector, type HeadKind, type HeadModel, headKinds } from './head-model.js';
export { HEAD_NAME, type HeadVersionInfo } from './head-store.js';
export type { EpochRecord, HeadTrainingOptions } from './head-trainer.js';
export { classifyWithHead, type LogisticHeadModel, trainLogisticHead } from './logistic-head.js';
export { classifyWithMlp, type MlpHeadModel, type MlpTrainingOptions, trainMlpHead } from './mlp-head.js';
export {
  HEAD_JOB,
  type HeadGovernance,
  type HeadJobPayload,
  type HeadJobResult,
  MAX_HEAD_EXAMPLES,
  TuningService,
} from './tuning-service.js';

export interface TuningDeps extends ModuleBase {
  jobs: JobService;
  audit: AuditRecorder;
}

/** The tuning module: registers the `tuning.head` job kind on the job service. */
export const tuningModule: KeelModule<TuningDeps, { tuning: TuningService }> = {
  name: 'tuning',
  create: ({ jobs, audit, config }) => ({
    tuning: new TuningService({ jobs, audit, dataDir: config.dataDir }),
  }),
};
