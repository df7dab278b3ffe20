/**
 * @module data/prepared-statements
 * Statements kept prepared per DuckDB connection, by SQL text (the most recently used 64): a
 * statement run again (a point query with other params, the parser check of the next query) is
 * bound and run, not parsed, bound and planned again. They are destroyed with their connection,
 * which the engine closes after an interrupted or failed query.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

/** Prepared statements kept per connection (they go with it when it is closed). */
const PREPARED_PER_CONNECTION = 64;
const preparedByConnection = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/** The connection's prepared statement for `sql` (most recently used last), prepared once. */
export async function preparedFor(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  let statements = preparedByConnection.get(connection);
  if (!statements) {
    statements = new Map();
    preparedByConnection.set(connection, statements);
  }
  const known = statements.get(sql);
  if (known) {
    statements.delete(sql);
    statements.set(sql, known);
    known.clearBindings();
    return known;
  }
  const statement = await connection.prepare(sql);
  statements.set(sql, statement);
  if (statements.size > PREPARED_PER_CONNECTION) {
    const [oldest, evicted] = statements.entries().next().value!;
    statements.delete(oldest);
    evicted.destroySync();
  }
  return statement;
}

/**
 * After DuckDB ran out of memory, destroys every statement kept for the connection and says
 * whether there were any (then the failed step is worth one more try). A statement over a CSV
 * source holds the CSV reader's first buffer (about 32 MB) for as long as it lives, so a handful
 * of them can fill an engine's memory cap by themselves.
 */
export function releasedForMemory(connection: DuckDBConnection, error: unknown): boolean {
  const statements = preparedByConnection.get(connection);
  const message = error instanceof Error ? error.message : String(error);
  if (!statements?.size || !/Out of Memory/i.test(message)) return false;
  for (const statement of statements.values()) statement.destroySync();
  statements.clear();
  return true;
}
