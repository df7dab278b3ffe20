/**
 * @module rag/retrieval/chunk-store
 * Where retrieval reads chunk texts, metadata and neighbours from. Phase 2 backs this with the
 * database; `MemoryChunkStore` keeps chunks in process (tests, benchmarks, previews).
 */
import type { MetadataFilter, MetadataValue } from '../../spec/lexical-index.js';
import { matchesFilter } from '../metadata-filter.js';

export interface StoredChunk {
  id: string;
  documentId: string;
  /** Position in its document, from 0: neighbours are index ± n. */
  index: number;
  text: string;
  /** Character span in the loaded document, and pages, for citations. */
  start?: number;
  end?: number;
  pages?: number[];
  metadata?: Record<string, MetadataValue>;
}

export interface ChunkStore {
  get(ids: readonly string[]): Promise<StoredChunk[]>;
  /** Chunks of `documentId` with `from <= index <= to`, in order. */
  range(documentId: string, from: number, to: number): Promise<StoredChunk[]>;
  /** Ids of chunks whose metadata matches (to filter the vector side). */
  matchingIds(filter: MetadataFilter): Promise<Set<string>>;
}

export class MemoryChunkStore implements ChunkStore {
  readonly #chunks = new Map<string, StoredChunk>();
  readonly #byDocument = new Map<string, Map<number, string>>();

  get size(): number {
    return this.#chunks.size;
  }

  put(chunks: readonly StoredChunk[]): void {
    for (const chunk of chunks) {
      const previous = this.#chunks.get(chunk.id);
      if (previous) this.#byDocument.get(previous.documentId)?.delete(previous.index);
      this.#chunks.set(chunk.id, chunk);
      const positions = this.#byDocument.get(chunk.documentId) ?? new Map<number, string>();
      this.#byDocument.set(chunk.documentId, positions);
      positions.set(chunk.index, chunk.id);
    }
  }

  /** Removes a document's chunks; returns their ids. */
  /** The ids of the documents that have chunks here. */
  documentIds(): string[] {
    return [...this.#byDocument.keys()];
  }

  removeDocument(documentId: string): string[] {
    const positions = this.#byDocument.get(documentId);
    if (!positions) return [];
    const ids = [...positions.values()];
    for (const id of ids) this.#chunks.delete(id);
    this.#byDocument.delete(documentId);
    return ids;
  }

  async get(ids: readonly string[]): Promise<StoredChunk[]> {
    return ids.map((id) => this.#chunks.get(id)).filter((chunk): chunk is StoredChunk => chunk !== undefined);
  }

  async range(documentId: string, from: number, to: number): Promise<StoredChunk[]> {
    const positions = this.#byDocument.get(documentId);
    const chunks: StoredChunk[] = [];
    for (let index = from; index <= to && positions; index++) {
      const id = positions.get(index);
      const chunk = id === undefined ? undefined : this.#chunks.get(id);
      if (chunk) chunks.push(chunk);
    }
    return chunks;
  }

  async matchingIds(filter: MetadataFilter): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const chunk of this.#chunks.values()) if (matchesFilter(chunk.metadata, filter)) ids.add(chunk.id);
    return ids;
  }
}
