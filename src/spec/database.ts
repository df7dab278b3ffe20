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
  /**
   * Calls `onNotify` with the payload of every `NOTIFY channel` (`pg_notify`) committed by any
   * connection — every replica on a shared PostgreSQL, this process on PGlite. When the engine
   * may have missed notifications (the listening connection was lost and is back), `onNotify`
   * receives `'*'`: treat everything as changed. Resolves once listening; the function it
   * returns stops.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  /** Names of the extensions that can be created (e.g. `vector`). */
  availableExtensions(): Promise<string[]>;
  close(): Promise<void>;
}
