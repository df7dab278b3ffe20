/**
 * @module rag/vector/usearch-vector-index
 * The embedded vector index: usearch's HNSW (f16 by default — half the memory of f32 at the same
 * recall on normalised vectors), cosine metric, string ids mapped to integer keys. Filtering by
 * an id set over-fetches and widens until enough allowed hits are found, then falls back to the
 * whole index. Persistence lives in `usearch-store.ts`.
 *
 * @example
 * const index = createUsearchIndex({ dimensions: 512 });
 * await index.add([{ id: 'c1', vector }]);
 * await index.search(query, { topK: 10 });
 */
import usearch, { type Index as NativeIndex } from 'usearch';
import { KeelError } from '../../core/errors.js';
import type { VectorHit, VectorIndexV1, VectorRecord, VectorSearchOptions } from '../../spec/vector-index.js';

export interface UsearchIndexOptions {
  dimensions: number;
  /** Stored scalar type (default `f16`). */
  quantization?: 'f16' | 'f32';
  /** HNSW graph degree (default 16). */
  connectivity?: number;
  /** Candidate list size while building (default 128). */
  expansionAdd?: number;
  /** Candidate list size while searching (default 64); higher is slower and more exact. */
  expansionSearch?: number;
  /** Threads for one search (default 1: searches run side by side in a server). */
  searchThreads?: number;
}

export class UsearchVectorIndex implements VectorIndexV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'usearch';
  readonly metric = 'cosine' as const;
  readonly dimensions: number;
  readonly options: Required<UsearchIndexOptions>;
  /** The usearch index itself (for persistence). */
  readonly native: NativeIndex;
  #keyOf = new Map<string, number>();
  #idOfKey: (string | undefined)[] = [];

  constructor(options: UsearchIndexOptions) {
    if (!Number.isInteger(options.dimensions) || options.dimensions <= 0) {
      throw new KeelError(
        'invalid_request',
        `Vector dimensions must be a positive integer, got ${options.dimensions}.`,
      );
    }
    this.options = {
      dimensions: options.dimensions,
      quantization: options.quantization ?? 'f16',
      connectivity: options.connectivity ?? 16,
      expansionAdd: options.expansionAdd ?? 128,
      expansionSearch: options.expansionSearch ?? 64,
      searchThreads: options.searchThreads ?? 1,
    };
    this.dimensions = options.dimensions;
    this.native = new usearch.Index({
      dimensions: this.dimensions,
      metric: usearch.MetricKind.Cos,
      quantization: this.options.quantization === 'f16' ? usearch.ScalarKind.F16 : usearch.ScalarKind.F32,
      connectivity: this.options.connectivity,
      expansion_add: this.options.expansionAdd,
      expansion_search: this.options.expansionSearch,
      multi: false,
    });
  }

  /** The id → key table, in key order (persisted beside the index file). */
  keyTable(): (string | null)[] {
    return this.#idOfKey.map((id) => id ?? null);
  }

  /** Restores the id → key table after `native.load`. */
  restoreKeyTable(table: readonly (string | null)[]): void {
    this.#idOfKey = table.map((id) => id ?? undefined);
    this.#keyOf = new Map();
    table.forEach((id, key) => {
      if (id !== null) this.#keyOf.set(id, key);
    });
  }

  async add(records: readonly VectorRecord[]): Promise<void> {
    this.addSync(records);
  }

  /** `add` without the promise: building an index is CPU work either way. */
  addSync(records: readonly VectorRecord[], threads = 0): void {
    if (records.length === 0) return;
    const keys = new BigUint64Array(records.length);
    const matrix = new Float32Array(records.length * this.dimensions);
    const seen = new Set<string>();
    records.forEach((record) => {
      if (record.vector.length !== this.dimensions) {
        throw new KeelError(
          'invalid_request',
          `Vector "${record.id}" has ${record.vector.length} dimensions; the index has ${this.dimensions}.`,
        );
      }
      if (seen.has(record.id))
        throw new KeelError('invalid_request', `Vector id "${record.id}" appears twice in one batch.`);
      seen.add(record.id);
    });
    const replaced = records.filter((record) => this.#keyOf.has(record.id)).map((record) => record.id);
    if (replaced.length) this.removeSync(replaced);
    records.forEach((record, i) => {
      const key = this.#idOfKey.length;
      this.#idOfKey.push(record.id);
      this.#keyOf.set(record.id, key);
      keys[i] = BigInt(key);
      matrix.set(record.vector, i * this.dimensions);
    });
    this.native.add(keys, matrix, threads);
  }

  async remove(ids: readonly string[]): Promise<number> {
    return this.removeSync(ids);
  }

  removeSync(ids: readonly string[]): number {
    let removed = 0;
    for (const id of ids) {
      const key = this.#keyOf.get(id);
      if (key === undefined) continue;
      this.native.remove(BigInt(key));
      this.#keyOf.delete(id);
      this.#idOfKey[key] = undefined;
      removed++;
    }
    return removed;
  }

  async search(vector: Float32Array, options: VectorSearchOptions): Promise<VectorHit[]> {
    return this.searchSync(vector, options);
  }

  searchSync(vector: Float32Array, options: VectorSearchOptions): VectorHit[] {
    if (vector.length !== this.dimensions) {
      throw new KeelError(
        'invalid_request',
        `The query vector has ${vector.length} dimensions; the index has ${this.dimensions}.`,
      );
    }
    const size = this.#keyOf.size;
    const { topK, ids, minScore } = options;
    if (size === 0 || topK <= 0 || ids?.size === 0) return [];
    // Without a filter one search suffices; with one, widen until enough allowed hits come back.
    let fetch = ids
      ? Math.min(size, Math.max(topK * 4, Math.ceil((topK * size) / Math.max(1, ids.size))))
      : Math.min(topK, size);
    for (;;) {
      const matches = this.native.search(vector, fetch, this.options.searchThreads);
      const hits: VectorHit[] = [];
      const keys = matches.keys;
      const distances = matches.distances;
      for (let i = 0; i < keys.length && hits.length < topK; i++) {
        const id = this.#idOfKey[Number(keys[i])];
        if (id === undefined || (ids && !ids.has(id))) continue;
        const score = 1 - distances[i]!;
        if (minScore !== undefined && score < minScore) break;
        hits.push({ id, score });
      }
      if (!ids || hits.length >= topK || fetch >= size || keys.length < fetch) return hits;
      fetch = Math.min(size, fetch * 4);
    }
  }

  async count(): Promise<number> {
    return this.#keyOf.size;
  }

  async close(): Promise<void> {}
}

export function createUsearchIndex(options: UsearchIndexOptions): UsearchVectorIndex {
  return new UsearchVectorIndex(options);
}
