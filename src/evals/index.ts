/**
 * @module evals
 * Evaluation: datasets (versioned uploads with splits and sampling), runs of a target over a
 * dataset on the job service (cached outputs, resumable, thresholds), metrics and red-teaming.
 * Other modules import it only through this file.
 */
import type { KeelModule } from '../core/module.js';
import { EvalService } from './eval-service.js';
import type { EvalsDeps } from './evals-deps.js';
import { RedTeamService } from './red-team/red-team-service.js';

export type { ColumnMapping, DatasetItem, RandomSplits } from './datasets/dataset-items.js';
export { DATASET_UPLOAD_LIMIT_BYTES } from './datasets/dataset-service.js';
export type { DatasetRow, DatasetVersionRow, StoredItem } from './datasets/dataset-store.js';
export { type DatasetFormat, datasetFormats, formatOf } from './datasets/parse-file.js';
export { readSharedSet, type SharedSet } from './datasets/shared-sets.js';
export { EvalService } from './eval-service.js';
export type { EvalsDeps } from './evals-deps.js';
/** Classification metrics (accuracy, macro/micro F1, per class, confusion), for tuning reports. */
export {
  type ClassificationReport as LabelMetricsReport,
  classify as labelMetrics,
} from './metrics/classification.js';
export { metricInfo } from './metrics/index.js';
export { RED_TEAM_JOB, RedTeamService } from './red-team/red-team-service.js';
export type { CreateRunInput } from './runs/run-service.js';
export type { RunAggregates, RunItemRow, RunRow, RunTarget, Threshold } from './runs/run-types.js';
/** A run's scoring and parameter mapping, for features that score outputs themselves (prompt search). */
export { aggregate, checkMetrics, corpusScores, type ScoredItem } from './runs/scoring.js';
export { generationParameters } from './runs/targets.js';

/** The evals module: datasets and evaluation runs (the `evals.run` job kind). */
export const evalsModule: KeelModule<EvalsDeps, { evals: EvalService; redTeam: RedTeamService }> = {
  name: 'evals',
  create: (deps) => {
    const evals = new EvalService(deps);
    // RAG experiments and Prompt Lab compare are clients of this module: they sit below it (it
    // runs their targets), so they get the recorder port here instead of importing it.
    deps.rag.experiments.useEvaluations(evals.recorder);
    deps.prompts.useEvaluations(evals.recorder);
    return {
      evals,
      // Public probe sets are read by name from the configured datasets folder, when there is one.
      redTeam: new RedTeamService({
        ...deps,
        datasetsDir: deps.config.evals.datasetsDir,
        // Deployments are built after this module: looked up when a run targets one.
        deployments: () => deps.deployments,
      }),
    };
  },
};
