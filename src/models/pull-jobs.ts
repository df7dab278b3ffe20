/**
 * @module models/pull-jobs
 * Model downloads started from the API run as jobs in the server process: one per target file,
 * with progress that the console follows live. A job that fails or is cancelled leaves its
 * `.partial` file, so starting the same pull again resumes it.
 */
import { EventEmitter } from 'node:events';
import { KeelError, toKeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { type PullModelOptions, type PullProgress, type PullResult, pullModel } from './pull.js';

export type PullJobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface PullJob {
  id: string;
  source: string;
  status: PullJobStatus;
  progress: PullProgress;
  startedAt: Date;
  finishedAt: Date | null;
  result: PullResult | null;
  error: { code: string; message: string } | null;
}

export interface PullJobManagerOptions {
  modelsDir: string;
  allowPrivateNetwork?: boolean;
  /** Injected for tests. */
  pull?: (options: PullModelOptions) => Promise<PullResult>;
}

export class PullJobManager {
  readonly #jobs = new Map<string, PullJob & { controller: AbortController }>();
  readonly #events = new EventEmitter();
  readonly #finishedListeners = new Set<(job: PullJob) => void>();

  constructor(private readonly options: PullJobManagerOptions) {
    this.#events.setMaxListeners(0);
  }

  start(input: { source: string; name?: string; sha256?: string; force?: boolean }): PullJob {
    const running = [...this.#jobs.values()].find(
      (job) => job.status === 'running' && job.source === input.source,
    );
    if (running) return this.#public(running);
    const controller = new AbortController();
    const job: PullJob & { controller: AbortController } = {
      id: newId('pull'),
      source: input.source,
      status: 'running',
      progress: { bytesDone: 0, bytesTotal: undefined, bytesPerSecond: 0, resumedFrom: 0 },
      startedAt: new Date(),
      finishedAt: null,
      result: null,
      error: null,
      controller,
    };
    this.#jobs.set(job.id, job);
    const pull = this.options.pull ?? pullModel;
    let lastEmit = 0;
    void pull({
      source: input.source,
      modelsDir: this.options.modelsDir,
      ...(input.name ? { name: input.name } : {}),
      ...(input.sha256 ? { sha256: input.sha256 } : {}),
      ...(input.force ? { force: true } : {}),
      ...(this.options.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
      abortSignal: controller.signal,
      onProgress: (progress) => {
        job.progress = progress;
        // At most ten updates a second reach listeners; the console needs no more.
        const now = Date.now();
        if (now - lastEmit >= 100) {
          lastEmit = now;
          this.#events.emit(job.id, this.#public(job));
        }
      },
    }).then(
      (result) => {
        job.status = 'succeeded';
        job.result = result;
        job.progress = { ...job.progress, bytesDone: result.sizeBytes, bytesTotal: result.sizeBytes };
        this.#finish(job);
      },
      (error: unknown) => {
        const keelError = toKeelError(error);
        job.status = controller.signal.aborted ? 'cancelled' : 'failed';
        job.error = { code: keelError.code, message: keelError.message };
        this.#finish(job);
      },
    );
    return this.#public(job);
  }

  get(id: string): PullJob {
    const job = this.#jobs.get(id);
    if (!job) throw new KeelError('not_found', `Pull ${id} not found.`);
    return this.#public(job);
  }

  list(): PullJob[] {
    return [...this.#jobs.values()].map((job) => this.#public(job)).reverse();
  }

  cancel(id: string): PullJob {
    const job = this.#jobs.get(id);
    if (!job) throw new KeelError('not_found', `Pull ${id} not found.`);
    if (job.status === 'running') job.controller.abort();
    return this.#public(job);
  }

  /** Progress updates until the job ends (the last one is the final state). */
  async *follow(id: string, signal?: AbortSignal): AsyncGenerator<PullJob> {
    let current = this.get(id);
    yield current;
    while (current.status === 'running' && !signal?.aborted) {
      current = await new Promise<PullJob>((resolve) => {
        const onUpdate = (job: PullJob) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(job);
        };
        const onAbort = () => {
          this.#events.off(id, onUpdate);
          resolve(this.get(id));
        };
        this.#events.once(id, onUpdate);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
      yield current;
    }
  }

  /** Calls `listener` whenever a pull ends (e.g. to forget a cached model list). Returns an unsubscribe. */
  onFinished(listener: (job: PullJob) => void): () => void {
    this.#finishedListeners.add(listener);
    return () => this.#finishedListeners.delete(listener);
  }

  cancelAll(): void {
    for (const job of this.#jobs.values()) if (job.status === 'running') job.controller.abort();
  }

  #finish(job: PullJob & { controller: AbortController }): void {
    job.finishedAt = new Date();
    const snapshot = this.#public(job);
    this.#events.emit(job.id, snapshot);
    for (const listener of this.#finishedListeners) listener(snapshot);
  }

  #public(job: PullJob & { controller?: AbortController }): PullJob {
    const { controller: _controller, ...rest } = job;
    return { ...rest, progress: { ...rest.progress } };
  }
}
