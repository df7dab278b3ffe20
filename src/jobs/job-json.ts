/**
 * @module jobs/job-json
 * A job as the API shows it: the payload only through its kind's `describe` (payloads can hold
 * credentials or thousands of ids), timestamps as ISO strings.
 */
import type { JobJson } from '../api/jobs.js';
import type { Job, JobHandler } from './job-types.js';

export type { JobJson };

export function jobJson(job: Job, handler?: JobHandler<never, unknown>): JobJson {
  let summary: Record<string, unknown> = {};
  try {
    summary = handler?.describe?.(job.payload as never) ?? {};
  } catch {
    summary = {};
  }
  return {
    id: job.id,
    project_id: job.projectId,
    kind: job.kind,
    status: job.status,
    summary,
    progress: {
      done: job.progress.done,
      total: job.progress.total,
      message: job.progress.message,
      data: job.progress.data,
    },
    attempts: job.attempts,
    max_attempts: job.maxAttempts,
    run_after: job.runAfter.toISOString(),
    cancel_requested: job.cancelRequested,
    result: job.result ?? null,
    error: job.error,
    created_by: job.createdBy,
    created_at: job.createdAt.toISOString(),
    updated_at: job.updatedAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}
