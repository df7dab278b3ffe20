/**
 * @module sdk/tuning
 * `client.tuning`: start head training jobs, follow them (progress and the live loss curve), list
 * heads with their versions, lineage and metrics, classify with a head (`head:<name>`) or tag tokens
 * with a tagger head, export a training spec for an external trainer.
 *
 * @example
 * const job = await client.tuning.startHead({ type: 'head', name: 'hap-ko', examples });
 * const done = await client.tuning.waitForJob(job.id, { onProgress: (j) => draw(j.progress.data.curve) });
 * const { predictions } = await client.tuning.classify('hap-ko', ['이 멍청이']);
 */
import type { JobJson } from '../api/jobs.js';
import type {
  ExportJobRequest,
  HeadClassifyResponse,
  HeadJobRequest,
  HeadTagResponse,
  HeadVersionJson,
  PromptJobRequest,
} from '../api/tuning.js';
import type { SdkTransport } from './transport.js';

export type { JobJson } from '../api/jobs.js';
export type {
  ExportJobRequest,
  HeadClassifyResponse,
  HeadJobRequest,
  HeadTagResponse,
  HeadVersionJson,
  PromptJobRequest,
} from '../api/tuning.js';

/** One epoch of a head's loss curve, as the job reports it while training. */
export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
}

/** What a finished `tuning.head` job returns. */
export interface HeadJobResultJson {
  name: string;
  version: number;
  accuracy: number;
  macroF1: number;
  bestEpoch: number;
  governanceAssetId?: string | null;
}

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

export class TuningApi {
  constructor(private readonly client: SdkTransport) {}

  /** Queues a `tuning.head` job (202); follow it with `job` or `waitForJob`. */
  startHead(input: HeadJobRequest, signal?: AbortSignal): Promise<JobJson> {
    return this.client.request('POST', '/api/v1/tuning/jobs', { body: input, signal });
  }

  /**
   * Queues a `tuning.prompt` job (202): the template is scored on the dataset's dev split, then
   * instruction, few-shot and format candidates within the budget; the winner becomes a new version.
   */
  startPrompt(input: Omit<PromptJobRequest, 'type'>, signal?: AbortSignal): Promise<JobJson> {
    return this.client.request('POST', '/api/v1/tuning/jobs', { body: { type: 'prompt', ...input }, signal });
  }

  /**
   * Queues a `tuning.export` job (202): the records (an evaluation dataset version, or a file of the
   * project) in watsonx tuning JSONL, the trainer's config and a lineage manifest, written to the
   * project's files (`result.files`, each downloadable with `downloadFile`).
   */
  startExport(input: Omit<ExportJobRequest, 'type'>, signal?: AbortSignal): Promise<JobJson> {
    return this.client.request('POST', '/api/v1/tuning/jobs', { body: { type: 'export', ...input }, signal });
  }

  /** Stores bytes as a file of the project (e.g. training records for an export). */
  uploadFile(name: string, data: Uint8Array) {
    return this.client.request<{ name: string; bytes: number }>(
      'PUT',
      `/api/v1/files/${encodeURIComponent(name)}`,
      { body: data },
    );
  }

  /** A file of the project, as bytes. */
  async downloadFile(name: string): Promise<Uint8Array> {
    const response = await this.client.raw('GET', `/api/v1/files/${encodeURIComponent(name)}`, {
      headers: { accept: 'application/octet-stream' },
    });
    return new Uint8Array(await response.arrayBuffer());
  }

  jobs() {
    return this.client.request<{ jobs: JobJson[] }>('GET', '/api/v1/tuning/jobs');
  }

  job(id: string): Promise<JobJson> {
    return this.client.request('GET', `/api/v1/jobs/${encodeURIComponent(id)}`);
  }

  /** The loss curve so far, from a job's progress. */
  curveOf(job: JobJson): CurvePoint[] {
    const curve = job.progress.data.curve;
    return Array.isArray(curve) ? (curve as CurvePoint[]) : [];
  }

  /** Polls a job until it is final, reporting each state seen. */
  async waitForJob(
    id: string,
    options: { intervalMs?: number; signal?: AbortSignal; onProgress?: (job: JobJson) => void } = {},
  ): Promise<JobJson> {
    for (;;) {
      options.signal?.throwIfAborted();
      const job = await this.job(id);
      options.onProgress?.(job);
      if (FINAL.has(job.status)) return job;
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 500));
    }
  }

  heads() {
    return this.client.request<{ heads: HeadVersionJson[] }>('GET', '/api/v1/heads');
  }

  versions(name: string) {
    return this.client.request<{ versions: HeadVersionJson[] }>(
      'GET',
      `/api/v1/heads/${encodeURIComponent(name)}`,
    );
  }

  classify(name: string, texts: string[], version?: number): Promise<HeadClassifyResponse> {
    return this.client.request('POST', `/api/v1/heads/${encodeURIComponent(name)}/classify`, {
      body: version === undefined ? { texts } : { texts, version },
    });
  }

  /** Tags the tokens of texts with a tagger head: each token's tag and the entity spans. */
  tag(name: string, texts: string[], version?: number): Promise<HeadTagResponse> {
    return this.client.request('POST', `/api/v1/heads/${encodeURIComponent(name)}/tag`, {
      body: version === undefined ? { texts } : { texts, version },
    });
  }
}
