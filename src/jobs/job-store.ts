/**
 * @module jobs/job-store
 * The SQL of the job queue, the same text on PGlite and PostgreSQL. Claiming is one statement:
 * an UPDATE of the row a `SELECT … FOR UPDATE SKIP LOCKED` picked, so two workers never claim
 * the same job. Every write a worker makes while it runs a job is fenced by `lease_owner`: a
 * worker that lost its lease changes nothing.
 */
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';

/** The channel a new job is announced on, so that replicas claim it without waiting for a poll. */
export const JOBS_CHANNEL = 'keel_jobs';

import type {
  EnqueueInput,
  Job,
  JobError,
  JobItemFailure,
  JobLogEvent,
  JobProgress,
  JobStatus,
} from './job-types.js';

interface JobRow {
  id: string;
  project_id: string;
  kind: string;
  payload: unknown;
  status: JobStatus;
  progress_done: number;
  progress_total: number | null;
  progress_message: string | null;
  progress_data: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
  run_after: Date;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  heartbeat_at: Date | null;
  cancel_requested: boolean;
  result: unknown;
  error: JobError | null;
  idempotency_key: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function jobOf<P, R>(row: JobRow): Job<P, R> {
  return {
    id: row.id,
    projectId: row.project_id,
    kind: row.kind,
    payload: row.payload as P,
    status: row.status,
    progress: {
      done: row.progress_done,
      total: row.progress_total,
      message: row.progress_message,
      data: row.progress_data ?? {},
    },
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAfter: row.run_after,
    leaseOwner: row.lease_owner,
    leaseExpiresAt: row.lease_expires_at,
    heartbeatAt: row.heartbeat_at,
    cancelRequested: row.cancel_requested,
    result: (row.result ?? null) as R | null,
    error: row.error,
    idempotencyKey: row.idempotency_key,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export interface ListJobsQuery {
  projectId?: string | undefined;
  kind?: string | undefined;
  status?: JobStatus | undefined;
  /** JSON the payload must contain (`payload @> …`), e.g. `{ collection_id }`. */
  payloadContains?: Record<string, unknown> | undefined;
  limit?: number | undefined;
}

/** The lease as an interval parameter: `now() + $n * interval '1 millisecond'`. */
const leaseUntil = (param: number) => `now() + $${param} * interval '1 millisecond'`;

export class JobStore {
  constructor(readonly db: DatabaseV1) {}

  async insert(input: EnqueueInput, maxAttempts: number, session: DatabaseSession = this.db): Promise<Job> {
    const params = [
      newId('job'),
      input.projectId,
      input.kind,
      JSON.stringify(input.payload ?? {}),
      maxAttempts,
      input.runAfter ?? null,
      input.idempotencyKey ?? null,
      input.createdBy ?? null,
      input.total ?? null,
    ];
    const { rows } = await session.query<JobRow>(
      `INSERT INTO jobs (id, project_id, kind, payload, status, max_attempts, run_after, idempotency_key, created_by, progress_total)
       VALUES ($1, $2, $3, $4, 'queued', $5, coalesce($6::timestamptz, now()), $7, $8, $9)
       ON CONFLICT (project_id, kind, idempotency_key) DO NOTHING RETURNING *`,
      params,
    );
    if (rows[0]) {
      // Wakes the workers of every replica (delivered at commit when `session` is a transaction).
      await session.query('SELECT pg_notify($1, $2)', [JOBS_CHANNEL, input.kind]);
      return jobOf(rows[0]);
    }
    const { rows: existing } = await session.query<JobRow>(
      'SELECT * FROM jobs WHERE project_id = $1 AND kind = $2 AND idempotency_key = $3',
      [input.projectId, input.kind, input.idempotencyKey],
    );
    if (!existing[0]) throw new KeelError('internal', 'A job with this idempotency key vanished.');
    return jobOf(existing[0]);
  }

  /**
   * Claims the next due job of one of `kinds`: a queued job whose time has come, or a running one
   * whose lease expired (its worker died). One statement: the row lock taken by the sub-select
   * (SKIP LOCKED) is held by the UPDATE, so racing workers each get a different job or none.
   */
  async claim(owner: string, kinds: readonly string[], leaseMs: number): Promise<Job | undefined> {
    if (!kinds.length) return undefined;
    const { rows } = await this.db.query<JobRow & { previous_owner: string | null }>(
      `UPDATE jobs SET status = 'running', lease_owner = $1, lease_expires_at = ${leaseUntil(2)},
              heartbeat_at = now(), attempts = attempts + 1, started_at = coalesce(started_at, now()),
              updated_at = now()
        WHERE id = (
          SELECT id FROM jobs
           WHERE kind = ANY($3::text[]) AND NOT cancel_requested
             AND ((status = 'queued' AND run_after <= now())
               OR (status = 'running' AND lease_expires_at < now()))
           ORDER BY run_after, created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING *`,
      [owner, leaseMs, kinds],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  /**
   * Extends the leases of the jobs `owner` runs; returns those still held and whether a cancel
   * was asked for each. A job missing from the answer was taken over (its lease had expired).
   */
  async heartbeat(owner: string, ids: readonly string[], leaseMs: number): Promise<Map<string, boolean>> {
    if (!ids.length) return new Map();
    const { rows } = await this.db.query<{ id: string; cancel_requested: boolean }>(
      `UPDATE jobs SET lease_expires_at = ${leaseUntil(3)}, heartbeat_at = now()
        WHERE id = ANY($1::text[]) AND lease_owner = $2 AND status = 'running'
        RETURNING id, cancel_requested`,
      [ids, owner, leaseMs],
    );
    return new Map(rows.map((row) => [row.id, row.cancel_requested]));
  }

  /** The fence inside a worker's transaction: locks the row and extends the lease, or throws. */
  async assertLease(tx: DatabaseSession, id: string, owner: string, leaseMs: number): Promise<void> {
    const { rows } = await tx.query(
      `UPDATE jobs SET lease_expires_at = ${leaseUntil(3)}, heartbeat_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING id`,
      [id, owner, leaseMs],
    );
    if (!rows.length) throw leaseLost(id);
  }

  async progress(
    session: DatabaseSession,
    id: string,
    owner: string,
    progress: Omit<JobProgress, 'data'> & { data?: Record<string, unknown> | undefined },
  ): Promise<void> {
    const result = await session.query(
      `UPDATE jobs SET progress_done = $3, progress_total = $4, progress_message = $5,
              progress_data = progress_data || $6::jsonb, updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'running'`,
      [id, owner, progress.done, progress.total, progress.message, JSON.stringify(progress.data ?? {})],
    );
    if (result.affectedRows === 0) throw leaseLost(id);
  }

  /** Ends a job this worker holds. Returns the final row, or undefined when the lease was lost. */
  async finish(
    id: string,
    owner: string,
    status: 'succeeded' | 'failed' | 'cancelled',
    outcome: { result?: unknown; error?: JobError | null },
  ): Promise<Job | undefined> {
    const { rows } = await this.db.query<JobRow>(
      `UPDATE jobs SET status = $3, result = $4, error = $5, finished_at = now(), updated_at = now(),
              lease_owner = NULL, lease_expires_at = NULL
        WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING *`,
      [
        id,
        owner,
        status,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.error ? JSON.stringify(outcome.error) : null,
      ],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  /** Puts a job back in the queue: a retry after `delayMs`, or (shutdown) at once, not counting the attempt. */
  async requeue(
    id: string,
    owner: string,
    options: { delayMs: number; error?: JobError; refundAttempt?: boolean },
  ): Promise<Job | undefined> {
    const { rows } = await this.db.query<JobRow>(
      `UPDATE jobs SET status = 'queued', run_after = now() + $3 * interval '1 millisecond',
              error = coalesce($4::jsonb, error), attempts = attempts - $5, lease_owner = NULL,
              lease_expires_at = NULL, updated_at = now()
        WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING *`,
      [
        id,
        owner,
        options.delayMs,
        options.error ? JSON.stringify(options.error) : null,
        options.refundAttempt ? 1 : 0,
      ],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  /**
   * Jobs a dead process left running, released at once (embedded database: one process owns it,
   * so no other worker can hold them). They count as an attempt that ended.
   */
  async releaseOrphans(owner: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
        WHERE status = 'running' AND lease_owner IS DISTINCT FROM $1 RETURNING id`,
      [owner],
    );
    return rows.map((row) => row.id);
  }

  /** Jobs asked to cancel whose worker is gone (lease expired), or that never started. */
  async sweepCancelled(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now(), lease_owner = NULL,
              lease_expires_at = NULL, error = coalesce(error, '{"code":"client_closed","message":"Cancelled."}'::jsonb)
        WHERE cancel_requested AND (status = 'queued' OR (status = 'running' AND lease_expires_at < now()))
        RETURNING id`,
    );
    return rows.map((row) => row.id);
  }

  /** Asks a job to stop: a queued job is cancelled at once, a running one when its worker sees the flag. */
  async requestCancel(id: string): Promise<Job | undefined> {
    const { rows } = await this.db.query<JobRow>(
      `UPDATE jobs SET cancel_requested = true, updated_at = now(),
              status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
              finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
              error = CASE WHEN status = 'queued' THEN '{"code":"client_closed","message":"Cancelled."}'::jsonb ELSE error END
        WHERE id = $1 AND status IN ('queued', 'running') RETURNING *`,
      [id],
    );
    return rows[0] ? jobOf(rows[0]) : undefined;
  }

  async get<P = unknown, R = unknown>(id: string): Promise<Job<P, R> | undefined> {
    const { rows } = await this.db.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]);
    return rows[0] ? jobOf<P, R>(rows[0]) : undefined;
  }

  async list(query: ListJobsQuery): Promise<Job[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (query.projectId !== undefined) add('project_id = ?', query.projectId);
    if (query.kind !== undefined) add('kind = ?', query.kind);
    if (query.status !== undefined) add('status = ?', query.status);
    if (query.payloadContains) add('payload @> ?::jsonb', JSON.stringify(query.payloadContains));
    params.push(Math.min(Math.max(query.limit ?? 50, 1), 500));
    const { rows } = await this.db.query<JobRow>(
      `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((row) => jobOf(row));
  }

  // Steps ----------------------------------------------------------------------------------------

  async stepOf(
    jobId: string,
    key: string,
  ): Promise<{ status: 'succeeded' | 'failed'; output: unknown; error: JobError | null } | undefined> {
    const { rows } = await this.db.query<{
      status: 'succeeded' | 'failed';
      output: unknown;
      error: JobError | null;
    }>('SELECT status, output, error FROM job_steps WHERE job_id = $1 AND key = $2', [jobId, key]);
    return rows[0];
  }

  async saveStep(
    session: DatabaseSession,
    jobId: string,
    key: string,
    step: { status: 'succeeded' | 'failed'; output?: unknown; error?: JobError; label?: string | null },
  ): Promise<void> {
    await session.query(
      `INSERT INTO job_steps (job_id, key, status, label, output, error) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (job_id, key) DO UPDATE SET status = EXCLUDED.status, label = EXCLUDED.label,
         output = EXCLUDED.output, error = EXCLUDED.error, created_at = now()`,
      [
        jobId,
        key,
        step.status,
        step.label ?? null,
        step.output === undefined ? null : JSON.stringify(step.output),
        step.error ? JSON.stringify(step.error) : null,
      ],
    );
  }

  /** Many failed items in one statement. */
  async saveFailures(
    session: DatabaseSession,
    jobId: string,
    failures: readonly JobItemFailure[],
  ): Promise<void> {
    for (let i = 0; i < failures.length; i += 500) {
      const slice = failures.slice(i, i + 500);
      const params: unknown[] = [jobId];
      const tuples = slice.map((failure) => {
        params.push(
          failure.key,
          failure.label,
          JSON.stringify({ code: failure.code, message: failure.message }),
        );
        const n = params.length;
        return `($1, $${n - 2}, 'failed', $${n - 1}, $${n})`;
      });
      await session.query(
        `INSERT INTO job_steps (job_id, key, status, label, error) VALUES ${tuples.join(', ')}
         ON CONFLICT (job_id, key) DO UPDATE SET status = 'failed', label = EXCLUDED.label, error = EXCLUDED.error`,
        params,
      );
    }
  }

  /** Outputs of the job's completed steps whose key starts with `prefix`, in the order they completed. */
  async stepOutputs(jobId: string, prefix = ''): Promise<{ key: string; output: unknown }[]> {
    const { rows } = await this.db.query<{ key: string; output: unknown }>(
      `SELECT key, output FROM job_steps WHERE job_id = $1 AND status = 'succeeded' AND starts_with(key, $2)
        ORDER BY created_at, key`,
      [jobId, prefix],
    );
    return rows;
  }

  async failures(jobId: string, limit = 100): Promise<{ failures: JobItemFailure[]; count: number }> {
    const { rows } = await this.db.query<{
      key: string;
      label: string | null;
      error: JobError;
      total: number;
    }>(
      `SELECT key, label, error, count(*) OVER ()::int AS total FROM job_steps
        WHERE job_id = $1 AND status = 'failed' ORDER BY created_at, key LIMIT $2`,
      [jobId, limit],
    );
    return {
      failures: rows.map((row) => ({
        key: row.key,
        label: row.label,
        code: row.error?.code ?? 'internal',
        message: row.error?.message ?? '',
      })),
      count: rows[0]?.total ?? 0,
    };
  }

  // Events ---------------------------------------------------------------------------------------

  async log(
    jobId: string,
    type: string,
    message: string | null,
    data?: Record<string, unknown>,
    session: DatabaseSession = this.db,
  ): Promise<void> {
    await session.query('INSERT INTO job_events (job_id, type, message, data) VALUES ($1, $2, $3, $4)', [
      jobId,
      type,
      message,
      data ? JSON.stringify(data) : null,
    ]);
  }

  async events(jobId: string, afterId = 0): Promise<JobLogEvent[]> {
    const { rows } = await this.db.query<{
      id: number;
      type: string;
      message: string | null;
      data: Record<string, unknown> | null;
      created_at: Date;
    }>(
      'SELECT id, type, message, data, created_at FROM job_events WHERE job_id = $1 AND id > $2 ORDER BY id LIMIT 500',
      [jobId, afterId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      type: row.type,
      message: row.message,
      data: row.data,
      createdAt: row.created_at,
    }));
  }
}

export function leaseLost(id: string): KeelError {
  return new KeelError('conflict', `Job ${id} is no longer held by this worker (its lease expired).`, {
    data: { reason: 'lease_lost' },
  });
}
