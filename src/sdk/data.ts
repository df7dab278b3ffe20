/**
 * @module sdk/data
 * `client.data`: the project's data sources (upload a file, or add an allowed local path), the
 * catalog with editable descriptions, join keys (proposed, then accepted or rejected), and
 * read-only SQL (rows as JSON, page by page, or CSV text and streamed CSV, NDJSON, Parquet or Arrow
 * exports).
 */
import type { z } from '@hono/zod-openapi';
import type {
  dataAskRequestSchema,
  dataAskResponseSchema,
  dataFormatSchema,
  dataJoinKeySchema,
  dataQueryRequestSchema,
  dataQueryResponseSchema,
  dataRagSourceRequestSchema,
  dataRagSourceSchema,
  dataRagSyncSchema,
  dataSourceSchema,
  dataSyncScheduleSchema,
  dataTableSchema,
  dataTagSuggestionSchema,
  maskingPolicyRequestSchema,
  maskingPolicySchema,
} from '../api/data.js';
import type { JobJson } from '../api/jobs.js';
import { jobStates } from './sse.js';
import type { SdkTransport } from './transport.js';

export type DataSourceJson = z.infer<typeof dataSourceSchema>;
export type DataTableJson = z.infer<typeof dataTableSchema>;
export type DataFormat = z.infer<typeof dataFormatSchema>;
export type DataQueryJson = z.infer<typeof dataQueryResponseSchema>;
export type DataQueryRequest = Omit<z.infer<typeof dataQueryRequestSchema>, 'format'>;
export type DataAskRequest = z.infer<typeof dataAskRequestSchema>;
export type DataAskJson = z.infer<typeof dataAskResponseSchema>;
export type DataTagSuggestionJson = z.infer<typeof dataTagSuggestionSchema>;
export type MaskingPolicyJson = z.infer<typeof maskingPolicySchema>;
export type MaskingPolicyRequest = z.infer<typeof maskingPolicyRequestSchema>;
export type DataJoinKeyJson = z.infer<typeof dataJoinKeySchema>;
export type DataRagSourceJson = z.infer<typeof dataRagSourceSchema>;
export type DataRagSourceRequest = z.infer<typeof dataRagSourceRequestSchema>;
export type DataSyncSchedule = z.infer<typeof dataSyncScheduleSchema>;
export type DataRagSyncJson = z.infer<typeof dataRagSyncSchema>;
export type DataExportFormat = 'csv' | 'ndjson' | 'parquet' | 'arrow';

const enc = encodeURIComponent;

export class DataApi {
  constructor(private readonly client: SdkTransport) {}

  /** Uploads a CSV, Parquet or JSON file as a table (named after the file unless `name` is given). */
  upload(
    file: { name: string; data: Uint8Array | string },
    options: { name?: string; format?: DataFormat; table?: string; description?: string } = {},
  ): Promise<DataSourceJson> {
    const form = new FormData();
    form.set('file', new File([file.data as BlobPart], file.name));
    if (options.name) form.set('name', options.name);
    if (options.format) form.set('format', options.format);
    if (options.table) form.set('table', options.table);
    if (options.description) form.set('description', options.description);
    return this.client.request('POST', '/api/v1/data/sources', { body: form });
  }

  /**
   * Adds a local file, a folder whose files are read together, or a table of a DuckDB or SQLite
   * file (only under a folder the server's configuration allows).
   */
  addPath(input: {
    name: string;
    path: string;
    format?: DataFormat;
    table?: string;
    description?: string;
  }): Promise<DataSourceJson> {
    return this.client.request('POST', '/api/v1/data/sources', { body: input });
  }

  /** Adds a remote file or Iceberg table by its https URL (the server needs DuckDB's httpfs extension). */
  addUrl(input: {
    name: string;
    url: string;
    format?: DataFormat;
    description?: string;
  }): Promise<DataSourceJson> {
    return this.client.request('POST', '/api/v1/data/sources', { body: input });
  }

  async sources(): Promise<DataSourceJson[]> {
    return (await this.client.request<{ sources: DataSourceJson[] }>('GET', '/api/v1/data/sources')).sources;
  }

  /** Reads a PostgreSQL source's table again into a new snapshot. */
  refresh(name: string): Promise<DataSourceJson> {
    return this.client.request('POST', `/api/v1/data/sources/${enc(name)}/refresh`);
  }

  remove(name: string): Promise<void> {
    return this.client.request('DELETE', `/api/v1/data/sources/${enc(name)}`);
  }

  table(name: string): Promise<DataTableJson> {
    return this.client.request('GET', `/api/v1/data/tables/${enc(name)}`);
  }

  describe(
    name: string,
    input: { description?: string; columns?: Record<string, string> },
  ): Promise<DataSourceJson> {
    return this.client.request('PATCH', `/api/v1/data/tables/${enc(name)}`, { body: input });
  }

  /** Has `model` draft the descriptions of a table and its columns, kept for review (`draft` on the table). */
  draftDescriptions(
    name: string,
    input: { model: string; language?: 'en' | 'ko' },
    signal?: AbortSignal,
  ): Promise<DataTableJson> {
    return this.client.request('POST', `/api/v1/data/tables/${enc(name)}/descriptions/draft`, {
      body: input,
      signal,
    });
  }

  /** Accepts the drafted descriptions, with edits (an empty column text keeps that column's own). */
  acceptDescriptions(
    name: string,
    edits: { description?: string; columns?: Record<string, string> } = {},
  ): Promise<DataTableJson> {
    return this.client.request('POST', `/api/v1/data/tables/${enc(name)}/descriptions/draft/accept`, {
      body: edits,
    });
  }

  discardDescriptions(name: string): Promise<void> {
    return this.client.request('DELETE', `/api/v1/data/tables/${enc(name)}/descriptions/draft`);
  }

  query(request: DataQueryRequest, signal?: AbortSignal): Promise<DataQueryJson> {
    return this.client.request('POST', '/api/v1/data/query', { body: request, signal });
  }

  /** The page a `next_page_token` names (from a query sent with `page_size`). */
  page(pageToken: string, signal?: AbortSignal): Promise<DataQueryJson> {
    return this.client.request('POST', '/api/v1/data/query/page', {
      body: { page_token: pageToken },
      signal,
    });
  }

  /**
   * Every page of a result, in order: the query runs once on the server, which keeps the result
   * and hands out one page of `page_size` rows at a time.
   */
  async *pages(
    request: DataQueryRequest & { page_size: number },
    signal?: AbortSignal,
  ): AsyncGenerator<DataQueryJson> {
    yield* this.pagesFrom(await this.query(request, signal), signal);
  }

  /**
   * A paged result from its first page (a paged query's, or an answer's `result` asked with
   * `page_size`): that page, then each next one, read when the one before has been taken.
   */
  async *pagesFrom(first: DataQueryJson, signal?: AbortSignal): AsyncGenerator<DataQueryJson> {
    let page = first;
    yield page;
    while (page.next_page_token) {
      page = await this.page(page.next_page_token, signal);
      yield page;
    }
  }

  /** Answers a question (Korean or English) with checked SQL, its result and every step. */
  ask(request: DataAskRequest, signal?: AbortSignal): Promise<DataAskJson> {
    return this.client.request('POST', '/api/v1/data/ask', { body: request, signal });
  }

  /** The result as a streamed export (CSV, NDJSON, Parquet or Arrow): the raw response, body unread. */
  export(request: DataQueryRequest, format: DataExportFormat, signal?: AbortSignal): Promise<Response> {
    return this.client.raw('POST', '/api/v1/data/query', { body: { ...request, format }, signal });
  }

  async setTags(table: string, column: string, tags: string[]): Promise<string[]> {
    const path = `/api/v1/data/tables/${enc(table)}/columns/${enc(column)}/tags`;
    return (await this.client.request<{ tags: string[] }>('PUT', path, { body: { tags } })).tags;
  }

  async suggestTags(table: string): Promise<DataTagSuggestionJson[]> {
    const path = `/api/v1/data/tables/${enc(table)}/tag-suggestions`;
    return (await this.client.request<{ suggestions: DataTagSuggestionJson[] }>('GET', path)).suggestions;
  }

  async maskingPolicies(): Promise<MaskingPolicyJson[]> {
    const path = '/api/v1/data/masking-policies';
    return (await this.client.request<{ policies: MaskingPolicyJson[] }>('GET', path)).policies;
  }

  addMaskingPolicy(policy: MaskingPolicyRequest): Promise<MaskingPolicyJson> {
    return this.client.request('POST', '/api/v1/data/masking-policies', { body: policy });
  }

  removeMaskingPolicy(id: string): Promise<void> {
    return this.client.request('DELETE', `/api/v1/data/masking-policies/${enc(id)}`);
  }

  /** Join keys between the project's tables, best first, each with its score and evidence. */
  async joins(): Promise<DataJoinKeyJson[]> {
    return (await this.client.request<{ joins: DataJoinKeyJson[] }>('GET', '/api/v1/data/joins')).joins;
  }

  /** Proposes join keys again from names, types and value containment (decisions are kept). */
  async discoverJoins(): Promise<DataJoinKeyJson[]> {
    const path = '/api/v1/data/joins/discover';
    return (await this.client.request<{ joins: DataJoinKeyJson[] }>('POST', path)).joins;
  }

  /** Accepts or rejects a proposed join key. */
  decideJoin(id: string, status: DataJoinKeyJson['status']): Promise<DataJoinKeyJson> {
    return this.client.request('PATCH', `/api/v1/data/joins/${enc(id)}`, { body: { status } });
  }

  /** Tables whose rows feed a RAG collection. */
  async ragSources(): Promise<DataRagSourceJson[]> {
    const path = '/api/v1/data/rag-sources';
    return (await this.client.request<{ sources: DataRagSourceJson[] }>('GET', path)).sources;
  }

  /**
   * Makes a table's rows a collection's documents (every masking policy applied): the source is
   * stored and its first sync queued as a job (its `result.sync` holds the counts when it ends).
   * Follow it with `waitForSync`.
   */
  addRagSource(input: DataRagSourceRequest): Promise<{ source: DataRagSourceJson; job: JobJson }> {
    return this.client.request('POST', '/api/v1/data/rag-sources', { body: input });
  }

  /** A RAG source with its last sync, last error and next sync. */
  ragSource(id: string): Promise<DataRagSourceJson> {
    return this.client.request('GET', `/api/v1/data/rag-sources/${enc(id)}`);
  }

  /** Removes a RAG source and its schedule; the documents it brought stay in the collection. */
  async removeRagSource(id: string): Promise<void> {
    await this.client.raw('DELETE', `/api/v1/data/rag-sources/${enc(id)}`);
  }

  /**
   * Queues a sync of the source now (changed rows re-indexed, removed rows' documents deleted) and
   * returns its job; while one is queued or running, that one. Follow it with `followJob`.
   */
  syncRagSource(id: string): Promise<JobJson> {
    return this.client.request('POST', `/api/v1/data/rag-sources/${enc(id)}/sync`);
  }

  /** A job's states (progress) until it ends; the last one is final. */
  followJob(jobId: string, signal?: AbortSignal): AsyncGenerator<JobJson> {
    return jobStates(this.client, `/api/v1/jobs/${enc(jobId)}/events`, signal);
  }

  /** Follows a sync job to its end (each state through `onProgress`) and returns its final state. */
  async waitForSync(
    jobId: string,
    onProgress?: (job: JobJson) => void,
    signal?: AbortSignal,
  ): Promise<JobJson> {
    let last: JobJson | undefined;
    for await (const job of this.followJob(jobId, signal)) {
      last = job;
      onProgress?.(job);
    }
    // The stream ends with the job; cut short (a restart), the job's state is read once more.
    if (last && ['succeeded', 'failed', 'cancelled'].includes(last.status)) return last;
    return this.client.request('GET', `/api/v1/jobs/${enc(jobId)}`);
  }

  /** Sets a source's sync schedule (every N seconds or cron, UTC), or removes it with null. */
  scheduleRagSource(id: string, schedule: DataSyncSchedule | null): Promise<DataRagSourceJson> {
    return this.client.request('PUT', `/api/v1/data/rag-sources/${enc(id)}/schedule`, { body: { schedule } });
  }

  /** The result as CSV text (header first). */
  async queryCsv(request: DataQueryRequest, signal?: AbortSignal): Promise<string> {
    const response = await this.client.raw('POST', '/api/v1/data/query', {
      body: { ...request, format: 'csv' },
      signal,
    });
    return response.text();
  }
}
