/**
 * @module extraction/job-resource-view
 * How a watsonx job resource (a text extraction, a text classification) shows the job behind it:
 * watsonx's status for the job's state, times as ISO strings, the resource's `metadata`, and the
 * error it reports (a cancelled job reads as a `cancelled` error).
 */
import type { Job } from '../jobs/index.js';

/** watsonx's status of a resource whose job is in this state. */
export const statusOf: Record<Job['status'], string> = {
  queued: 'submitted',
  running: 'running',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'failed',
};

export function iso(value: Date | string | null | undefined): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

/** The resource's `metadata`: recorded when the request came, modified when its job last changed. */
export function resourceMetadata(
  row: { id: string; project_id: string; created_at: Date | string },
  job: Job | undefined,
) {
  return {
    id: row.id,
    created_at: iso(row.created_at),
    ...(job ? { modified_at: iso(job.updatedAt) } : {}),
    project_id: row.project_id,
  };
}

/** The job's error; for a cancelled job, `cancelled` with "The <noun> was cancelled." */
export function jobError(job: Job | undefined, noun: 'extraction' | 'classification') {
  return job?.status === 'cancelled'
    ? { code: 'cancelled', message: `The ${noun} was cancelled.` }
    : job?.error;
}
