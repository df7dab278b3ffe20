/**
 * @module rag/collections/ingestion
 * Ingestion for collections: adding documents records them (source bytes, content hash) and queues
 * a `rag.ingest` job in ONE transaction; the job service runs it (see ingest-job.ts). This module
 * also keeps each collection's in-process search structures and shows jobs in the shape of the
 * collections API.
 */
import type { CollectionConfig, IngestionJob } from '../../api/rag.js';
import type { AuditRecorder } from '../../audit/index.js';
import type { Logger } from '../../core/logger.js';
import type { Job, JobService } from '../../jobs/index.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import { CollectionIndex } from './collection-index.js';
import type { ChunkRow, CollectionStore } from './collection-store.js';
import { type NewDocument, type UpsertOutcome, upsertDocuments } from './document-writes.js';
import { INGEST_KIND, type IngestCounters, type IngestPayload, ingestJobHandler } from './ingest-job.js';

export type { PreparedChunk } from './prepare-document.js';
export { chunksFor, INJECTION_FLAG_SCORE, prepareDocument } from './prepare-document.js';

export interface IngestionOptions {
  db: DatabaseV1;
  store: CollectionStore;
  jobs: JobService;
  dataDir: string;
  logger: Logger;
  /** Resolves a collection's embedder (`provider:model`). */
  embedderFor: (id: string) => EmbeddingModelV1;
  /** Where document additions and replacements are recorded. */
  audit?: AuditRecorder | undefined;
}

export class IngestionService {
  readonly #indexes = new Map<string, { key: string; index: Promise<CollectionIndex> }>();

  constructor(readonly options: IngestionOptions) {
    options.jobs.register(
      INGEST_KIND,
      ingestJobHandler({
        db: options.db,
        embedderFor: options.embedderFor,
        afterCommit: async (collectionId, config, items) => {
          const cached = this.#indexes.get(collectionId);
          if (!cached || !items.length) return;
          const index = await cached.index.catch(() => undefined);
          if (index && index.embedderId === config.embedder)
            await index.replaceDocuments(
              items.map((item) => ({ documentId: item.documentId, rows: item.rows ?? [], name: item.name })),
            );
          else this.invalidate(collectionId);
        },
        afterJob: async (collectionId) => {
          const cached = this.#indexes.get(collectionId);
          // The index file is derived: failing to write it costs a rebuild later, not the job.
          if (cached)
            await (await cached.index.catch(() => undefined))
              ?.persist()
              .catch((error) =>
                options.logger.warn(
                  { err: error, collection: collectionId },
                  'could not save the vector index',
                ),
              );
        },
      }),
    );
  }

  /** Records documents and queues a job for those that need (re)indexing. */
  async enqueue(
    projectId: string,
    collectionId: string,
    documents: NewDocument[],
    actor: string | null,
  ): Promise<{
    job: IngestionJob | null;
    outcomes: { name: string; id: string; outcome: 'queued' | 'unchanged' }[];
  }> {
    const result = await this.options.db.transaction(async (tx) => {
      const upserted = await upsertDocuments(tx, collectionId, documents);
      const outcomes = upserted.map(({ name, id, outcome }) => ({ name, id, outcome }));
      const queued = [
        ...new Set(outcomes.filter((entry) => entry.outcome === 'queued').map((entry) => entry.id)),
      ];
      if (!queued.length) return { job: null, outcomes };
      this.#audit(projectId, collectionId, documents, upserted);
      const job = await this.#enqueueJob(projectId, collectionId, queued, 'ingest', actor, tx);
      return { job, outcomes };
    });
    if (result.job) this.options.jobs.notify();
    return { job: result.job ? ingestionJson(result.job, []) : null, outcomes: result.outcomes };
  }

  /** One audit record per document added or replaced (recorded inside the ingestion transaction). */
  #audit(
    projectId: string,
    collectionId: string,
    documents: readonly NewDocument[],
    upserted: readonly UpsertOutcome[],
  ) {
    const inputs = new Map(documents.map((document) => [document.name, document]));
    const seen = new Set<string>();
    for (const entry of upserted) {
      if (entry.outcome !== 'queued' || seen.has(entry.id)) continue;
      seen.add(entry.id);
      const input = inputs.get(entry.name)!;
      this.options.audit?.record({
        action: entry.replaced ? 'document.replace' : 'document.add',
        projectId,
        target: { type: 'document', id: entry.id },
        after: {
          name: entry.name,
          contentHash: entry.contentHash,
          sizeBytes: input.data.length,
          metadata: input.metadata,
        },
        detail: { collectionId, contentHash: entry.contentHash },
      });
    }
  }

  /** Marks every document of a collection pending and queues a reindex (chunker or embedder changed). */
  async reindex(projectId: string, collectionId: string, actor: string | null): Promise<IngestionJob | null> {
    this.invalidate(collectionId);
    const job = await this.options.db.transaction(async (tx) => {
      const { rows: docs } = await tx.query<{ id: string }>(
        "UPDATE rag_documents SET status = 'pending', updated_at = now() WHERE collection_id = $1 RETURNING id",
        [collectionId],
      );
      if (!docs.length) return null;
      return this.#enqueueJob(
        projectId,
        collectionId,
        docs.map((row) => row.id),
        'reindex',
        actor,
        tx,
      );
    });
    if (job) this.options.jobs.notify();
    return job ? ingestionJson(job, []) : null;
  }

  #enqueueJob(
    projectId: string,
    collectionId: string,
    documentIds: string[],
    mode: 'ingest' | 'reindex',
    actor: string | null,
    tx: DatabaseSession,
  ): Promise<Job<IngestPayload>> {
    return this.options.jobs.enqueue<IngestPayload>(
      {
        projectId,
        kind: INGEST_KIND,
        payload: { collection_id: collectionId, document_ids: documentIds, mode },
        createdBy: actor,
        total: documentIds.length,
      },
      { tx },
    );
  }

  async job(projectId: string, jobId: string): Promise<IngestionJob> {
    const job = await this.options.jobs.get<IngestPayload, IngestCounters>(jobId, {
      projectId,
      kind: INGEST_KIND,
    });
    return ingestionJson(job, (await this.options.jobs.failures(jobId)).failures);
  }

  async jobs(collectionId: string): Promise<IngestionJob[]> {
    const jobs = await this.options.jobs.list({
      kind: INGEST_KIND,
      payloadContains: { collection_id: collectionId },
      limit: 50,
    });
    return Promise.all(
      jobs.map(async (job) =>
        ingestionJson(job as Job<IngestPayload>, (await this.options.jobs.failures(job.id)).failures),
      ),
    );
  }

  /** Job snapshots as they change, until it ends (or `signal` aborts). */
  async *follow(projectId: string, jobId: string, signal?: AbortSignal): AsyncGenerator<IngestionJob> {
    let last: IngestionJob | undefined;
    for await (const event of this.options.jobs.follow(jobId, { projectId, ...(signal ? { signal } : {}) })) {
      if (event.type !== 'state' || event.job.kind !== INGEST_KIND) continue;
      const terminal = ['succeeded', 'failed', 'cancelled'].includes(event.job.status);
      const failures =
        terminal || event.job.progress.data.failed ? (await this.options.jobs.failures(jobId)).failures : [];
      const next = ingestionJson(event.job as Job<IngestPayload>, failures);
      if (last && next.done === last.done && next.failed === last.failed && next.status === last.status)
        continue;
      last = next;
      yield next;
    }
  }

  /** Waits for a job to end (tests, the CLI without a server). */
  async wait(projectId: string, jobId: string): Promise<IngestionJob> {
    let last: IngestionJob | undefined;
    for await (const job of this.follow(projectId, jobId)) last = job;
    return last!;
  }

  /** The collection's search structures, built on first use and kept in step with commits. */
  index(collectionId: string, config: CollectionConfig): Promise<CollectionIndex> {
    const key = `${config.embedder}|${config.index.vector}`;
    const cached = this.#indexes.get(collectionId);
    if (cached && cached.key === key) return cached.index;
    const index = CollectionIndex.open({
      collectionId,
      config,
      store: this.options.store,
      db: this.options.db,
      dataDir: this.options.dataDir,
      embedder: this.options.embedderFor(config.embedder),
    });
    index.catch(() => this.#indexes.delete(collectionId));
    this.#indexes.set(collectionId, { key, index });
    return index;
  }

  invalidate(collectionId: string): void {
    this.#indexes.delete(collectionId);
  }
}

/** A `rag.ingest` job in the shape of the collections API. */
export function ingestionJson(
  job: Job<IngestPayload>,
  failures: readonly { key: string; label: string | null; code: string; message: string }[],
): IngestionJob {
  const data = job.progress.data;
  const errors = failures.map((failure) => ({
    document: failure.label ?? failure.key,
    code: failure.code,
    message: failure.message,
  }));
  if (job.status === 'failed' && job.error) errors.push({ document: '', ...job.error });
  return {
    id: job.id,
    collection_id: job.payload.collection_id,
    kind: job.payload.mode,
    status: job.status,
    total: job.progress.total ?? job.payload.document_ids.length,
    done: Number(data.succeeded ?? 0),
    failed: Number(data.failed ?? 0),
    chunks: Number(data.chunks ?? 0),
    errors,
    created_at: job.createdAt.toISOString(),
    started_at: job.startedAt?.toISOString() ?? null,
    finished_at: job.finishedAt?.toISOString() ?? null,
  };
}

export type { ChunkRow };
