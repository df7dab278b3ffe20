/**
 * @module tuning
 * Tuning: task heads (logistic regression on hashed character n-grams) trained in-process on the
 * job service, stored as versioned files in the data directory, and served for classification.
 * Other modules import it only through this file.
 */
import type { AuditRecorder } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { JobService } from '../jobs/index.js';
import { TuningService } from './tuning-service.js';

export { type CharNgramOptions, charNgramSpec, featurise } from './char-ngram-features.js';
export type { ClassificationReport, ClassMetrics } from './classification-metrics.js';
export { HEAD_NAME, type HeadVersionInfo } from './head-store.js';
export {
  classifyWithHead,
  type HeadPrediction,
  type HeadTrainingOptions,
  type LabelledText,
  trainLogisticHead,
} from './logistic-head.js';
export {
  HEAD_JOB,
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
