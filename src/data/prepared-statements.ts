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
