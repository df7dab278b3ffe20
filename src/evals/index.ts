/**
 * @module evals
 * Evaluation: datasets (versioned uploads with splits and sampling), runs of a target over a
 * dataset on the job service (cached outputs, resumable, thresholds), metrics and red-teaming.
 * Other modules import it only through this file.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelModule, ModuleBase } from '../core/module.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService, ProviderRegistry } from '../models/index.js';
import type { PromptLab } from '../prompts/index.js';
import type { RagService } from '../rag/index.js';
import { EvalService } from './eval-service.js';
import { RedTeamService } from './red-team/red-team-service.js';

export type { ColumnMapping, DatasetItem, RandomSplits } from './datasets/dataset-items.js';
export { DATASET_UPLOAD_LIMIT_BYTES } from './datasets/dataset-service.js';
export type { DatasetRow, DatasetVersionRow, StoredItem } from './datasets/dataset-store.js';
export { type DatasetFormat, datasetFormats, formatOf } from './datasets/parse-file.js';
export { readSharedSet, type SharedSet } from './datasets/shared-sets.js';
export { EvalService } from './eval-service.js';
export { RED_TEAM_JOB, RedTeamService } from './red-team/red-team-service.js';
export type { CreateRunInput } from './runs/run-service.js';
export type { RunAggregates, RunItemRow, RunRow, RunTarget, Threshold } from './runs/run-types.js';

export interface EvalsDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  guardrails: GuardrailService;
  registry: ProviderRegistry;
  generation: GenerationService;
  rag: RagService;
  prompts: PromptLab;
}

/** The evals module: datasets and evaluation runs (the `evals.run` job kind). */
export const evalsModule: KeelModule<EvalsDeps, { evals: EvalService; redTeam: RedTeamService }> = {
  name: 'evals',
  create: (deps) => ({ evals: new EvalService(deps), redTeam: new RedTeamService(deps) }),
};
