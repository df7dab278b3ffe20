/**
 * @module rag/collections/ingestion
 * Ingestion jobs. Adding documents records them (source bytes, content hash) and a job row in one
 * transaction; a runner in the server process then takes each pending document through load →
 * chunk → embed → scan, and commits its chunks and vectors, the document's status and the job's
 * progress in ONE transaction. A process killed mid-job leaves every document either committed or
 * still pending, so the job resumes on the next start with no duplicate and no orphan chunk.
 */
import { EventEmitter } from 'node:events';
import type { CollectionConfig, IngestionJob } from '../../api/rag.js';
import { KeelError, toKeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { Logger } from '../../core/logger.js';
import { createInjectionDetector } from '../../guardrails/injection/injection-detector.js';
import type { Chunk } from '../../spec/chunker.js';
import type { DatabaseSession, DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { LoadedDocument } from '../../spec/loader.js';
import type { CallWarning } from '../../spec/warnings.js';
import { getAnalyzer } from '../analysis/analyzers.js';
import { chunkDocument, createProvidedChunker } from '../chunking/chunkers.js';
import { loadDocument } from '../loading/load-document.js';
import { CollectionIndex } from './collection-index.js';
import {
  type ChunkRow,
  type CollectionStore,
  parseCollectionConfig,
  vectorBytes,
} from './collection-store.js';

/** Instructions addressed to an assistant inside a chunk at or above this score flag the chunk. */
export const INJECTION_FLAG_SCORE = 0.7;

interface JobRow {
  id: string;
  collection_id: string;
  project_id: string;
  kind: 'ingest' | 'reindex';
  status: IngestionJob['status'];
  document_ids: string[];
  total: number;
  done: number;
  failed: number;
  chunks: number;
  errors: IngestionJob['errors'];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

export function jobJson(row: JobRow): IngestionJob {
  return {
    id: row.id,
    collection_id: row.collection_id,
    kind: row.kind,
    status: row.status,
    total: row.total,
    done: row.done,
    failed: row.failed,
    chunks: row.chunks,
    errors: row.errors,
    created_at: row.created_at.toISOString(),
    started_at: row.started_at?.toISOString() ?? null,
    finished_at: row.finished_at?.toISOString() ?? null,
  };
}

export interface PreparedChunk extends Chunk {
  language: string;
  embedding: Float32Array | undefined;
  flags: string[];
}

const analyzer = getAnalyzer('multilingual-v1');
const injection = createInjectionDetector();

/** Chunks a loaded document with the collection's chunker, or the document's own chunks. */
export function chunksFor(
  document: LoadedDocument,
  config: CollectionConfig,
  provided?: readonly string[] | null,
): Chunk[] {
  if (provided?.length)
    return createProvidedChunker(provided.map((text) => ({ text }))).chunk(document, { size: 1 });
  return chunkDocument(document, config.chunker.strategy, {
    size: config.chunker.size,
    overlap: config.chunker.overlap,
    unit: config.chunker.unit,
  });
}

/** Load, chunk, embed and scan one document (no database writes). */
export async function prepareDocument(input: {
  name: string;
  data: Uint8Array;
  mediaType: string | null;
  providedChunks: string[] | null;
  config: CollectionConfig;
  embedder: EmbeddingModelV1 | undefined;
  signal?: AbortSignal;
}): Promise<{ document: LoadedDocument; chunks: PreparedChunk[]; warnings: CallWarning[] }> {
  const document = await loadDocument(
    { data: input.data, fileName: input.name, ...(input.mediaType ? { mediaType: input.mediaType } : {}) },
    {
      ocr: input.config.loader.ocr,
      ocrLanguages: input.config.loader.ocr_languages,
      ...(input.signal ? { abortSignal: input.signal } : {}),
    },
  );
  if (!document.text.trim()) {
    throw new KeelError('unprocessable', `${input.name} has no text to index.`, {
      data: { hint: 'Empty files, and scanned PDFs without OCR, have no text.' },
    });
  }
  const chunks = chunksFor(document, input.config, input.providedChunks);
  const warnings = [...document.warnings];
  const prepared: PreparedChunk[] = chunks.map((chunk) => {
    const flags: string[] = [];
    if (input.config.scan_injection) {
      const found = injection.detect(chunk.text, { mode: 'document' });
      if (found.some((span) => span.score >= INJECTION_FLAG_SCORE)) flags.push('indirect_injection');
    }
    return { ...chunk, language: analyzer.detectLanguage(chunk.text).language, embedding: undefined, flags };
  });
  const flagged = prepared.filter((chunk) => chunk.flags.length);
  if (flagged.length) {
    warnings.push({
      type: 'other',
      setting: 'scan_injection',
      message: `${flagged.length} chunk${flagged.length > 1 ? 's' : ''} of ${input.name} contain instructions addressed to an AI assistant (possible indirect prompt injection); they are kept out of answers.`,
    });
  }
  if (input.embedder) {
    const batch = Math.min(128, input.embedder.maxEmbeddingsPerCall);
    for (let i = 0; i < prepared.length; i += batch) {
      const slice = prepared.slice(i, i + batch);
      const values = slice.map((chunk) => {
        const title = [input.name, ...(chunk.headingPath ?? [])].join(' › ');
        return `${title}\n${chunk.text}`;
      });
      const { embeddings } = await input.embedder.doEmbed({
        values,
        ...(input.signal ? { abortSignal: input.signal } : {}),
      });
      slice.forEach((chunk, j) => {
        chunk.embedding =
          embeddings[j] instanceof Float32Array ? embeddings[j] : Float32Array.from(embeddings[j]!);
      });
    }
  }
  return { document, chunks: prepared, warnings };
}

/** The rows a document's prepared chunks become (also handed to the in-process index after commit). */
function chunkRows(
  documentId: string,
  chunks: readonly PreparedChunk[],
  embedderId: string,
): (ChunkRow & { language: string })[] {
  return chunks.map((chunk) => ({
    id: `${documentId}.${chunk.index}`,
    document_id: documentId,
    ordinal: chunk.index,
    text: chunk.text,
    span_start: chunk.start,
    span_end: chunk.end,
    pages: chunk.pages ?? null,
    heading_path: chunk.headingPath ?? null,
    kind: chunk.kind,
    language: chunk.language,
    metadata: { ...chunk.metadata, ...(chunk.flags.length ? { flags: chunk.flags.join(',') } : {}) },
    embedding: chunk.embedding ? vectorBytes(chunk.embedding) : null,
    embedder: chunk.embedding ? embedderId : null,
  }));
}

async function insertChunks(
  tx: DatabaseSession,
  collectionId: string,
  rows: readonly (ChunkRow & { language: string })[],
): Promise<void> {
  const columns = 14;
  for (let i = 0; i < rows.length; i += 100) {
    const slice = rows.slice(i, i + 100);
    const values: unknown[] = [];
    const tuples = slice.map((row, j) => {
      values.push(
        row.id,
        collectionId,
        row.document_id,
        row.ordinal,
        row.text,
        row.span_start,
        row.span_end,
        row.pages,
        row.heading_path,
        row.kind,
        row.language,
        JSON.stringify(row.metadata),
        row.embedding,
        row.embedder,
      );
      return `(${Array.from({ length: columns }, (_, k) => `$${j * columns + k + 1}`).join(', ')})`;
    });
    await tx.query(
      `INSERT INTO rag_chunks (id, collection_id, document_id, ordinal, text, span_start, span_end, pages, heading_path, kind, language, metadata, embedding, embedder)
       VALUES ${tuples.join(', ')}`,
      values,
    );
  }
}

export interface IngestionOptions {
  db: DatabaseV1;
  store: CollectionStore;
  dataDir: string;
  logger: Logger;
  /** Resolves a collection's embedder (`provider:model`). */
  embedderFor: (id: string) => EmbeddingModelV1;
}

export class IngestionService {
  readonly #events = new EventEmitter();
  readonly #indexes = new Map<string, { key: string; index: Promise<CollectionIndex> }>();
  #loop: Promise<void> | undefined;
  #closing = false;
  #current: AbortController | undefined;

  constructor(readonly options: IngestionOptions) {
    this.#events.setMaxListeners(0);
  }

  /** Resumes the jobs a previous process left queued or running. */
  start(): void {
    this.kick();
  }

  /** Records documents and queues a job for those that need (re)indexing. */
  async enqueue(
    projectId: string,
    collectionId: string,
    documents: {
      name: string;
      mediaType: string | undefined;
      data: Uint8Array;
      metadata: Record<string, string | number | boolean>;
      providedChunks: string[] | undefined;
    }[],
    actor: string | null,
    kind: 'ingest' | 'reindex' = 'ingest',
  ): Promise<{
    job: IngestionJob | null;
    outcomes: { name: string; id: string; outcome: 'queued' | 'unchanged' }[];
  }> {
    const result = await this.options.db.transaction(async (tx) => {
      const outcomes = [];
      for (const document of documents) {
        const { id, outcome } = await this.options.store.upsertDocument(tx, collectionId, document);
        outcomes.push({ name: document.name, id, outcome });
      }
      const queued = outcomes.filter((entry) => entry.outcome === 'queued').map((entry) => entry.id);
      if (!queued.length) return { job: null, outcomes };
      const { rows } = await tx.query<JobRow>(
        `INSERT INTO rag_jobs (id, collection_id, project_id, kind, status, document_ids, total, created_by)
         VALUES ($1, $2, $3, $4, 'queued', $5, $6, $7) RETURNING *`,
        [newId('job'), collectionId, projectId, kind, queued, queued.length, actor],
      );
      return { job: jobJson(rows[0]!), outcomes };
    });
    if (result.job) this.kick();
    return result;
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
      const ids = docs.map((row) => row.id);
      const { rows } = await tx.query<JobRow>(
        `INSERT INTO rag_jobs (id, collection_id, project_id, kind, status, document_ids, total, created_by)
         VALUES ($1, $2, $3, 'reindex', 'queued', $4, $5, $6) RETURNING *`,
        [newId('job'), collectionId, projectId, ids, ids.length, actor],
      );
      return jobJson(rows[0]!);
    });
    if (job) this.kick();
    return job;
  }

  async job(projectId: string, jobId: string): Promise<IngestionJob> {
    const { rows } = await this.options.db.query<JobRow>(
      'SELECT * FROM rag_jobs WHERE project_id = $1 AND id = $2',
      [projectId, jobId],
    );
    if (!rows[0]) throw new KeelError('not_found', `Ingestion job "${jobId}" not found.`);
    return jobJson(rows[0]);
  }

  async jobs(collectionId: string): Promise<IngestionJob[]> {
    const { rows } = await this.options.db.query<JobRow>(
      'SELECT * FROM rag_jobs WHERE collection_id = $1 ORDER BY created_at DESC LIMIT 50',
      [collectionId],
    );
    return rows.map(jobJson);
  }

  /** Job snapshots as they change, until it ends (or `signal` aborts). */
  async *follow(projectId: string, jobId: string, signal?: AbortSignal): AsyncGenerator<IngestionJob> {
    let current = await this.job(projectId, jobId);
    yield current;
    while (!['succeeded', 'failed', 'cancelled'].includes(current.status) && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.#events.off(jobId, done);
          signal?.removeEventListener('abort', done);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(done, 2000);
        this.#events.on(jobId, done);
        signal?.addEventListener('abort', done);
      });
      if (signal?.aborted) return;
      const next = await this.job(projectId, jobId);
      if (next.done !== current.done || next.failed !== current.failed || next.status !== current.status)
        yield next;
      current = next;
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

  kick(): void {
    if (this.#loop || this.#closing) return;
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
    });
  }

  async #run(): Promise<void> {
    for (;;) {
      if (this.#closing) return;
      const { rows } = await this.options.db.query<JobRow>(
        "SELECT * FROM rag_jobs WHERE status IN ('queued', 'running') ORDER BY created_at LIMIT 1",
      );
      const job = rows[0];
      if (!job) return;
      try {
        await this.#process(job);
      } catch (error) {
        if (this.#closing) return;
        this.options.logger.error({ err: error, job: job.id }, 'ingestion job failed');
        await this.options.db.query(
          "UPDATE rag_jobs SET status = 'failed', finished_at = now(), errors = errors || $2::jsonb WHERE id = $1",
          [
            job.id,
            JSON.stringify([
              { document: '', code: toKeelError(error).code, message: toKeelError(error).message },
            ]),
          ],
        );
        this.#events.emit(job.id);
      }
    }
  }

  async #process(job: JobRow): Promise<void> {
    const { db, store } = this.options;
    await db.query(
      "UPDATE rag_jobs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1",
      [job.id],
    );
    this.#events.emit(job.id);
    const { rows: collections } = await db.query<{
      config: unknown;
      config_version: number;
      project_id: string;
    }>('SELECT config, config_version, project_id FROM rag_collections WHERE id = $1', [job.collection_id]);
    if (!collections[0]) {
      await db.query("UPDATE rag_jobs SET status = 'cancelled', finished_at = now() WHERE id = $1", [job.id]);
      return;
    }
    const config = parseCollectionConfig(collections[0].config);
    const configVersion = collections[0].config_version;
    let embedder: EmbeddingModelV1 | undefined;
    try {
      embedder = this.options.embedderFor(config.embedder);
    } catch (error) {
      throw toKeelError(error);
    }
    for (const documentId of job.document_ids) {
      if (this.#closing) return;
      const { rows: docs } = await db.query<{
        name: string;
        media_type: string | null;
        content_hash: string;
        status: string;
      }>('SELECT name, media_type, content_hash, status FROM rag_documents WHERE id = $1', [documentId]);
      const doc = docs[0];
      // Deleted since, or already committed by this job before a restart.
      if (doc?.status !== 'pending') continue;
      const { source, provided_chunks } = await store.source(documentId);
      this.#current = new AbortController();
      try {
        const prepared = await prepareDocument({
          name: doc.name,
          data: source,
          mediaType: doc.media_type,
          providedChunks: provided_chunks,
          config,
          embedder,
          signal: this.#current.signal,
        });
        if (this.#closing) return;
        const rows = chunkRows(documentId, prepared.chunks, config.embedder);
        const committed = await db.transaction(async (tx) => {
          const { rows: current } = await tx.query<{ content_hash: string }>(
            'SELECT content_hash FROM rag_documents WHERE id = $1 FOR UPDATE',
            [documentId],
          );
          // Changed while we worked: the newer content has its own job.
          if (current[0]?.content_hash !== doc.content_hash) return false;
          await tx.query('DELETE FROM rag_chunks WHERE document_id = $1', [documentId]);
          await insertChunks(tx, job.collection_id, rows);
          await tx.query(
            `UPDATE rag_documents SET status = 'ready', chunk_count = $2, config_version = $3, pages = $4, warnings = $5,
                    error = NULL, updated_at = now() WHERE id = $1`,
            [
              documentId,
              prepared.chunks.length,
              configVersion,
              prepared.document.pages?.length ?? null,
              JSON.stringify(prepared.warnings),
            ],
          );
          await tx.query('UPDATE rag_jobs SET done = done + 1, chunks = chunks + $2 WHERE id = $1', [
            job.id,
            prepared.chunks.length,
          ]);
          return true;
        });
        if (committed) {
          const cached = this.#indexes.get(job.collection_id);
          if (cached) {
            const index = await cached.index.catch(() => undefined);
            if (index && index.embedderId === config.embedder) {
              await index.replaceDocument(documentId, rows, doc.name);
            } else this.invalidate(job.collection_id);
          }
        }
      } catch (error) {
        if (this.#closing) return;
        const failure = toKeelError(error);
        await db.transaction(async (tx) => {
          await tx.query(
            "UPDATE rag_documents SET status = 'failed', error = $2, updated_at = now() WHERE id = $1 AND content_hash = $3",
            [documentId, JSON.stringify({ code: failure.code, message: failure.message }), doc.content_hash],
          );
          await tx.query(
            'UPDATE rag_jobs SET failed = failed + 1, errors = errors || $2::jsonb WHERE id = $1',
            [job.id, JSON.stringify([{ document: doc.name, code: failure.code, message: failure.message }])],
          );
        });
      } finally {
        this.#current = undefined;
      }
      this.#events.emit(job.id);
    }
    const { rows: finished } = await db.query<{ done: number; failed: number }>(
      `UPDATE rag_jobs SET status = CASE WHEN failed > 0 AND done = 0 THEN 'failed' ELSE 'succeeded' END, finished_at = now()
        WHERE id = $1 RETURNING done, failed`,
      [job.id],
    );
    this.options.logger.info({ job: job.id, ...finished[0] }, 'ingestion job finished');
    const cached = this.#indexes.get(job.collection_id);
    // The index file is derived: failing to write it costs a rebuild later, not the job.
    if (cached)
      await (await cached.index.catch(() => undefined))
        ?.persist()
        .catch((error) =>
          this.options.logger.warn(
            { err: error, collection: job.collection_id },
            'could not save the vector index',
          ),
        );
    this.#events.emit(job.id);
  }

  /** Stops after the document in hand (its transaction either committed or never started). */
  async close(): Promise<void> {
    this.#closing = true;
    this.#current?.abort();
    await this.#loop?.catch(() => undefined);
  }
}

export type { ChunkRow };
