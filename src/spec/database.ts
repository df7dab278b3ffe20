/**
 * @module spec/database
 * The database port. Keel speaks one SQL dialect (PostgreSQL) to two engines: PGlite embedded in
 * the data directory, and a PostgreSQL server. Adapters normalise value types so that callers see
 * the same thing from both: int8 → number, timestamptz → Date, json/jsonb → parsed value.
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows changed by an INSERT/UPDATE/DELETE, when the engine reports it. */
  affectedRows: number;
}

export interface DatabaseSession {
  /** One statement with `$1…$n` parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** Several statements, no parameters (migrations, DDL). */
  exec(sql: string): Promise<void>;
}

export interface DatabaseV1 extends DatabaseSession {
  readonly specificationVersion: 'v1';
  readonly provider: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: DatabaseSession) => Promise<T>): Promise<T>;
  /** Names of the extensions that can be created (e.g. `vector`). */
  availableExtensions(): Promise<string[]>;
  close(): Promise<void>;
}
