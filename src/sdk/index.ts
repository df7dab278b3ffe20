/**
 * @module sdk
 * Keel's TypeScript SDK. `new KeelClient({ baseURL, apiKey })`.
 */

export { AuditApi, type AuditListQuery } from './audit.js';
export type { ChatChunk, KeelClientOptions, RequestOptions } from './client.js';
export { KeelClient } from './client.js';
export { type ApiErrorCode, type ApiIssue, type ErrorCode, KeelApiError } from './errors.js';
export { GuardrailsApi, type StoredPolicyJson } from './guardrails.js';
export {
  type LabelMove,
  PromptsApi,
  type RedactHistoryReport,
  type RevealOption,
  type RunSearch,
} from './prompts.js';
export * from './rag.js';
export { readSse, type SseEvent } from './sse.js';
