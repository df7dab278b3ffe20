/**
 * @module data/query-runner
 * Runs a checked query with its bounds: results are streamed from DuckDB and reading stops one row
 * past the limit (a huge result is never materialised), a timer and the caller's signal interrupt
 * the connection, and values come back as plain JSON (big integers as strings). Statements are
 * run prepared, kept per connection (prepared-statements.ts): a point query sent again with other
 * params is bound and run, not parsed, bound and planned again.
 */
import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
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
    const run = async () => {
      const statement = await preparedFor(connection, sql);
      if (bounds.bind) bounds.bind(statement);
      else if (bounds.params?.length) statement.bind([...bounds.params]);
      return statement.streamAndReadUntil(bounds.maxRows + 1);
    };
    let reader: Awaited<ReturnType<typeof run>>;
    try {
      reader = await run();
    } catch (error) {
      // Statements kept prepared can hold the memory this one needs: released, it runs once more.
      if (reason || !releasedForMemory(connection, error)) throw error;
      reader = await run();
    }
    if (reason) throw new Error('interrupted');
    const names = reader.columnNames();
    const types = reader.columnTypes();
    const rows = reader.getRowsJson() as unknown[][];
    const typeNames = types.map(String);
    const integral = typeNames.flatMap((type, index) => (WIDE_INTEGERS.has(type) ? [index] : []));
    if (integral.length)
      for (const row of rows) for (const index of integral) row[index] = narrow(row[index]);
    const truncated = rows.length > bounds.maxRows || !reader.done;
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
