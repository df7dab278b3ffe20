/**
 * @module jobs/job-context
 * What a handler holds while it runs one job: progress (throttled, or in the caller's
 * transaction), idempotent steps and items recorded in `job_steps`, and a lease-fenced
 * transaction. Built by the service for each claimed job.
 */
import { KeelError, toKeelError } from '../core/errors.js';
import type { DatabaseSession, DatabaseV1 } from '../spec/database.js';
import type { JobStore } from './job-store.js';
import type { ItemOutcome, Job, JobContext, JobItemFailure, ProgressOptions } from './job-types.js';
import { isRetryable } from './retry.js';

export interface ContextDependencies {
  db: DatabaseV1;
  store: JobStore;
  owner: string;
  leaseMs: number;
  /** Least time between two untransacted progress writes. */
  progressIntervalMs: number;
  signal: AbortSignal;
  /** Called after anything a follower would want to see was written. */
  changed: () => void;
}

export function createJobContext<Payload>(
  job: Job<Payload>,
  deps: ContextDependencies,
): JobContext<Payload> & {
  flush(): Promise<void>;
} {
  const { store, owner, leaseMs, signal } = deps;
  let pending:
    | { done: number; total: number | null; message: string | null; data?: Record<string, unknown> }
    | undefined;
  let lastWrite = 0;
  let writing: Promise<void> = Promise.resolve();
  let total = job.progress.total;
  let message = job.progress.message;

  const write = (session: DatabaseSession, value: NonNullable<typeof pending>) =>
    store.progress(session, job.id, owner, value).then(() => {
      lastWrite = Date.now();
      deps.changed();
    });

  const flush = async (): Promise<void> => {
    await writing.catch(() => undefined);
    if (!pending) return;
    const value = pending;
    pending = undefined;
    writing = write(deps.db, value);
    await writing;
  };

  const context: JobContext<Payload> & { flush(): Promise<void> } = {
    job,
    payload: job.payload,
    signal,
    db: deps.db,

    async progress(done, nextTotal, nextMessage, options: ProgressOptions = {}) {
      if (nextTotal !== undefined) total = nextTotal;
      if (nextMessage !== undefined) message = nextMessage;
      const value = { done, total, message, ...(options.data ? { data: options.data } : {}) };
      if (options.tx) {
        // Counters in `data` are merged, so a pending untransacted write must not lose them.
        if (pending?.data) value.data = { ...pending.data, ...value.data };
        pending = undefined;
        await store.progress(options.tx, job.id, owner, value);
        lastWrite = Date.now();
        return;
      }
      const data = pending?.data || value.data ? { ...pending?.data, ...value.data } : undefined;
      pending = { done, total, message, ...(data ? { data } : {}) };
      if (Date.now() - lastWrite >= deps.progressIntervalMs) await flush();
    },

    async step(key, fn, options = {}) {
      const recorded = await store.stepOf(job.id, key);
      if (recorded?.status === 'succeeded') return recorded.output as Awaited<ReturnType<typeof fn>>;
      if (signal.aborted) throw abortError(signal);
      const value = await fn();
      await context.transaction(async (tx) => {
        await options.commit?.(tx, value);
        await store.saveStep(tx, job.id, key, { status: 'succeeded', output: value ?? null });
      });
      return value;
    },

    async item<T>(
      key: string,
      fn: () => Promise<T>,
      options: { label?: string } = {},
    ): Promise<ItemOutcome<T>> {
      const recorded = await store.stepOf(job.id, key);
      if (recorded?.status === 'succeeded') return { ok: true, value: recorded.output as T };
      if (recorded?.status === 'failed')
        return { ok: false, error: recorded.error ?? { code: 'internal', message: 'failed' } };
      if (signal.aborted) throw abortError(signal);
      try {
        const value = await fn();
        await context.transaction((tx) =>
          store.saveStep(tx, job.id, key, {
            status: 'succeeded',
            output: value ?? null,
            label: options.label ?? null,
          }),
        );
        return { ok: true, value };
      } catch (error) {
        if (signal.aborted || isRetryable(error)) throw error;
        const failure = toKeelError(error);
        const jobError = { code: failure.code, message: failure.message };
        await context.transaction((tx) =>
          store.saveStep(tx, job.id, key, {
            status: 'failed',
            error: jobError,
            label: options.label ?? null,
          }),
        );
        deps.changed();
        return { ok: false, error: jobError };
      }
    },

    async failItems(tx, failures: readonly JobItemFailure[]) {
      await store.saveFailures(tx, job.id, failures);
    },

    async transaction(fn) {
      const result = await deps.db.transaction(async (tx) => {
        await store.assertLease(tx, job.id, owner, leaseMs);
        return fn(tx);
      });
      // Followers in this process see what the transaction committed (progress written in it) now.
      deps.changed();
      return result;
    },

    async heartbeat() {
      const held = await store.heartbeat(owner, [job.id], leaseMs);
      if (!held.has(job.id)) throw new KeelError('conflict', `Job ${job.id} lost its lease.`);
    },

    async log(type, text, data) {
      await store.log(job.id, type, text, data);
      deps.changed();
    },

    flush,
  };
  return context;
}

export function abortError(signal: AbortSignal): Error {
  const error = new Error(`The job was stopped (${String(signal.reason)}).`);
  error.name = 'AbortError';
  return error;
}
