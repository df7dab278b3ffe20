/**
 * @module rag/collections/collection-index
 * A collection's search structures in the server process, derived from its rows: the chunk
 * store, the BM25 index and the vector index (usearch with its file in the data directory, or
 * pgvector in the database). Built on first use; the usearch file is reused when its manifest
 * matches the rows and rebuilt from the stored vectors when it is missing or stale. Kept in step
 * as documents are committed or deleted.
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
        // The table is derived too: bring it to the rows.
        await options.db.exec(`TRUNCATE ${table}`);
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

  /** A document's chunks were committed (replacing any it had). */
  async replaceDocument(documentId: string, rows: readonly ChunkRow[], documentName: string): Promise<void> {
    await this.removeDocument(documentId);
    this.#addToText(rows, documentName);
    if (this.vector) {
      const withVectors = rows.filter((row) => row.embedding && row.embedder === this.embedderId);
      if (withVectors.length)
        await this.vector.add(withVectors.map((row) => ({ id: row.id, vector: vectorOf(row.embedding!) })));
      for (const row of withVectors) this.#vectorRows.set(row.id, vectorVersion(row));
    }
    this.#dirty = true;
  }

  /** Many documents' chunks were committed together: one text update and one vector add for all. */
  async replaceDocuments(
    documents: readonly { documentId: string; rows: readonly ChunkRow[]; name: string }[],
  ): Promise<void> {
    for (const document of documents) await this.removeDocument(document.documentId);
    const stored = documents.flatMap((document) =>
      document.rows.map((row) => storedChunk(row, document.name)),
    );
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

  async removeDocument(documentId: string): Promise<void> {
    const ids = this.chunks.removeDocument(documentId);
    if (!ids.length) return;
    this.lexical.remove(ids);
    await this.vector?.remove(ids);
    for (const id of ids) this.#vectorRows.delete(id);
    this.#dirty = true;
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
