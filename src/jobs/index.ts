/**
 * @module jobs
 * The job service: one database-backed queue with leases, heartbeats, retries, idempotent steps,
 * cancellation and progress events. Modules add job kinds through `JobService.register`.
 */
import type { KeelModule, ModuleBase } from '../core/module.js';
import { JobService } from './job-service.js';

export { type JobJson, jobJson } from './job-json.js';
export { JobService } from './job-service.js';
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
  type JobServiceOptions,
  type JobStatus,
  jobStatuses,
  terminalStatuses,
} from './job-types.js';
export { backoffDelay, isRetryable } from './retry.js';

/**
 * The jobs module: the one job runner. Modules created after it register their kinds; it starts
 * once they all have (jobs a previous process left unfinished resume then), and stops first on
 * shutdown, so running jobs go back to the queue before the models they use are closed.
 */
export const jobsModule: KeelModule<ModuleBase, { jobs: JobService }> = {
  name: 'jobs',
  create: ({ db, config, logger }) => ({
    // An embedded database belongs to this process alone, so jobs left running were orphaned.
    jobs: new JobService({ db, logger, exclusive: db.provider === 'pglite', leaseMs: config.jobs.leaseMs }),
  }),
  start: ({ jobs }) => jobs.start(),
  stop: ({ jobs }) => jobs.stop(),
};
