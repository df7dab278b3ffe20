/**
 * @module rag/vector/pgvector-index
 * The server vector index: pgvector in PostgreSQL (or PGlite), cosine distance (`<=>`), an HNSW
 * index over the column. The table and column names are options so a collection's own chunk
 * table can serve as the index. Debian's PostgreSQL has no pgvector package: opening the index
 * there fails with `not_implemented` and says what to install.
 *
 * @example
 * const index = await createPgvectorIndex({ db, table: 'rag_vectors_demo', dimensions: 512 });
 */
import { KeelError } from '../../core/errors.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { VectorHit, VectorIndexV1, VectorRecord, VectorSearchOptions } from '../../spec/vector-index.js';

export interface PgvectorIndexOptions {
  db: DatabaseV1;
  /** Table (optionally `schema.table`) holding the vectors. */
  table: string;
  dimensions: number;
  idColumn?: string;
  vectorColumn?: string;
  /** Create the extension, the table and its HNSW index when missing (default true). */
  createSchema?: boolean;
}

const identifier = /^[a-z_][a-z0-9_]{0,62}(\.[a-z_][a-z0-9_]{0,62})?$/;

function checkIdentifier(name: string, what: string): string {
  if (!identifier.test(name)) {
    throw new KeelError('invalid_request', `Invalid ${what} "${name}": use lowercase letters, digits and _.`);
  }
  return name;
}

/** pgvector's text form: `[0.1,0.2,…]`. */
export function toVectorLiteral(vector: Float32Array): string {
  let text = '[';
  for (let i = 0; i < vector.length; i++) text += (i ? ',' : '') + vector[i];
  return `${text}]`;
}

/** Throws `not_implemented` naming the remedy when the database lacks pgvector. */
export async function assertPgvectorAvailable(db: DatabaseV1): Promise<void> {
  const available = await db.availableExtensions();
  if (!available.includes('vector')) {
    throw new KeelError(
      'not_implemented',
      db.provider === 'postgres'
        ? 'The pgvector extension is not installed on this PostgreSQL server. Install pgvector (https://github.com/pgvector/pgvector, e.g. the postgresql-<version>-pgvector package from the PostgreSQL apt repository) or use the embedded usearch index.'
        : 'The pgvector extension is not available in this database; use the embedded usearch index.',
      { data: { extension: 'vector', provider: db.provider } },
    );
  }
}

export class PgvectorIndex implements VectorIndexV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'pgvector';
  readonly metric = 'cosine' as const;
  readonly dimensions: number;
  readonly #db: DatabaseV1;
  readonly #table: string;
  readonly #id: string;
  readonly #vector: string;

  constructor(options: PgvectorIndexOptions) {
    this.#db = options.db;
    this.dimensions = options.dimensions;
    this.#table = checkIdentifier(options.table, 'table name');
    this.#id = checkIdentifier(options.idColumn ?? 'id', 'column name');
    this.#vector = checkIdentifier(options.vectorColumn ?? 'embedding', 'column name');
  }

  /** Creates the extension, table and HNSW index when missing. */
  async ensureSchema(): Promise<void> {
    await assertPgvectorAvailable(this.#db);
    const indexName = `${this.#table.replace('.', '_')}_${this.#vector}_hnsw`;
    await this.#db.exec(
      `CREATE EXTENSION IF NOT EXISTS vector;
       CREATE TABLE IF NOT EXISTS ${this.#table} (${this.#id} text PRIMARY KEY, ${this.#vector} vector(${this.dimensions}) NOT NULL);
       CREATE INDEX IF NOT EXISTS ${indexName} ON ${this.#table} USING hnsw (${this.#vector} vector_cosine_ops);`,
    );
  }

  #check(vector: Float32Array, what: string): void {
    if (vector.length !== this.dimensions) {
      throw new KeelError(
        'invalid_request',
        `${what} has ${vector.length} dimensions; the index has ${this.dimensions}.`,
      );
    }
  }

  async add(records: readonly VectorRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += 500) {
      const batch = records.slice(i, i + 500);
      for (const record of batch) this.#check(record.vector, `Vector "${record.id}"`);
      await this.#db.query(
        `INSERT INTO ${this.#table} (${this.#id}, ${this.#vector})
         SELECT id, v::vector FROM unnest($1::text[], $2::text[]) AS input(id, v)
         ON CONFLICT (${this.#id}) DO UPDATE SET ${this.#vector} = EXCLUDED.${this.#vector}`,
        [batch.map((record) => record.id), batch.map((record) => toVectorLiteral(record.vector))],
      );
    }
  }

  async remove(ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.#db.query(`DELETE FROM ${this.#table} WHERE ${this.#id} = ANY($1::text[])`, [
      [...ids],
    ]);
    return result.affectedRows;
  }

  async search(vector: Float32Array, options: VectorSearchOptions): Promise<VectorHit[]> {
    this.#check(vector, 'The query vector');
    if (options.topK <= 0 || options.ids?.size === 0) return [];
    const params: unknown[] = [toVectorLiteral(vector), options.topK];
    let where = '';
    let order = `${this.#vector} <=> $1::vector`;
    if (options.ids) {
      params.push([...options.ids]);
      where = `WHERE ${this.#id} = ANY($3::text[])`;
      // An id filter is selective: score the allowed rows exactly rather than let HNSW miss them.
      order = `(${order}) + 0`;
    }
    const { rows } = await this.#db.query<{ id: string; distance: number }>(
      `SELECT ${this.#id} AS id, ${this.#vector} <=> $1::vector AS distance FROM ${this.#table} ${where} ORDER BY ${order} LIMIT $2`,
      params,
    );
    const hits: VectorHit[] = [];
    for (const row of rows) {
      const score = 1 - Number(row.distance);
      if (options.minScore !== undefined && score < options.minScore) break;
      hits.push({ id: row.id, score });
    }
    return hits;
  }

  async count(): Promise<number> {
    const { rows } = await this.#db.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${this.#table}`,
    );
    return rows[0]?.count ?? 0;
  }

  /** The database belongs to the caller: nothing to close here. */
  async close(): Promise<void> {}
}

/** Opens (and by default creates) a pgvector-backed index. */
export async function createPgvectorIndex(options: PgvectorIndexOptions): Promise<PgvectorIndex> {
  const index = new PgvectorIndex(options);
  if (options.createSchema ?? true) await index.ensureSchema();
  else await assertPgvectorAvailable(options.db);
  return index;
}
