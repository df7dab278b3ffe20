/**
 * @module jobs
 * The job service: one database-backed queue with leases, heartbeats, retries, idempotent steps,
 * cancellation and progress events. Modules add job kinds through `JobService.register`.
 */
export { type JobJson, jobJson } from './job-json.js';
export { JobService, type JobServiceOptions } from './job-service.js';
export type { ListJobsQuery } from './job-store.js';
export {
  type AbortReason,
  type EnqueueInput,
  type ItemOutcome,
  type Job,
  type JobContext,
  type JobError,
  type JobEvent,
  type JobHandler,
  type JobItemFailure,
  type JobLogEvent,
  type JobProgress,
  type JobStatus,
  jobStatuses,
  terminalStatuses,
} from './job-types.js';
export { backoffDelay, isRetryable } from './retry.js';
