/**
 * @module data/query-runner
 * Runs a checked query with its bounds: the query runs under a LIMIT of one row past the row limit
 * (or, when it cannot be wrapped, streamed with reading stopped there), so a huge result is never
 * materialised; a timer and the caller's signal interrupt the connection, and values come back as
 * plain JSON (big integers as strings). Statements are run prepared, kept per connection
 * (prepared-statements.ts): a point query sent again with other params is bound and run, not
 * parsed, bound and planned again.
 */
import type {
  DuckDBConnection,
  DuckDBMaterializedResult,
  DuckDBPreparedStatement,
  DuckDBValueConverter,
  Json,
} from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { preparedFor, releasedForMemory } from './prepared-statements.js';
import { messageOf } from './sql-check.js';

export interface QueryColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: unknown[][];
  /** More rows existed than the limit. */
  truncated: boolean;
  elapsedMs: number;
}

/** Values for `$1`, `$2`, … in the SQL (a point query sent again with other values is not parsed again). */
export type QueryParameter = string | number | boolean | null;

export interface RunBounds {
  maxRows: number;
  params?: readonly QueryParameter[] | undefined;
  /** Binds the statement's parameters with their types (a literal query's shape), instead of `params`. */
  bind?: ((statement: DuckDBPreparedStatement) => void) | undefined;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

const WIDE_INTEGERS = new Set(['BIGINT', 'UBIGINT', 'HUGEINT', 'UHUGEINT']);

/** A 64/128-bit integer as a number when it is exact, else kept as its decimal string. */
function narrow(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value;
}

/** A result as read: column names and types, rows as JSON values, whether it was read to the end. */
interface Fetched {
  names: string[];
  types: string[];
  rows: unknown[][];
  done: boolean;
}

/** Queries whose bounded form did not prepare alike, per connection (they stream instead). */
const UNLIMITED_KEPT = 256;
const unlimitedByConnection = new WeakMap<DuckDBConnection, Set<string>>();
/** Bounded statements whose column names were checked (a statement's names do not change). */
const namesChecked = new WeakSet<DuckDBPreparedStatement>();
/** DuckDB's values as JSON (loaded with DuckDB, which Keel loads only once data is used). */
let jsonValues: DuckDBValueConverter<Json> | undefined;

/**
 * The query bounded to `limit` rows, `SELECT * FROM (query) LIMIT n`, prepared once per connection
 * in place of the query: it runs materialised, in one trip to DuckDB's thread, and its chunks are
 * read in place, where the streamed query takes a trip for every chunk and one more to learn that
 * it ended (each trip waits for a thread to wake). The bound keeps what is materialised to the
 * rows read anyway. Undefined — the query itself streams — when the bounded form does not prepare
 * (a trailing semicolon) or DuckDB may have renamed a column (it de-duplicates names: `x`, `x_1`).
 */
async function limitedFor(
  connection: DuckDBConnection,
  sql: string,
  limit: number,
): Promise<DuckDBPreparedStatement | undefined> {
  let unlimited = unlimitedByConnection.get(connection);
  if (unlimited?.has(sql)) return undefined;
  try {
    // The query on lines of its own: a line comment at its end cannot swallow the parenthesis.
    const limited = await preparedFor(connection, `SELECT * FROM (\n${sql}\n) LIMIT ${limit}`);
    if (namesChecked.has(limited)) return limited;
    if (!mayBeRenamed(limited)) {
      jsonValues ??= (await import('@duckdb/node-api')).JsonDuckDBValueConverter;
      namesChecked.add(limited);
      return limited;
    }
  } catch (error) {
    if (/Out of Memory|Interrupt/i.test(messageOf(error))) throw error;
  }
  if (!unlimited) {
    unlimited = new Set();
    unlimitedByConnection.set(connection, unlimited);
  }
  if (unlimited.size >= UNLIMITED_KEPT) unlimited.clear();
  unlimited.add(sql);
  return undefined;
}

/** Whether a column is named as DuckDB renames a repeated name (`x_1` beside `x`, any case). */
function mayBeRenamed(statement: DuckDBPreparedStatement): boolean {
  const names = new Set(
    Array.from({ length: statement.columnCount }, (_, index) => statement.columnName(index).toLowerCase()),
  );
  for (const name of names) {
    const repeat = /^(.*)_\d+$/.exec(name);
    if (repeat && names.has(repeat[1]!)) return true;
  }
  return false;
}

/** A materialised result's rows, with its statement's column names and types. */
function materialised(statement: DuckDBPreparedStatement, result: DuckDBMaterializedResult): Fetched {
  const rows: unknown[][] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    for (const row of result.getChunk(index).convertRows(jsonValues!)) rows.push(row);
  }
  return {
    names: Array.from({ length: statement.columnCount }, (_, index) => statement.columnName(index)),
    types: Array.from({ length: statement.columnCount }, (_, index) => String(statement.columnType(index))),
    rows,
    done: true,
  };
}

export async function runBounded(
  connection: DuckDBConnection,
  sql: string,
  bounds: RunBounds,
): Promise<QueryResult> {
  const started = performance.now();
  let reason: 'timeout' | 'cancelled' | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    reason ??= why;
    connection.interrupt();
  };
  if (bounds.signal?.aborted) stop('cancelled');
  const timer = setTimeout(() => stop('timeout'), bounds.timeoutMs);
  const onAbort = () => stop('cancelled');
  bounds.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (reason) throw new Error('interrupted');
    const run = async (): Promise<Fetched> => {
      const limited = await limitedFor(connection, sql, bounds.maxRows + 1);
      const statement = limited ?? (await preparedFor(connection, sql));
      if (bounds.bind) bounds.bind(statement);
      else if (bounds.params?.length) statement.bind([...bounds.params]);
      if (limited) return materialised(limited, await limited.run());
      const reader = await statement.streamAndReadUntil(bounds.maxRows + 1);
      return {
        names: reader.columnNames(),
        types: reader.columnTypes().map(String),
        rows: reader.getRowsJson() as unknown[][],
        done: reader.done,
      };
    };
    let fetched: Fetched;
    try {
      fetched = await run();
    } catch (error) {
      // Statements kept prepared can hold the memory this one needs: released, it runs once more.
      if (reason || !releasedForMemory(connection, error)) throw error;
      fetched = await run();
    }
    if (reason) throw new Error('interrupted');
    const { names, types: typeNames, rows } = fetched;
    const integral = typeNames.flatMap((type, index) => (WIDE_INTEGERS.has(type) ? [index] : []));
    if (integral.length)
      for (const row of rows) for (const index of integral) row[index] = narrow(row[index]);
    const truncated = rows.length > bounds.maxRows || !fetched.done;
    return {
      columns: names.map((name, index) => ({ name, type: typeNames[index]! })),
      rows: rows.slice(0, bounds.maxRows),
      truncated,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    if (reason === 'timeout') {
      throw new KeelError(
        'timeout',
        `The query ran past its time limit (${bounds.timeoutMs} ms) and was stopped.`,
        {
          issues: [{ code: 'query_timeout', path: ['sql'], message: 'time limit reached' }],
        },
      );
    }
    if (reason === 'cancelled') {
      throw new KeelError('client_closed', 'The query was cancelled.', {
        issues: [{ code: 'query_cancelled', path: ['sql'], message: 'cancelled' }],
      });
    }
    throw new KeelError('unprocessable', `The query failed: ${messageOf(error)}`, {
      issues: [{ code: 'query_failed', path: ['sql'], message: messageOf(error) }],
    });
  } finally {
    clearTimeout(timer);
    bounds.signal?.removeEventListener('abort', onAbort);
  }
}

/** Rows as CSV (RFC 4180 quoting), header first. */
export function toCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [result.columns.map((column) => cell(column.name)).join(',')];
  for (const row of result.rows) lines.push(row.map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
