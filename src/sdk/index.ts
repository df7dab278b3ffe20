/**
 * @module sdk
 * Keel's TypeScript SDK. `new KeelClient({ baseURL, apiKey })`.
 */

export { AuditApi, type AuditListQuery } from './audit.js';
export type { ChatChunk, KeelClientOptions, RequestOptions } from './client.js';
export { KeelClient } from './client.js';
export * from './data.js';
export {
  type DeploymentJson,
  type DeploymentMetricsJson,
  DeploymentsApi,
  type InvokeResponse,
  type SpaceJson,
  SpacesApi,
} from './deployments.js';
export { type ApiErrorCode, type ApiIssue, type ErrorCode, KeelApiError } from './errors.js';
export {
  type AddDatasetResult,
  type Dataset,
  type DatasetVersion,
  EvalsApi,
  type EvaluationItem,
} from './evals.js';
export { type ApprovalOutcome, GovernanceApi, type HistoryEntry } from './governance.js';
export { GuardrailsApi, type StoredPolicyJson } from './guardrails.js';
export { type MetricInfoJson, MetricsApi } from './metrics.js';
export {
  type AlertJson,
  type IncidentJson,
  LimitsApi,
  type MonitorJson,
  type MonitorResultJson,
  MonitorsApi,
} from './monitors.js';
export {
  type FewShotSummary,
  fewShotSummary,
  type LabelMove,
  PromptsApi,
  type RedactHistoryReport,
  type RevealOption,
  type RunSearch,
} from './prompts.js';
export * from './rag.js';
export { RedTeamApi } from './red-team.js';
export {
  type AssessmentJson,
  type Factsheet,
  type FactsheetDiff,
  type FactsheetExportResult,
  FactsheetsApi,
  type QuestionnaireJson,
  RiskApi,
} from './risk-factsheets.js';
export { readSse, type SseEvent } from './sse.js';
export {
  type CurvePoint,
  type HeadClassifyResponse,
  type HeadJobRequest,
  type HeadJobResultJson,
  type HeadVersionJson,
  type JobJson as TuningJobJson,
  TuningApi,
} from './tuning.js';
