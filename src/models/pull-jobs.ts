/**
 * @module models/pull-jobs
 * Model downloads started from the API are jobs of kind `models.pull` on the job service: they
 * belong to the project that started them, show progress that the console follows live, survive
 * a restart (the `.partial` file is resumed with a Range request), and are retried with backoff
 * after network failures. The source URL is kept in the job to download from, and shown only
 * through `redactUrl` (no credentials, no signed-URL secrets).
 */
import { KeelError } from '../core/errors.js';
import { parseUrl } from '../core/outbound-url.js';
import { redactUrl } from '../core/redact-url.js';
import type { Job, JobService } from '../jobs/index.js';
import { type PullModelOptions, type PullProgress, type PullResult, pullModel } from './pull.js';

export const PULL_KIND = 'models.pull';

export type PullJobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface PullJob {
  id: string;
  projectId: string;
  /** The source as given, redacted (credentials and secret parameters masked). */
  source: string;
  status: PullJobStatus;
  progress: PullProgress;
  startedAt: Date;
  finishedAt: Date | null;
  result: Omit<PullResult, 'file'> | null;
  error: { code: string; message: string } | null;
}

export interface PullPayload {
  source: string;
  name?: string;
  sha256?: string;
  force?: boolean;
}

export interface PullServiceOptions {
  jobs: JobService;
  modelsDir: string;
  allowPrivateNetwork?: boolean;
  /** Injected for tests. */
  pull?: (options: PullModelOptions) => Promise<PullResult>;
}

/** Who asks: their project, and whether they administer the organisation (who sees every project's pulls). */
export interface PullCaller {
  projectId: string;
  actor?: string | null;
  orgAdmin?: boolean;
}

export class PullService {
  readonly #jobs: JobService;

  constructor(private readonly options: PullServiceOptions) {
    this.#jobs = options.jobs;
    this.#jobs.register<PullPayload, Omit<PullResult, 'file'>>(PULL_KIND, {
      // Downloads wait on the network, not the CPU.
      concurrency: 2,
      maxAttempts: 3,
      describe: (payload) => ({
        source: redactUrl(payload.source),
        ...(payload.name ? { name: payload.name } : {}),
      }),
      run: async (ctx) => {
        const pull = this.options.pull ?? pullModel;
        const { file: _file, ...result } = await pull({
          source: ctx.payload.source,
          modelsDir: this.options.modelsDir,
          ...(ctx.payload.name ? { name: ctx.payload.name } : {}),
          ...(ctx.payload.sha256 ? { sha256: ctx.payload.sha256 } : {}),
          ...(ctx.payload.force ? { force: true } : {}),
          ...(this.options.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
          abortSignal: ctx.signal,
          onProgress: (progress) => {
            void ctx
              .progress(progress.bytesDone, progress.bytesTotal ?? null, null, {
                data: {
                  bytes_per_second: Math.round(progress.bytesPerSecond),
                  resumed_from: progress.resumedFrom,
                },
              })
              .catch(() => undefined);
          },
        });
        await ctx.progress(result.sizeBytes, result.sizeBytes, null);
        return result;
      },
    });
  }

  /** Starts a download in the caller's project; the same source already downloading there is returned instead. */
  async start(caller: PullCaller, input: PullPayload): Promise<PullJob> {
    // A malformed URL is the caller's mistake: a coded 400 now, not a failed job later.
    if (/^https?:\/\//i.test(input.source)) parseUrl(input.source, 'source');
    const active = await this.#jobs.list({
      projectId: caller.projectId,
      kind: PULL_KIND,
      payloadContains: { source: input.source },
      limit: 20,
    });
    const running = active.find((job) => job.status === 'queued' || job.status === 'running');
    if (running) return pullJob(running as Job<PullPayload, Omit<PullResult, 'file'>>);
    const job = await this.#jobs.enqueue<PullPayload>({
      projectId: caller.projectId,
      kind: PULL_KIND,
      payload: {
        source: input.source,
        ...(input.name ? { name: input.name } : {}),
        ...(input.sha256 ? { sha256: input.sha256 } : {}),
        ...(input.force ? { force: true } : {}),
      },
      createdBy: caller.actor ?? null,
    });
    return pullJob(job as Job<PullPayload, Omit<PullResult, 'file'>>);
  }

  /** One pull of the caller's project (any project for an organisation administrator). */
  async get(caller: PullCaller, id: string): Promise<PullJob> {
    return pullJob(await this.#job(caller, id));
  }

  /** Pulls of the caller's project, newest first; an organisation administrator sees every project's. */
  async list(caller: PullCaller): Promise<PullJob[]> {
    const jobs = await this.#jobs.list({
      kind: PULL_KIND,
      ...(caller.orgAdmin ? {} : { projectId: caller.projectId }),
      limit: 100,
    });
    return jobs.map((job) => pullJob(job as Job<PullPayload, Omit<PullResult, 'file'>>));
  }

  async cancel(caller: PullCaller, id: string): Promise<PullJob> {
    const job = await this.#job(caller, id);
    return pullJob((await this.#jobs.cancel(job.id)) as Job<PullPayload, Omit<PullResult, 'file'>>);
  }

  /** Progress updates until the job ends (the last one is the final state). */
  async *follow(caller: PullCaller, id: string, signal?: AbortSignal): AsyncGenerator<PullJob> {
    await this.#job(caller, id);
    for await (const event of this.#jobs.follow(id, signal ? { signal } : {}))
      if (event.type === 'state') yield pullJob(event.job as Job<PullPayload, Omit<PullResult, 'file'>>);
  }

  /** Calls `listener` whenever a pull run by this process ends (e.g. to forget a cached model list). */
  onFinished(listener: (job: PullJob) => void): () => void {
    return this.#jobs.onFinished((job) => {
      if (job.kind === PULL_KIND) listener(pullJob(job as Job<PullPayload, Omit<PullResult, 'file'>>));
    });
  }

  async #job(caller: PullCaller, id: string): Promise<Job<PullPayload, Omit<PullResult, 'file'>>> {
    try {
      return await this.#jobs.get<PullPayload, Omit<PullResult, 'file'>>(id, {
        kind: PULL_KIND,
        ...(caller.orgAdmin ? {} : { projectId: caller.projectId }),
      });
    } catch {
      throw new KeelError('not_found', `Pull ${id} not found.`);
    }
  }
}

export function pullJob(job: Job<PullPayload, Omit<PullResult, 'file'>>): PullJob {
  const data = job.progress.data;
  return {
    id: job.id,
    projectId: job.projectId,
    source: redactUrl(job.payload.source),
    status: job.status,
    progress: {
      bytesDone: job.progress.done,
      bytesTotal: job.progress.total ?? undefined,
      bytesPerSecond: Number(data.bytes_per_second ?? 0),
      resumedFrom: Number(data.resumed_from ?? 0),
    },
    startedAt: job.startedAt ?? job.createdAt,
    finishedAt: job.finishedAt,
    result: job.result,
    error: job.error ? { code: job.error.code, message: job.error.message } : null,
  };
}
