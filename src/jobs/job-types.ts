/**
 * @module jobs/job-types
 * The shapes of the job service: a job row as callers see it, what a handler gets while it runs
 * (payload, cancellation signal, progress, idempotent steps), and how a kind is registered.
 */
import type { Logger } from '../core/logger.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import type { BackoffOptions } from './retry.js';

export const jobStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof jobStatuses)[number];

/** Statuses a job never leaves. */
export const terminalStatuses: ReadonlySet<JobStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export interface JobError {
  code: string;
  message: string;
}

export interface JobProgress {
  done: number;
  total: number | null;
  message: string | null;
  /** Counters the kind keeps with its progress (committed with it). */
  data: Record<string, unknown>;
}

export interface Job<Payload = unknown, Result = unknown> {
  id: string;
  projectId: string;
  kind: string;
  payload: Payload;
  status: JobStatus;
  progress: JobProgress;
  attempts: number;
  maxAttempts: number;
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  heartbeatAt: Date | null;
  cancelRequested: boolean;
  result: Result | null;
  error: JobError | null;
  idempotencyKey: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** An item of a job that failed on its own (the rest of the job went on). */
export interface JobItemFailure {
  key: string;
  label: string | null;
  code: string;
  message: string;
}

/** A lifecycle record of a job (claimed, retry scheduled, lease lost, cancel asked, finished). */
export interface JobLogEvent {
  id: number;
  type: string;
  message: string | null;
  data: Record<string, unknown> | null;
  createdAt: Date;
}

/** What `follow()` yields: the job's state when it changes, and lifecycle records as they happen. */
export type JobEvent = { type: 'state'; job: Job } | { type: 'log'; event: JobLogEvent };

export interface EnqueueInput<Payload = unknown> {
  projectId: string;
  kind: string;
  payload: Payload;
  /** Same key, project and kind: the existing job is returned instead of a new one. */
  idempotencyKey?: string | undefined;
  createdBy?: string | null | undefined;
  /** Defaults to the kind's `maxAttempts` (3). */
  maxAttempts?: number | undefined;
  /** Not started before this time. */
  runAfter?: Date | undefined;
  /** Known size of the work, shown before the job starts. */
  total?: number | null | undefined;
}

/** Why a running handler's signal fired. */
export type AbortReason = 'cancelled' | 'shutdown' | 'lease_lost';

export type ItemOutcome<T> = { ok: true; value: T } | { ok: false; error: JobError };

export interface ProgressOptions {
  /** Counters to keep with the progress (merged into `progress.data`). */
  data?: Record<string, unknown>;
  /**
   * Write the progress in this transaction (crash-consistent with the work it counts). The write
   * is fenced: it fails, rolling the transaction back, when this worker no longer holds the lease.
   */
  tx?: DatabaseSession;
}

export interface JobContext<Payload = unknown> {
  /** The job as claimed (attempts already counts this run). */
  readonly job: Job<Payload>;
  readonly payload: Payload;
  /** Aborts on cancel, shutdown or a lost lease; `signal.reason` is an {@link AbortReason}. */
  readonly signal: AbortSignal;
  readonly db: DatabaseV1;
  /** Reports progress. Without `tx` the write is throttled (the last value always lands). */
  progress(
    done: number,
    total?: number | null,
    message?: string | null,
    options?: ProgressOptions,
  ): Promise<void>;
  /**
   * Runs `fn` once per job: a step completed before a crash or retry returns its recorded output
   * (JSON) instead of running again. `commit` writes the step's effects in the transaction that
   * records it, so the effects and the record land together.
   */
  step<T>(
    key: string,
    fn: () => Promise<T>,
    options?: { commit?: (tx: DatabaseSession, value: T) => Promise<void> },
  ): Promise<T>;
  /**
   * A step whose failure fails only this item: a non-retryable error is recorded (code and
   * message) and returned, and the job goes on. Retryable errors and aborts still throw.
   */
  item<T>(key: string, fn: () => Promise<T>, options?: { label?: string }): Promise<ItemOutcome<T>>;
  /** Records item failures in the caller's transaction (bulk handlers that commit many items at once). */
  failItems(tx: DatabaseSession, failures: readonly JobItemFailure[]): Promise<void>;
  /** A transaction fenced by this worker's lease: it throws, and rolls back, if the lease was lost. */
  transaction<T>(fn: (tx: DatabaseSession) => Promise<T>): Promise<T>;
  /** Extends the lease now (long steps that do not report progress). */
  heartbeat(): Promise<void>;
  /** Appends a lifecycle record to the job's event stream. */
  log(type: string, message: string, data?: Record<string, unknown>): Promise<void>;
}

export interface JobHandler<Payload = unknown, Result = unknown> {
  run(context: JobContext<Payload>): Promise<Result>;
  /** Jobs of this kind running at once in one process. Default 1. */
  concurrency?: number;
  /**
   * Attempts before a retryable failure becomes final. Default 3. A worker that dies during a job
   * uses one up too: the job is claimed again until this many have started.
   */
  maxAttempts?: number;
  /**
   * Whether a retryable failure of this job is tried again (default yes). No for a job somebody
   * waits on, who should see its failure at once; the job is still resumed when its worker dies.
   */
  retriesFailures?(payload: Payload): boolean;
  /** A summary of the payload that is safe to show (no secrets, no bulk). */
  describe?(payload: Payload): Record<string, unknown>;
  /** Called in the process that ran it when a job of this kind ends (any terminal status). */
  onFinished?(job: Job<Payload, Result>): void;
}

/** How a job service is built: its database, this worker's name, lease, polling and limits. */
export interface JobServiceOptions {
  db: DatabaseV1;
  logger?: Logger;
  /** Name of this worker in `lease_owner`; unique per process by default. */
  owner?: string;
  /** How long a claim holds without a heartbeat. Default 30 s. */
  leaseMs?: number;
  /** How often to look for due jobs, renew leases and see cancel flags. Default 500 ms. */
  pollMs?: number;
  /** Jobs running at once in this process, all kinds together. Default 4. */
  concurrency?: number;
  backoff?: BackoffOptions;
  /** Least time between two progress writes outside a transaction. Default 250 ms. */
  progressIntervalMs?: number;
  /**
   * This process is the only one using the database (embedded PGlite behind its process lock):
   * jobs found running at start were left by a dead process and resume at once.
   */
  exclusive?: boolean;
}
