/**
 * @module jobs/job-service
 * The one job runner. Modules register kinds (`jobs.register('rag.ingest', { run })`) and enqueue
 * jobs; every process that started the service claims due jobs of the kinds it knows, runs them
 * under a lease it renews with heartbeats, and writes the outcome. A job whose worker died is
 * claimed again when its lease expires (at once on an embedded database, which one process owns).
 * Cancellation is a flag the worker sees on its next heartbeat, or at once in the same process.
 *
 * @example
 * const jobs = new JobService({ db });
 * jobs.register('demo.count', { run: async (ctx) => { await ctx.progress(1, 1); return { ok: true }; } });
 * await jobs.start();
 * const job = await jobs.enqueue({ projectId, kind: 'demo.count', payload: {} });
 * const finished = await jobs.wait(job.id);
 */
import { EventEmitter } from 'node:events';
import { hostname } from 'node:os';
import { KeelError, toKeelError } from '../core/errors.js';
import { randomToken } from '../core/ids.js';
import { type Logger, silentLogger } from '../core/logger.js';
import type { DatabaseSession } from '../spec/database.js';
import { createJobContext } from './job-context.js';
import { JOBS_CHANNEL, JobStore, type ListJobsQuery } from './job-store.js';
import {
  type AbortReason,
  type EnqueueInput,
  type Job,
  type JobEvent,
  type JobHandler,
  type JobItemFailure,
  type JobServiceOptions,
  terminalStatuses,
} from './job-types.js';
import { backoffDelay, isRetryable } from './retry.js';

interface Running {
  job: Job;
  controller: AbortController;
  done: Promise<void>;
}

export class JobService {
  readonly store: JobStore;
  readonly owner: string;
  readonly #handlers = new Map<string, JobHandler<never, unknown>>();
  readonly #running = new Map<string, Running>();
  readonly #events = new EventEmitter();
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #concurrency: number;
  readonly #logger: Logger;
  #timer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;
  #ticking: Promise<void> | undefined;
  #again = false;
  #started = false;
  #stopping = false;

  constructor(readonly options: JobServiceOptions) {
    this.store = new JobStore(options.db);
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomToken(6)}`;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#pollMs = options.pollMs ?? 500;
    this.#concurrency = options.concurrency ?? 4;
    this.#logger = options.logger ?? silentLogger;
    this.#events.setMaxListeners(0);
  }

  /** Adds a job kind. Register every kind before `start()`; a kind is registered once. */
  register<Payload, Result>(kind: string, handler: JobHandler<Payload, Result>): void {
    if (this.#handlers.has(kind)) throw new KeelError('conflict', `Job kind ${kind} is already registered.`);
    this.#handlers.set(kind, handler as unknown as JobHandler<never, unknown>);
    if (this.#started) this.notify();
  }

  handler(kind: string): JobHandler<never, unknown> | undefined {
    return this.#handlers.get(kind);
  }

  /**
   * Queues a job. With `tx` the row is written in the caller's transaction (the job exists exactly
   * when the work it refers to was committed); call `notify()` after the commit to start it now.
   */
  async enqueue<Payload>(
    input: EnqueueInput<Payload>,
    options: { tx?: DatabaseSession } = {},
  ): Promise<Job<Payload>> {
    const handler = this.#handlers.get(input.kind);
    const maxAttempts = input.maxAttempts ?? handler?.maxAttempts ?? 3;
    const job = (await this.store.insert(input, maxAttempts, options.tx ?? this.options.db)) as Job<Payload>;
    if (!options.tx) this.notify();
    return job;
  }

  /** A job by id; `projectId` (when given) must match, or it is "not found". */
  async get<Payload = unknown, Result = unknown>(
    id: string,
    scope: { projectId?: string | undefined; kind?: string | undefined } = {},
  ): Promise<Job<Payload, Result>> {
    const job = await this.store.get<Payload, Result>(id);
    if (
      !job ||
      (scope.projectId !== undefined && job.projectId !== scope.projectId) ||
      (scope.kind !== undefined && job.kind !== scope.kind)
    )
      throw new KeelError('not_found', `Job "${id}" not found.`);
    return job;
  }

  list(query: ListJobsQuery): Promise<Job[]> {
    return this.store.list(query);
  }

  failures(id: string, limit?: number): Promise<{ failures: JobItemFailure[]; count: number }> {
    return this.store.failures(id, limit);
  }

  /**
   * Asks a job to stop. A queued job is cancelled at once; a running one stops when its worker
   * sees the flag (at once in this process, within a poll elsewhere). A finished job is returned as
   * it is.
   */
  async cancel(id: string, scope: { projectId?: string | undefined } = {}): Promise<Job> {
    const job = await this.get(id, scope);
    if (terminalStatuses.has(job.status)) return job;
    const updated = await this.store.requestCancel(id);
    if (updated) await this.store.log(id, 'cancel_requested', 'Cancel requested.');
    this.#running.get(id)?.controller.abort('cancelled' satisfies AbortReason);
    this.#changed(id);
    return updated ?? (await this.get(id));
  }

  /**
   * The job's state, then each change and lifecycle record, until it ends (or `signal` aborts).
   * Changes made in this process wake it at once; those of other replicas within a poll.
   */
  async *follow(
    id: string,
    options: { projectId?: string; signal?: AbortSignal } = {},
  ): AsyncGenerator<JobEvent> {
    // Listening starts before each read, so a change between the read and the wait is not missed.
    let wake = this.#nextChange(id, Math.max(this.#pollMs, 1000), options.signal);
    try {
      let job = await this.get(id, options);
      let lastEvent = 0;
      yield { type: 'state', job };
      for (;;) {
        for (const event of await this.store.events(id, lastEvent)) {
          lastEvent = event.id;
          yield { type: 'log', event };
        }
        if (terminalStatuses.has(job.status) || options.signal?.aborted) return;
        await wake.promise;
        if (options.signal?.aborted) return;
        wake = this.#nextChange(id, Math.max(this.#pollMs, 1000), options.signal);
        const next = await this.get(id);
        if (
          next.updatedAt.getTime() !== job.updatedAt.getTime() ||
          next.status !== job.status ||
          next.progress.done !== job.progress.done
        ) {
          job = next;
          yield { type: 'state', job };
        }
      }
    } finally {
      wake.cancel();
    }
  }

  /** Waits for a job to end and returns it. */
  async wait<Payload = unknown, Result = unknown>(
    id: string,
    options: { projectId?: string; signal?: AbortSignal } = {},
  ): Promise<Job<Payload, Result>> {
    let last: Job | undefined;
    for await (const event of this.follow(id, options)) if (event.type === 'state') last = event.job;
    return last as Job<Payload, Result>;
  }

  /** Calls `listener` whenever a job this process ran ends. Returns an unsubscribe. */
  onFinished(listener: (job: Job) => void): () => void {
    this.#events.on('finished', listener);
    return () => this.#events.off('finished', listener);
  }

  /** Starts claiming. Jobs left by a dead process resume (at once when `exclusive`). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    this.#stopping = false;
    if (this.options.exclusive) {
      const orphans = await this.store.releaseOrphans(this.owner);
      for (const id of orphans)
        await this.store.log(id, 'resumed', 'Resumed after the previous process stopped.');
    }
    this.#timer = setInterval(() => this.notify(), this.#pollMs);
    this.#timer.unref();
    // A job enqueued on any replica is announced; the poll stays as the fallback.
    try {
      this.#unlisten = await this.options.db.listen(JOBS_CHANNEL, () => this.notify());
    } catch (error) {
      this.#logger.warn({ err: error }, 'job announcements unavailable; claiming by poll only');
    }
    this.notify();
  }

  /**
   * Stops claiming, then stops the jobs running here: each handler's signal aborts ('shutdown') and
   * its job goes back to the queue without counting the attempt, to resume on the next start or on
   * another replica. `graceMs` lets handlers finish first.
   */
  async stop(options: { graceMs?: number } = {}): Promise<void> {
    if (!this.#started) return;
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#unlisten?.().catch(() => undefined);
    this.#unlisten = undefined;
    await this.#ticking?.catch(() => undefined);
    const running = [...this.#running.values()];
    if (options.graceMs && running.length) {
      await Promise.race([
        Promise.allSettled(running.map((entry) => entry.done)),
        new Promise((resolve) => setTimeout(resolve, options.graceMs).unref()),
      ]);
    }
    for (const entry of this.#running.values()) entry.controller.abort('shutdown' satisfies AbortReason);
    await Promise.allSettled([...this.#running.values()].map((entry) => entry.done));
    this.#started = false;
  }

  /** Looks for due jobs now (after an enqueue in a committed transaction, or a finished job). */
  notify(): void {
    if (!this.#started || this.#stopping) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = (async () => {
      do {
        this.#again = false;
        try {
          await this.#tick();
        } catch (error) {
          if (!this.#stopping) this.#logger.warn({ err: error }, 'job worker tick failed');
        }
      } while (this.#again && !this.#stopping);
    })().finally(() => {
      this.#ticking = undefined;
    });
  }

  async #tick(): Promise<void> {
    if (this.#running.size) await this.#heartbeat();
    for (const id of await this.store.sweepCancelled()) this.#changed(id);
    while (!this.#stopping && this.#running.size < this.#concurrency) {
      const kinds = [...this.#handlers.entries()]
        .filter(([kind, handler]) => this.#runningOf(kind) < (handler.concurrency ?? 1))
        .map(([kind]) => kind);
      const job = await this.store.claim(this.owner, kinds, this.#leaseMs);
      if (!job) return;
      if (this.#stopping) {
        await this.store.requeue(job.id, this.owner, { delayMs: 0, refundAttempt: true });
        return;
      }
      this.#launch(job);
    }
  }

  #runningOf(kind: string): number {
    let count = 0;
    for (const entry of this.#running.values()) if (entry.job.kind === kind) count++;
    return count;
  }

  /** Renews the leases of the jobs running here; aborts those cancelled or taken over. */
  async #heartbeat(): Promise<void> {
    const ids = [...this.#running.keys()];
    const held = await this.store.heartbeat(this.owner, ids, this.#leaseMs);
    for (const id of ids) {
      const entry = this.#running.get(id);
      if (!entry || entry.controller.signal.aborted) continue;
      if (!held.has(id)) entry.controller.abort('lease_lost' satisfies AbortReason);
      else if (held.get(id)) entry.controller.abort('cancelled' satisfies AbortReason);
    }
  }

  #launch(job: Job): void {
    const controller = new AbortController();
    const entry: Running = { job, controller, done: Promise.resolve() };
    this.#running.set(job.id, entry);
    entry.done = this.#execute(job, controller).finally(() => {
      this.#running.delete(job.id);
      this.#changed(job.id);
      this.notify();
    });
  }

  async #execute(job: Job, controller: AbortController): Promise<void> {
    const handler = this.#handlers.get(job.kind)!;
    const context = createJobContext(job, {
      db: this.options.db,
      store: this.store,
      owner: this.owner,
      leaseMs: this.#leaseMs,
      progressIntervalMs: this.options.progressIntervalMs ?? 250,
      signal: controller.signal,
      changed: () => this.#changed(job.id),
    });
    let final: Job | undefined;
    try {
      await this.store.log(job.id, 'started', `Attempt ${job.attempts} of ${job.maxAttempts}.`, {
        attempt: job.attempts,
        owner: this.owner,
      });
      this.#changed(job.id);
      if (job.attempts > job.maxAttempts) {
        throw new KeelError(
          'internal',
          `The job stopped ${job.attempts - 1} times without finishing; giving up.`,
          {
            data: { retriable: false },
          },
        );
      }
      const result = await handler.run(context as never);
      await context.flush().catch(() => undefined);
      final = await this.store.finish(job.id, this.owner, 'succeeded', {
        result: result ?? null,
        error: null,
      });
      if (final) await this.store.log(job.id, 'succeeded', 'Finished.');
    } catch (error) {
      await context.flush().catch(() => undefined);
      final = await this.#afterFailure(job, controller.signal, error);
    }
    if (final && terminalStatuses.has(final.status)) {
      try {
        handler.onFinished?.(final as never);
      } catch (error) {
        this.#logger.warn({ err: error, job: job.id }, 'a job onFinished listener failed');
      }
      this.#events.emit('finished', final);
    }
  }

  async #afterFailure(job: Job, signal: AbortSignal, error: unknown): Promise<Job | undefined> {
    const reason = signal.aborted ? (signal.reason as AbortReason) : undefined;
    if (reason === 'lease_lost') return undefined;
    if (reason === 'shutdown') {
      const released = await this.store.requeue(job.id, this.owner, { delayMs: 0, refundAttempt: true });
      if (released)
        await this.store.log(job.id, 'released', 'Released at shutdown; it resumes on the next start.');
      return released;
    }
    if (reason === 'cancelled') {
      const cancelled = await this.store.finish(job.id, this.owner, 'cancelled', {
        error: { code: 'client_closed', message: 'Cancelled.' },
      });
      if (cancelled) await this.store.log(job.id, 'cancelled', 'Cancelled.');
      return cancelled;
    }
    const failure = toKeelError(error);
    const jobError = { code: failure.code, message: failure.message };
    if (failure.data?.reason === 'lease_lost') return undefined;
    const retries = this.#handlers.get(job.kind)?.retriesFailures?.(job.payload as never) ?? true;
    if (retries && isRetryable(failure) && job.attempts < job.maxAttempts) {
      const delayMs = backoffDelay(job.attempts, this.options.backoff);
      const retried = await this.store.requeue(job.id, this.owner, { delayMs, error: jobError });
      if (retried)
        await this.store.log(
          job.id,
          'retry_scheduled',
          `${failure.message} Retrying in ${Math.round(delayMs)} ms.`,
          {
            ...jobError,
            delay_ms: delayMs,
          },
        );
      return retried;
    }
    if (failure.code === 'internal')
      this.#logger.error({ err: error, job: job.id, kind: job.kind }, 'job failed');
    const failed = await this.store.finish(job.id, this.owner, 'failed', { error: jobError });
    if (failed) await this.store.log(job.id, 'failed', failure.message, jobError);
    return failed;
  }

  #changed(id: string): void {
    this.#events.emit(`change:${id}`);
  }

  /** Resolves on the next change of the job in this process, after `ms`, or when `signal` aborts. */
  #nextChange(id: string, ms: number, signal?: AbortSignal): { promise: Promise<void>; cancel: () => void } {
    let cancel = () => {};
    const promise = new Promise<void>((resolve) => {
      const done = () => {
        this.#events.off(`change:${id}`, done);
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#events.on(`change:${id}`, done);
      signal?.addEventListener('abort', done);
      cancel = done;
    });
    return { promise, cancel };
  }
}
