/**
 * @module server/context
 * What every request handler can reach: the services (one set per Keel instance) and the
 * per-request variables the middleware resolves.
 */
import type { AuditLog } from '../audit/index.js';
import type { KeelConfig } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { KeelMetrics } from '../core/metrics.js';
import type { DataService, RagSources } from '../data/index.js';
import type { DeploymentService } from '../deployments/index.js';
import type { Ledger, LimitStore } from '../deployments/ledger/index.js';
import type {
  AlertService,
  IncidentStore,
  MonitoringService,
  RequestLog,
} from '../deployments/monitoring/index.js';
import type { EvalService, RedTeamService } from '../evals/index.js';
import type { FactsheetService, GovernanceService, RiskService } from '../governance/index.js';
import type { GuardrailService } from '../guardrails/guardrail-service.js';
import type { JobService } from '../jobs/index.js';
import type { GenerationService } from '../models/generation-service.js';
import type { ProviderRegistry } from '../models/provider-registry.js';
import type { PullService } from '../models/pull-jobs.js';
import type { ApiKeyService } from '../platform/api-keys.js';
import type { Installation } from '../platform/bootstrap.js';
import type { Principal } from '../platform/principal.js';
import type { ProjectService } from '../platform/projects.js';
import type { UsageMeter } from '../platform/usage-meter.js';
import type { UserService } from '../platform/users.js';
import type { PromptLab } from '../prompts/index.js';
import type { RagService } from '../rag/collections/rag-service.js';
import type { DatabaseV1 } from '../spec/database.js';
import type { AdapterService, TuningService } from '../tuning/index.js';

export interface KeelServices {
  config: KeelConfig;
  db: DatabaseV1;
  /** The one audit chain: every change is recorded here. */
  audit: AuditLog;
  logger: Logger;
  metrics: KeelMetrics;
  keys: ApiKeyService;
  users: UserService;
  projects: ProjectService;
  usage: UsageMeter;
  registry: ProviderRegistry;
  generation: GenerationService;
  /** The one job runner (ingestion, experiments, model downloads …). */
  jobs: JobService;
  pulls: PullService;
  guardrails: GuardrailService;
  rag: RagService;
  /** Prompt Lab: templates, runs, sessions, compare. */
  prompts: PromptLab;
  /** Evaluation: datasets, runs, metrics, red-teaming. */
  evals: EvalService;
  /** Red-team runs: probe sets through a target's guarded path (`evals.redteam` jobs). */
  redTeam: RedTeamService;
  /** Governance: inventory, lifecycle, approvals and the serving-time gate. */
  governance: GovernanceService;
  /** Risk assessments of use cases (questionnaire, scoring; read by the governance gates). */
  risk: RiskService;
  /** Factsheets of use cases, captured from the audit chain and the governance tables. */
  factsheets: FactsheetService;
  /** Deployment spaces, deployments, serving and rollout. */
  deployments: DeploymentService;
  /** The one ledger of limits and budgets, and its limits. */
  ledger: Ledger;
  limits: LimitStore;
  /** Monitors on the request log, their alerts and incidents. */
  monitoring: MonitoringService;
  requestLog: RequestLog;
  alerts: AlertService;
  incidents: IncidentStore;
  /** Data: sources, catalog and read-only SQL on the embedded engine. */
  data: DataService;
  /** Data tables and queries as RAG sources, synced on demand or on a schedule (jobs). */
  dataRagSources: RagSources;
  /** Tuning: task heads trained in-process (`tuning.head` jobs), served as `head:<name>`. */
  tuning: TuningService;
  /** LoRA adapters on llama.cpp base models, served as `llamacpp:<base>+<adapter>`. */
  adapters: AdapterService;
  installation: Installation;
  startedAt: Date;
  version: string;
}

export type ErrorFormat = 'keel' | 'openai' | 'watsonx';

export interface KeelEnv {
  Variables: {
    principal: Principal;
    requestId: string;
    errorFormat: ErrorFormat;
  };
}
