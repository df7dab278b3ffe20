/**
 * @module spec/vector-index
 * The vector index port, version 1: nearest neighbours by cosine similarity, with ids as strings.
 * Adapters: `usearch` (embedded HNSW, its file derived from vectors kept in the database) and
 * `pgvector` (SQL in PostgreSQL or PGlite).
 */

export interface VectorRecord {
  id: string;
  vector: Float32Array;
}

export interface VectorSearchOptions {
  topK: number;
  /** Only these ids may be returned (a metadata filter resolved to ids). */
  ids?: ReadonlySet<string>;
  /** Drop hits with a cosine similarity below this. */
  minScore?: number;
}

export interface VectorHit {
  id: string;
  /** Cosine similarity, higher is closer (1 = same direction). */
  score: number;
}

export interface VectorIndexV1 {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly dimensions: number;
  readonly metric: 'cosine';
  /** Adds or replaces vectors by id. */
  add(records: readonly VectorRecord[]): Promise<void>;
  /** Removes vectors by id; returns how many existed. */
  remove(ids: readonly string[]): Promise<number>;
  search(vector: Float32Array, options: VectorSearchOptions): Promise<VectorHit[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}
