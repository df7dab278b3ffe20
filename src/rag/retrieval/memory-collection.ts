/**
 * @module rag/retrieval/memory-collection
 * A collection's search structures in one process: chunk store, BM25 index, vector index and
 * embedder, kept in step when a document's chunks are replaced or removed. Phase 2 persists the
 * chunks and vectors in the database and rebuilds these structures from them; benchmarks and
 * previews use this directly.
 *
 * @example
 * const collection = new MemoryCollection({ embedder: new HashingEmbeddingModel(), vector: createUsearchIndex({ dimensions: 512 }) });
 * await collection.upsertDocument('doc-1', chunks, { source: 'manual.pdf' });
 * await collection.retrieve({ query: '보증 기간', mode: 'hybrid' });
 */
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { LexicalIndexV1, MetadataValue } from '../../spec/lexical-index.js';
import type { VectorIndexV1 } from '../../spec/vector-index.js';
import { Bm25Index } from '../lexical/bm25-index.js';
import { MemoryChunkStore, type StoredChunk } from './chunk-store.js';
import { type RetrievalResult, type RetrieveOptions, retrieve } from './retrieve.js';

export interface MemoryCollectionOptions {
  embedder: EmbeddingModelV1;
  vector: VectorIndexV1;
  lexical?: LexicalIndexV1;
  /** Texts per embedding call (default: the model's maximum, at most 256). */
  embedBatch?: number;
}

/** A chunk to index: the chunker's output plus optional per-chunk metadata and a title field. */
export interface IndexableChunk {
  text: string;
  start?: number;
  end?: number;
  pages?: number[];
  /** Extra weighted keyword field, e.g. the document title or heading path. */
  title?: string;
  metadata?: Record<string, MetadataValue>;
}

export class MemoryCollection {
  readonly chunks = new MemoryChunkStore();
  readonly lexical: LexicalIndexV1;
  readonly vector: VectorIndexV1;
  readonly embedder: EmbeddingModelV1;
  readonly #batch: number;

  constructor(options: MemoryCollectionOptions) {
    this.embedder = options.embedder;
    this.vector = options.vector;
    this.lexical = options.lexical ?? new Bm25Index();
    this.#batch = options.embedBatch ?? Math.min(256, options.embedder.maxEmbeddingsPerCall);
  }

  /** Replaces a document's chunks (ids `<documentId>#<index>`); document metadata goes on every chunk. */
  async upsertDocument(
    documentId: string,
    chunks: readonly IndexableChunk[],
    metadata: Record<string, MetadataValue> = {},
  ): Promise<void> {
    await this.removeDocument(documentId);
    const stored: StoredChunk[] = chunks.map((chunk, index) => {
      const entry: StoredChunk = {
        id: `${documentId}#${index}`,
        documentId,
        index,
        text: chunk.text,
        metadata: { ...metadata, ...chunk.metadata, documentId },
      };
      if (chunk.start !== undefined) entry.start = chunk.start;
      if (chunk.end !== undefined) entry.end = chunk.end;
      if (chunk.pages) entry.pages = chunk.pages;
      return entry;
    });
    for (let i = 0; i < stored.length; i += this.#batch) {
      const batch = stored.slice(i, i + this.#batch);
      // The title (document name, heading path) goes into the embedding too: a chunk alone often
      // does not say what it is about.
      const values = batch.map((chunk, j) => {
        const title = chunks[i + j]!.title;
        return title ? `${title}\n${chunk.text}` : chunk.text;
      });
      const { embeddings } = await this.embedder.doEmbed({ values });
      await this.vector.add(batch.map((chunk, j) => ({ id: chunk.id, vector: embeddings[j]! })));
    }
    this.lexical.add(
      stored.map((chunk, index) => {
        const title = chunks[index]!.title;
        return {
          id: chunk.id,
          text: chunk.text,
          ...(title ? { fields: { title } } : {}),
          ...(chunk.metadata ? { metadata: chunk.metadata } : {}),
        };
      }),
    );
    this.chunks.put(stored);
  }

  /** Removes a document's chunks from every structure; returns how many there were. */
  async removeDocument(documentId: string): Promise<number> {
    const ids = this.chunks.removeDocument(documentId);
    if (ids.length) {
      this.lexical.remove(ids);
      await this.vector.remove(ids);
    }
    return ids.length;
  }

  retrieve(options: RetrieveOptions): Promise<RetrievalResult> {
    return retrieve(
      { chunks: this.chunks, lexical: this.lexical, vector: this.vector, embedder: this.embedder },
      options,
    );
  }
}
