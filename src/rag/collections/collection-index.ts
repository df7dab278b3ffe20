/**
 * @module rag/collections/collection-index
 * A collection's search structures in the server process, derived from its rows: the chunk
 * store, the BM25 index and the vector index (usearch with its file in the data directory, or
 * pgvector in the database). Built on first use; the usearch file is reused when its manifest
 * matches the rows and rebuilt from the stored vectors when it is missing or stale. Kept in step
 * as documents are committed or deleted in this process, and with other replicas through the
 * collection's content version (migration 0010): `catchUp` compares it with the version the
 * index reflects and loads only the documents changed since (removing those that are gone).
 */
import path from 'node:path';
import type { CollectionConfig } from '../../api/rag.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { MetadataValue } from '../../spec/lexical-index.js';
import type { VectorIndexV1 } from '../../spec/vector-index.js';
import { Bm25Index } from '../lexical/bm25-index.js';
import { MemoryChunkStore, type StoredChunk } from '../retrieval/chunk-store.js';
import { type RetrievalResult, type RetrieveOptions, retrieve } from '../retrieval/retrieve.js';
import { createPgvectorIndex } from '../vector/pgvector-index.js';
import { sourceManifest } from '../vector/source-manifest.js';
import { openUsearchIndex, saveUsearchIndex } from '../vector/usearch-store.js';
import type { UsearchVectorIndex } from '../vector/usearch-vector-index.js';
import { type ChunkRow, type CollectionStore, vectorOf } from './collection-store.js';

/** The collection's content version (0 when it is gone). */
async function contentVersion(db: DatabaseV1, collectionId: string): Promise<number> {
  const { rows } = await db.query<{ content_version: number }>(
    'SELECT content_version FROM rag_collections WHERE id = $1',
    [collectionId],
  );
  return Number(rows[0]?.content_version ?? 0);
}

/** The derived pgvector table of a collection. */
export function pgvectorTable(collectionId: string): string {
  return `rag_vectors_${collectionId.replace(/[^a-z0-9]/gi, '_').toLowerCase()}`;
}

export interface IndexedChunk {
  row: ChunkRow;
  documentName: string;
}

function storedChunk(row: ChunkRow, documentName: string): StoredChunk {
  const chunk: StoredChunk = {
    id: row.id,
    documentId: row.document_id,
    index: row.ordinal,
    text: row.text,
    metadata: { ...row.metadata, documentId: row.document_id, document: documentName } as Record<
      string,
      MetadataValue
    >,
  };
  if (row.span_start !== null) chunk.start = row.span_start;
  if (row.span_end !== null) chunk.end = row.span_end;
  if (row.pages?.length) chunk.pages = row.pages;
  return chunk;
}

/** What identifies a stored vector's content for the manifest: its embedder and size. */
function vectorVersion(row: ChunkRow): string {
  return `${row.embedder}:${row.embedding!.byteLength}`;
}

function titleOf(row: ChunkRow, documentName: string): string {
  return [documentName, ...(row.heading_path ?? [])].join(' › ');
}

export class CollectionIndex {
  readonly chunks = new MemoryChunkStore();
  readonly lexical = new Bm25Index();
  /** Chunk id → vector version of every vector in the index: the usearch file's manifest. */
  readonly #vectorRows = new Map<string, string>();
  #dirty = false;
  /** The collection's content version the index reflects (at least). */
  #version = 0;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #catching: Promise<void> | undefined;
  /** Changes to the structures, one at a time (in-process commits and catch-ups interleave). */
  #changes: Promise<unknown> = Promise.resolve();
  #store: CollectionStore | undefined;
  #db: DatabaseV1 | undefined;

  private constructor(
    readonly collectionId: string,
    readonly embedderId: string,
    readonly embedder: EmbeddingModelV1,
    readonly vector: VectorIndexV1 | undefined,
    readonly file: string | undefined,
  ) {}

  static async open(options: {
    collectionId: string;
    config: CollectionConfig;
    store: CollectionStore;
    db: DatabaseV1;
    dataDir: string;
    embedder: EmbeddingModelV1;
  }): Promise<CollectionIndex> {
    // Read before the rows: whatever commits while they load is caught up with later.
    const version = await contentVersion(options.db, options.collectionId);
    const rows = await options.store.chunks(options.collectionId);
    const names = new Map((await options.store.documents(options.collectionId)).map((d) => [d.id, d.name]));
    const embedderId = options.config.embedder;
    const withVectors = rows.filter((row) => row.embedding && row.embedder === embedderId);
    const dimensions =
      (await options.embedder.dimensions()) ??
      (withVectors[0] ? withVectors[0].embedding!.byteLength / 4 : undefined);
    let vector: VectorIndexV1 | undefined;
    let file: string | undefined;
    const source = sourceManifest(withVectors.map((row) => [row.id, vectorVersion(row)]));
    const records = () =>
      (async function* () {
        for (let i = 0; i < withVectors.length; i += 1000)
          yield withVectors
            .slice(i, i + 1000)
            .map((row) => ({ id: row.id, vector: vectorOf(row.embedding!) }));
      })();
    if (dimensions) {
      if (options.config.index.vector === 'pgvector') {
        const table = pgvectorTable(options.collectionId);
        const pg = await createPgvectorIndex({ db: options.db, table, dimensions });
        // The table is derived too, and shared by the replicas: bring it to the rows without
        // emptying it under another replica's searches (add overwrites, stale ids are deleted).
        await options.db.query(`DELETE FROM ${table} WHERE NOT (id = ANY($1::text[]))`, [
          withVectors.map((row) => row.id),
        ]);
        for await (const batch of records()) await pg.add(batch);
        vector = pg;
      } else {
        file = path.join(options.dataDir, 'rag', `${options.collectionId}.usearch`);
        const opened = await openUsearchIndex({ file, source, vectors: records, dimensions });
        vector = opened.index;
        if (opened.rebuilt) await saveUsearchIndex(opened.index, file, source);
      }
    }
    const index = new CollectionIndex(options.collectionId, embedderId, options.embedder, vector, file);
    index.#version = version;
    index.#store = options.store;
    index.#db = options.db;
    for (const row of withVectors) index.#vectorRows.set(row.id, vectorVersion(row));
    const byDocument = new Map<string, ChunkRow[]>();
    for (const row of rows) {
      const list = byDocument.get(row.document_id) ?? [];
      list.push(row);
      byDocument.set(row.document_id, list);
    }
    for (const [documentId, list] of byDocument) index.#addToText(list, names.get(documentId) ?? documentId);
    return index;
  }

  #addToText(rows: readonly ChunkRow[], documentName: string): void {
    const stored = rows.map((row) => storedChunk(row, documentName));
    this.chunks.put(stored);
    this.lexical.add(
      rows.map((row, index) => ({
        id: row.id,
        text: row.text,
        fields: { title: titleOf(row, documentName) },
        metadata: stored[index]!.metadata!,
      })),
    );
  }

  #serially<T>(change: () => Promise<T>): Promise<T> {
    const next = this.#changes.catch(() => undefined).then(change);
    this.#changes = next;
    return next;
  }

  /** A document's chunks were committed (replacing any it had). */
  replaceDocument(documentId: string, rows: readonly ChunkRow[], documentName: string): Promise<void> {
    return this.replaceDocuments([{ documentId, rows, name: documentName }]);
  }

  /** Many documents' chunks were committed together: one text update and one vector add for all. */
  replaceDocuments(
    documents: readonly { documentId: string; rows: readonly ChunkRow[]; name: string }[],
  ): Promise<void> {
    return this.#serially(() => this.#replace(documents));
  }

  removeDocument(documentId: string): Promise<void> {
    return this.#serially(() => this.#remove(documentId));
  }

  async #replace(
    documents: readonly { documentId: string; rows: readonly ChunkRow[]; name: string }[],
  ): Promise<void> {
    for (const document of documents) await this.#remove(document.documentId);
    const stored = documents.flatMap((document) =>
      document.rows.map((row) => storedChunk(row, document.name)),
    );
    if (!stored.length) return;
    this.chunks.put(stored);
    let n = 0;
    this.lexical.add(
      documents.flatMap((document) =>
        document.rows.map((row) => ({
          id: row.id,
          text: row.text,
          fields: { title: titleOf(row, document.name) },
          metadata: stored[n++]!.metadata!,
        })),
      ),
    );
    if (this.vector) {
      const withVectors = documents.flatMap((document) =>
        document.rows.filter((row) => row.embedding && row.embedder === this.embedderId),
      );
      if (withVectors.length)
        await this.vector.add(withVectors.map((row) => ({ id: row.id, vector: vectorOf(row.embedding!) })));
      for (const row of withVectors) this.#vectorRows.set(row.id, vectorVersion(row));
    }
    this.#dirty = true;
  }

  async #remove(documentId: string): Promise<void> {
    const ids = this.chunks.removeDocument(documentId);
    if (!ids.length) return;
    this.lexical.remove(ids);
    await this.vector?.remove(ids);
    for (const id of ids) this.#vectorRows.delete(id);
    this.#dirty = true;
  }

  /**
   * Brings the index to the collection's committed documents when another process changed them:
   * one primary-key read when nothing changed (at most every `minIntervalMs`); otherwise the
   * changed documents' chunks are loaded and replaced, and removed documents dropped. Concurrent
   * callers share one catch-up.
   */
  catchUp(options: { minIntervalMs?: number } = {}): Promise<void> {
    if (!this.#db || !this.#store) return Promise.resolve();
    if (performance.now() - this.#checkedAt < (options.minIntervalMs ?? 0)) return Promise.resolve();
    this.#catching ??= this.#catchUp().finally(() => {
      this.#catching = undefined;
    });
    return this.#catching;
  }

  async #catchUp(): Promise<void> {
    const db = this.#db!;
    const checkedAt = performance.now();
    const current = await contentVersion(db, this.collectionId);
    if (current <= this.#version) {
      this.#checkedAt = checkedAt;
      return;
    }
    // The version and the documents from one snapshot; chunks read afterwards can only be newer.
    const { rows: documents } = await db.query<{
      version: number;
      id: string | null;
      name: string;
      changed: number;
    }>(
      `SELECT c.content_version AS version, d.id, d.name, d.content_version AS changed
         FROM rag_collections c LEFT JOIN rag_documents d ON d.collection_id = c.id
        WHERE c.id = $1`,
      [this.collectionId],
    );
    if (!documents.length) return; // the collection is gone; its index is dropped with it
    const since = this.#version;
    const present = new Set(documents.flatMap((row) => (row.id ? [row.id] : [])));
    const changed = documents.filter((row) => row.id && Number(row.changed) > since);
    const rows = changed.length
      ? await this.#store!.chunksOf(
          this.collectionId,
          changed.map((row) => row.id!),
        )
      : [];
    const byDocument = new Map<string, ChunkRow[]>(changed.map((row) => [row.id!, []]));
    for (const row of rows) byDocument.get(row.document_id)?.push(row);
    const names = new Map(changed.map((row) => [row.id!, row.name]));
    await this.#serially(async () => {
      for (const documentId of this.chunks.documentIds())
        if (!present.has(documentId)) await this.#remove(documentId);
      await this.#replace(
        [...byDocument].map(([documentId, list]) => ({
          documentId,
          rows: list,
          name: names.get(documentId)!,
        })),
      );
    });
    this.#version = Math.max(this.#version, Number(documents[0]!.version));
    this.#checkedAt = checkedAt;
    if (this.#dirty) await this.persist().catch(() => undefined);
  }

  retrieve(options: RetrieveOptions): Promise<RetrievalResult> {
    return retrieve(
      {
        chunks: this.chunks,
        lexical: this.lexical,
        ...(this.vector ? { vector: this.vector, embedder: this.embedder } : {}),
      },
      options,
    );
  }

  #persisting: Promise<void> = Promise.resolve();

  /** Writes the usearch file when it changed (its manifest names the rows it reflects); one write at a time. */
  persist(): Promise<void> {
    this.#persisting = this.#persisting.catch(() => undefined).then(() => this.#persist());
    return this.#persisting;
  }

  async #persist(): Promise<void> {
    if (!this.#dirty || !this.file || !(this.vector as UsearchVectorIndex | undefined)?.native) return;
    this.#dirty = false;
    await saveUsearchIndex(this.vector as UsearchVectorIndex, this.file, sourceManifest(this.#vectorRows));
  }
}
