/**
 * @module rag/collections/ingest-job
 * The `rag.ingest` job kind: takes a job's pending documents through load → chunk → scan →
 * embed in waves, and commits each wave — chunks, document statuses, per-document failures and
 * the job's progress — in ONE transaction fenced by the job's lease. A process killed mid-job
 * leaves every document either committed or still pending, so the job resumes with no duplicate
 * and no orphan chunk. Waves grow while they are quick (thousands of small documents commit a
 * few hundred at a time) and shrink when slow (a slow embedder commits document by document).
 */
import type { CollectionConfig } from '../../api/rag.js';
import { KeelError, toKeelError } from '../../core/errors.js';
import { isRetryable, type JobContext, type JobHandler } from '../../jobs/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { CallContext } from '../../spec/language-model.js';
import { parseCollectionConfig } from './collection-store.js';
import { type BatchItem, chunkRows, commitBatch } from './document-writes.js';
import { chunkStoredDocument, embedPrepared } from './prepare-document.js';

export const INGEST_KIND = 'rag.ingest';

export interface IngestPayload {
  collection_id: string;
  document_ids: string[];
  mode: 'ingest' | 'reindex';
}

export interface IngestCounters {
  succeeded: number;
  failed: number;
  chunks: number;
}

export interface IngestDependencies {
  db: DatabaseV1;
  embedderFor: (id: string, context?: CallContext) => EmbeddingModelV1;
  /** After each committed wave (keeps the in-process search index in step). */
  afterCommit: (collectionId: string, config: CollectionConfig, items: BatchItem[]) => Promise<void>;
  /** After the job's last wave. */
  afterJob: (collectionId: string) => Promise<void>;
}

/** Target time of one wave: long enough to amortise a commit, short enough for live progress. */
const WAVE_MS = 250;
const MAX_WAVE = 1000;
const PAGE = 1000;

interface PendingDocument {
  id: string;
  name: string;
  media_type: string | null;
  content_hash: string;
  source: Uint8Array;
  provided_chunks: string[] | null;
}

export function ingestJobHandler(deps: IngestDependencies): JobHandler<IngestPayload, IngestCounters> {
  return {
    concurrency: 1,
    maxAttempts: 5,
    describe: (payload) => ({
      collection_id: payload.collection_id,
      mode: payload.mode,
      documents: payload.document_ids.length,
    }),
    run: (ctx) => runIngest(ctx, deps),
  };
}

async function runIngest(ctx: JobContext<IngestPayload>, deps: IngestDependencies): Promise<IngestCounters> {
  const { collection_id: collectionId, document_ids: ids } = ctx.payload;
  const total = ids.length;
  const data = ctx.job.progress.data;
  let counters: IngestCounters = {
    succeeded: Number(data.succeeded ?? 0),
    failed: Number(data.failed ?? 0),
    chunks: Number(data.chunks ?? 0),
  };
  const { rows: collections } = await deps.db.query<{ config: unknown; config_version: number }>(
    'SELECT config, config_version FROM rag_collections WHERE id = $1',
    [collectionId],
  );
  if (!collections[0]) {
    await ctx.progress(counters.succeeded + counters.failed, total, 'The collection was deleted.');
    return counters;
  }
  const config = parseCollectionConfig(collections[0].config);
  const configVersion = collections[0].config_version;
  const embedder = deps.embedderFor(config.embedder, {
    projectId: ctx.job.projectId,
    keyId: null,
    endpoint: 'rag.ingest',
  });
  let wave = 1;
  for (let page = 0; page < ids.length; page += PAGE) {
    const pageIds = ids.slice(page, page + PAGE);
    const { rows } = await deps.db.query<PendingDocument>(
      `SELECT id, name, media_type, content_hash, source, provided_chunks FROM rag_documents
        WHERE id = ANY($1::text[]) AND status = 'pending'`,
      [pageIds],
    );
    // Deleted since, or committed before a restart: not pending any more.
    const order = new Map(pageIds.map((id, index) => [id, index]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    // One wave ahead: the next wave is loaded, chunked and embedded on this thread while the
    // current one commits (the embedded database runs on a thread of its own). A wave that fails
    // to commit fails the attempt; the wave prepared beside it is dropped and stays pending.
    let next = 0;
    const take = () => {
      const documents = rows.slice(next, next + wave);
      next += documents.length;
      return documents;
    };
    let preparing: Promise<BatchItem[]> | null = rows.length
      ? prepareWave(ctx, take(), config, embedder)
      : null;
    while (preparing) {
      const started = performance.now();
      const items = await preparing;
      const following = take();
      preparing = following.length ? prepareWave(ctx, following, config, embedder) : null;
      // Observed even when the commit below throws, so a dropped wave is never an unhandled rejection.
      preparing?.catch(() => undefined);
      counters = await commitWave(ctx, collectionId, configVersion, items, counters, total, deps, config);
      const elapsed = performance.now() - started;
      if (elapsed < WAVE_MS) wave = Math.min(MAX_WAVE, wave * 2);
      else if (elapsed > WAVE_MS * 4) wave = Math.max(1, Math.floor(wave / 2));
    }
  }
  await deps.afterJob(collectionId);
  if (counters.failed > 0 && counters.succeeded === 0)
    throw new KeelError('unprocessable', `None of the ${counters.failed} documents could be indexed.`, {
      data: { retriable: false },
    });
  return counters;
}

/** Commits one wave — chunks, statuses, failed items and progress — in one transaction fenced by the lease. */
async function commitWave(
  ctx: JobContext<IngestPayload>,
  collectionId: string,
  configVersion: number,
  items: BatchItem[],
  counters: IngestCounters,
  total: number,
  deps: IngestDependencies,
  config: CollectionConfig,
): Promise<IngestCounters> {
  const next = { ...counters };
  const kept = await ctx.transaction(async (tx) => {
    const committed = await commitBatch(tx, collectionId, configVersion, items);
    const failures = committed.filter((item) => item.failure);
    if (failures.length)
      await ctx.failItems(
        tx,
        failures.map((item) => ({
          key: `document:${item.documentId}`,
          label: item.name,
          code: item.failure!.code,
          message: item.failure!.message,
        })),
      );
    next.failed += failures.length;
    next.succeeded += committed.length - failures.length;
    next.chunks += committed.reduce((sum, item) => sum + (item.rows?.length ?? 0), 0);
    await ctx.progress(next.succeeded + next.failed, total, null, { tx, data: { ...next } });
    return committed;
  });
  await deps.afterCommit(collectionId, config, kept);
  return next;
}

/** Prepares a wave; a document that cannot be indexed becomes a failed item, the rest go on. */
async function prepareWave(
  ctx: JobContext<IngestPayload>,
  documents: readonly PendingDocument[],
  config: CollectionConfig,
  embedder: EmbeddingModelV1,
): Promise<BatchItem[]> {
  const items: BatchItem[] = [];
  const fail = (item: BatchItem, error: unknown) => {
    if (ctx.signal.aborted || isRetryable(error)) throw error;
    const failure = toKeelError(error);
    item.failure = { code: failure.code, message: failure.message };
    delete item.prepared;
  };
  for (const document of documents) {
    if (ctx.signal.aborted) throw new KeelError('client_closed', 'The ingestion job was stopped.');
    const item: BatchItem = {
      documentId: document.id,
      name: document.name,
      contentHash: document.content_hash,
    };
    try {
      item.prepared = await chunkStoredDocument({
        name: document.name,
        data: document.source,
        mediaType: document.media_type,
        providedChunks: document.provided_chunks,
        config,
        signal: ctx.signal,
      });
    } catch (error) {
      fail(item, error);
    }
    items.push(item);
  }
  const ready = items.filter((item) => item.prepared);
  try {
    await embedPrepared(
      ready.map((item) => item.prepared!),
      embedder,
      ctx.signal,
    );
  } catch (error) {
    if (ctx.signal.aborted || isRetryable(error) || ready.length === 1) {
      if (ready.length === 1) fail(ready[0]!, error);
      else throw error;
    } else {
      // One document's text made the call fail: find it, keep the others.
      for (const item of ready) {
        try {
          await embedPrepared([item.prepared!], embedder, ctx.signal);
        } catch (single) {
          fail(item, single);
        }
      }
    }
  }
  for (const item of items)
    if (item.prepared) item.rows = chunkRows(item.documentId, item.prepared.chunks, config.embedder);
  return items;
}
