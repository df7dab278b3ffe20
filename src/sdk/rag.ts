/**
 * @module sdk/rag
 * `client.rag`: collections, documents (text or files), ingestion progress, search, answers with
 * citations (streamed or not), chunk previews and experiments.
 */
import type { z } from 'zod';
import type {
  AskResponse,
  addDocumentsResponseSchema,
  CollectionConfigInput,
  collectionSchema,
  documentSchema,
  Experiment,
  ExperimentRequest,
  IngestionJob,
  searchResponseSchema,
} from '../api/rag.js';
import { readJsonEvents } from './sse.js';
import type { SdkTransport } from './transport.js';

export type Collection = z.infer<typeof collectionSchema>;
export type RagDocument = z.infer<typeof documentSchema>;
export type AddDocumentsResult = z.infer<typeof addDocumentsResponseSchema>;
export type SearchResult = z.infer<typeof searchResponseSchema>;
export type { AskResponse, Experiment, IngestionJob };

export type AskEvent =
  | { type: 'contexts'; contexts: AskResponse['contexts']; warnings: AskResponse['warnings'] }
  | { type: 'delta'; text: string }
  | { type: 'result'; result: AskResponse };

export interface TextDocument {
  name: string;
  text: string;
  media_type?:
    | 'text/plain'
    | 'text/markdown'
    | 'text/html'
    | 'text/csv'
    | 'application/json'
    | 'application/x-ndjson';
  metadata?: Record<string, string | number | boolean>;
  chunks?: string[];
}

export interface FileDocument {
  name: string;
  data: Uint8Array | Blob;
  type?: string;
}

const enc = encodeURIComponent;

export class RagApi {
  constructor(private readonly client: SdkTransport) {}

  create(input: { name: string; description?: string; config?: CollectionConfigInput }) {
    return this.client.request<Collection>('POST', '/api/v1/collections', { body: input });
  }
  list() {
    return this.client.request<{ collections: Collection[] }>('GET', '/api/v1/collections');
  }
  get(id: string) {
    return this.client.request<Collection>('GET', `/api/v1/collections/${enc(id)}`);
  }
  configure(id: string, config: CollectionConfigInput, message?: string) {
    return this.client.request<{ collection: Collection; version: number; job: IngestionJob | null }>(
      'PUT',
      `/api/v1/collections/${enc(id)}/config`,
      { body: { config, ...(message ? { message } : {}) } },
    );
  }
  delete(id: string) {
    return this.client.request<void>('DELETE', `/api/v1/collections/${enc(id)}`);
  }

  /** Adds or replaces text documents (same name, other text: its chunks are replaced). */
  addDocuments(id: string, documents: TextDocument[]) {
    return this.client.request<AddDocumentsResult>('POST', `/api/v1/collections/${enc(id)}/documents`, {
      body: { documents },
    });
  }

  /** Uploads files (PDF, DOCX, HTML, Markdown, CSV, JSON, text) as multipart form data. */
  upload(id: string, files: FileDocument[], metadata?: Record<string, string | number | boolean>) {
    const form = new FormData();
    for (const file of files) {
      const blob =
        file.data instanceof Blob
          ? file.data
          : new Blob([file.data as Uint8Array<ArrayBuffer>], file.type ? { type: file.type } : {});
      form.append('file', blob, file.name);
    }
    if (metadata) form.append('metadata', JSON.stringify(metadata));
    return this.client.request<AddDocumentsResult>('POST', `/api/v1/collections/${enc(id)}/documents`, {
      body: form,
    });
  }

  documents(id: string) {
    return this.client.request<{ documents: RagDocument[] }>(
      'GET',
      `/api/v1/collections/${enc(id)}/documents`,
    );
  }
  deleteDocument(id: string, documentId: string) {
    return this.client.request<void>('DELETE', `/api/v1/collections/${enc(id)}/documents/${enc(documentId)}`);
  }
  job(id: string, jobId: string) {
    return this.client.request<IngestionJob>('GET', `/api/v1/collections/${enc(id)}/jobs/${enc(jobId)}`);
  }

  /** Job snapshots as ingestion progresses, until the job ends. */
  async *followJob(id: string, jobId: string, signal?: AbortSignal): AsyncGenerator<IngestionJob> {
    const response = await this.client.raw(
      'GET',
      `/api/v1/collections/${enc(id)}/jobs/${enc(jobId)}/events`,
      {
        signal,
        headers: { accept: 'text/event-stream' },
      },
    );
    for await (const event of readJsonEvents<{ type: 'progress'; job: IngestionJob }>(response, signal))
      yield event.job;
  }

  /** Waits for a job to end and returns its last state. */
  async waitForJob(
    id: string,
    jobId: string,
    onProgress?: (job: IngestionJob) => void,
  ): Promise<IngestionJob> {
    let last: IngestionJob | undefined;
    for await (const job of this.followJob(id, jobId)) {
      last = job;
      onProgress?.(job);
    }
    return last ?? this.job(id, jobId);
  }

  search(
    id: string,
    input: {
      query: string;
      top_k?: number;
      mode?: 'vector' | 'keyword' | 'hybrid';
      filter?: Record<string, unknown>;
      min_score?: number;
      window?: number;
    },
  ) {
    return this.client.request<SearchResult>('POST', `/api/v1/collections/${enc(id)}/search`, {
      body: input,
    });
  }

  ask(
    id: string,
    input: {
      question: string;
      model?: string;
      top_k?: number;
      mode?: 'vector' | 'keyword' | 'hybrid';
      filter?: Record<string, unknown>;
    },
    signal?: AbortSignal,
  ) {
    return this.client.request<AskResponse>('POST', `/api/v1/collections/${enc(id)}/ask`, {
      body: input,
      signal,
    });
  }

  /** Streams the answer: `contexts`, `delta`s, then `result` with citations and checked claims. */
  async *askStream(
    id: string,
    input: { question: string; model?: string; top_k?: number; mode?: 'vector' | 'keyword' | 'hybrid' },
    signal?: AbortSignal,
  ): AsyncGenerator<AskEvent> {
    const response = await this.client.raw('POST', `/api/v1/collections/${enc(id)}/ask`, {
      body: { ...input, stream: true },
      signal,
      headers: { accept: 'text/event-stream' },
    });
    yield* readJsonEvents<AskEvent>(response, signal);
  }

  /** The chunks a configuration would make of a text, or of a file, without storing anything. */
  preview(input: {
    text?: string;
    file?: FileDocument;
    media_type?: TextDocument['media_type'];
    chunker?: Record<string, unknown>;
  }) {
    let body: unknown = input;
    if (input.file) {
      const form = new FormData();
      const data = input.file.data;
      const blob =
        data instanceof Blob
          ? data
          : new Blob([data as Uint8Array<ArrayBuffer>], input.file.type ? { type: input.file.type } : {});
      form.append('file', blob, input.file.name);
      if (input.chunker) form.append('chunker', JSON.stringify(input.chunker));
      body = form;
    }
    return this.client.request<{
      chunks: { index: number; text: string; start: number; end: number; kind: string; characters: number }[];
      warnings: unknown[];
    }>('POST', '/api/v1/collections/preview', { body });
  }

  experiment(id: string, input: Omit<ExperimentRequest, 'max_runs'> & { max_runs?: number }) {
    return this.client.request<Experiment>('POST', `/api/v1/collections/${enc(id)}/experiments`, {
      body: input,
    });
  }
  experiments(id: string) {
    return this.client.request<{ experiments: Experiment[] }>(
      'GET',
      `/api/v1/collections/${enc(id)}/experiments`,
    );
  }
  getExperiment(experimentId: string) {
    return this.client.request<Experiment>('GET', `/api/v1/experiments/${enc(experimentId)}`);
  }
  /** Polls until the experiment ends. */
  async waitForExperiment(
    experimentId: string,
    onProgress?: (experiment: Experiment) => void,
    intervalMs = 250,
  ): Promise<Experiment> {
    for (;;) {
      const experiment = await this.getExperiment(experimentId);
      onProgress?.(experiment);
      if (experiment.status !== 'running') return experiment;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
  applyExperiment(experimentId: string) {
    return this.client.request<{ collection: Collection; version: number; job: IngestionJob | null }>(
      'POST',
      `/api/v1/experiments/${enc(experimentId)}/apply`,
    );
  }
}
