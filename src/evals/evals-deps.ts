/**
 * @module evals/evals-deps
 * What the evals module's services receive from the runtime and the modules created before it.
 */
import type { AuditLog } from '../audit/index.js';
import type { ModuleBase } from '../core/module.js';
import type { DeploymentService } from '../deployments/index.js';
import type { GuardrailService } from '../guardrails/index.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService, ProviderRegistry } from '../models/index.js';
import type { PromptLab } from '../prompts/index.js';
import type { RagService } from '../rag/index.js';

export interface EvalsDeps extends ModuleBase {
  audit: AuditLog;
  jobs: JobService;
  guardrails: GuardrailService;
  registry: ProviderRegistry;
  generation: GenerationService;
  rag: RagService;
  prompts: PromptLab;
  /**
   * Created after this module (governance, which reads evaluation runs, comes between): the
   * runtime's services object gains it once every module exists, so read it at call time.
   */
  deployments?: DeploymentService | undefined;
}
