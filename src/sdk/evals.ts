/**
 * @module sdk/evals
 * `client.evals`: datasets (upload a file or rows, list, get, preview, versions, delete) and
 * evaluation runs (create, follow, get, items, cancel, compare).
 */
import type { z } from 'zod';
import type {
  addDatasetResponseSchema,
  ComparisonJson,
  CreateDatasetRequest,
  CreateEvaluationRequest,
  datasetItemSchema,
  datasetSchema,
  datasetVersionSchema,
  EvaluationJson,
  evaluationItemSchema,
} from '../api/evals.js';
import type { JobJson } from '../api/jobs.js';
import { jobStates } from './sse.js';
import type { SdkTransport } from './transport.js';

export type Dataset = z.infer<typeof datasetSchema>;
export type DatasetVersion = z.infer<typeof datasetVersionSchema>;
export type DatasetItemJson = z.infer<typeof datasetItemSchema>;
export type AddDatasetResult = z.infer<typeof addDatasetResponseSchema>;
export type EvaluationItem = z.infer<typeof evaluationItemSchema>;
export type { ComparisonJson, CreateDatasetRequest, CreateEvaluationRequest, EvaluationJson };

const enc = encodeURIComponent;

export class EvalsApi {
  constructor(private readonly client: SdkTransport) {}

  /** Adds a dataset version from JSON rows or a text file's content. */
  addDataset(input: CreateDatasetRequest) {
    return this.client.request<AddDatasetResult>('POST', '/api/v1/datasets', { body: input });
  }

  /** Uploads a dataset file (CSV, TSV, JSONL, JSON or Parquet) as multipart form data. */
  uploadDataset(input: {
    name: string;
    file: { name: string; data: Uint8Array | Blob; type?: string };
    format?: string;
    description?: string;
    mapping?: CreateDatasetRequest['mapping'];
    splits?: CreateDatasetRequest['splits'];
  }) {
    const form = new FormData();
    const data = input.file.data;
    const blob =
      data instanceof Blob
        ? data
        : new Blob([data as Uint8Array<ArrayBuffer>], input.file.type ? { type: input.file.type } : {});
    form.append('file', blob, input.file.name);
    form.append('name', input.name);
    if (input.format) form.append('format', input.format);
    if (input.description) form.append('description', input.description);
    if (input.mapping) form.append('mapping', JSON.stringify(input.mapping));
    if (input.splits) form.append('splits', JSON.stringify(input.splits));
    return this.client.request<AddDatasetResult>('POST', '/api/v1/datasets', { body: form });
  }

  datasets() {
    return this.client.request<{ datasets: Dataset[] }>('GET', '/api/v1/datasets');
  }

  dataset(id: string) {
    return this.client.request<Dataset>('GET', `/api/v1/datasets/${enc(id)}`);
  }

  datasetVersions(id: string) {
    return this.client.request<{ versions: DatasetVersion[] }>('GET', `/api/v1/datasets/${enc(id)}/versions`);
  }

  preview(id: string, query: { version?: number; limit?: number; offset?: number; split?: string } = {}) {
    return this.client.request<{ version: DatasetVersion; items: DatasetItemJson[] }>(
      'GET',
      `/api/v1/datasets/${enc(id)}/preview`,
      { query },
    );
  }

  async deleteDataset(id: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/datasets/${enc(id)}`);
  }

  /** Queues a run; follow it with `follow` or `wait`. */
  create(input: CreateEvaluationRequest, signal?: AbortSignal) {
    return this.client.request<EvaluationJson>('POST', '/api/v1/evaluations', { body: input, signal });
  }

  /** Recent runs; `source` keeps one feature's (a RAG experiment's id, a Prompt Lab comparison's). */
  list(query: { dataset?: string; source?: string; limit?: number } = {}) {
    return this.client.request<{ evaluations: EvaluationJson[] }>('GET', '/api/v1/evaluations', { query });
  }

  get(id: string) {
    return this.client.request<EvaluationJson>('GET', `/api/v1/evaluations/${enc(id)}`);
  }

  items(id: string, query: { limit?: number; offset?: number; status?: 'succeeded' | 'failed' } = {}) {
    return this.client.request<{ items: EvaluationItem[]; total: number }>(
      'GET',
      `/api/v1/evaluations/${enc(id)}/items`,
      { query },
    );
  }

  cancel(id: string) {
    return this.client.request<EvaluationJson>('POST', `/api/v1/evaluations/${enc(id)}/cancel`);
  }

  compare(a: string, b: string, query: { limit?: number } = {}) {
    return this.client.request<ComparisonJson>('GET', '/api/v1/evaluations/compare', {
      query: { a, b, ...query },
    });
  }

  /** The run's job states (progress) until it ends. */
  follow(id: string, signal?: AbortSignal): AsyncGenerator<JobJson> {
    return jobStates(this.client, `/api/v1/evaluations/${enc(id)}/events`, signal);
  }

  /** Waits for the run to end (progress through `onProgress`) and returns it. */
  async wait(id: string, onProgress?: (job: JobJson) => void, signal?: AbortSignal): Promise<EvaluationJson> {
    for await (const job of this.follow(id, signal)) onProgress?.(job);
    return this.get(id);
  }
}
