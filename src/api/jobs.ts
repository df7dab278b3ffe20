/**
 * @module api/jobs
 * The job API (`/api/v1/jobs`): long work of every module — ingestion, experiments, model
 * downloads — as one kind of resource with status, progress, per-item failures and an event
 * stream.
 */
import { z } from 'zod';

export const jobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const jobErrorSchema = z.object({ code: z.string(), message: z.string() });

export const jobJsonSchema = z.object({
  id: z.string(),
  project_id: z.string(),
  kind: z.string().describe('e.g. rag.ingest, rag.experiment, models.pull'),
  status: jobStatusSchema,
  /** A summary of what the job works on (never secrets, never bulk data). */
  summary: z.record(z.string(), z.unknown()),
  progress: z.object({
    done: z.number(),
    total: z.number().nullable(),
    message: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
  }),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  run_after: z.string(),
  cancel_requested: z.boolean(),
  result: z.unknown().nullable(),
  error: jobErrorSchema.nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
});
export type JobJson = z.infer<typeof jobJsonSchema>;

export const jobFailureSchema = z.object({
  item: z.string(),
  label: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

export const jobDetailSchema = jobJsonSchema.extend({
  /** Items that failed on their own (the first 100) and how many there are. */
  failures: z.array(jobFailureSchema),
  failures_count: z.number().int(),
});
export type JobDetailJson = z.infer<typeof jobDetailSchema>;

export const listJobsQuerySchema = z.strictObject({
  kind: z.string().min(1).max(100).optional(),
  status: jobStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const jobLogEventSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  message: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  created_at: z.string(),
});
