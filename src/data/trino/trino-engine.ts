/**
 * @module data/trino/trino-engine
 * The Trino adapter of the query engine, through `trino-client`: a statement is submitted
 * (`POST /v1/statement`) and its result read by following `nextUri` until the row limit is passed
 * or the query ends. Reading stops one row past the limit and the query is then cancelled on the
 * server (`DELETE /v1/query/{id}`), as it is at the time limit and when the caller goes away, so a
 * huge result is never materialised here. Trino's errors keep their message and name; a user's
 * mistake (`USER_ERROR`) is `unprocessable`, Trino's own failures are `upstream_error`, an
 * unreachable server is `upstream_unavailable`.
 *
 * One project reads one Trino schema (`catalog.schema`): its tables are the project's tables, with
 * the same catalog model as DuckDB's (columns, types, row count, null rates, samples).
 */
import { BasicAuth, Trino, type QueryResult as TrinoResult } from 'trino-client';
import { KeelError } from '../../core/errors.js';
import type { TableCatalog } from '../catalog.js';
import { sqlIdentifier } from '../engine.js';
import type { QueryResult, RunBounds } from '../query-runner.js';

export interface TrinoEndpoint {
  /** e.g. https://trino.example.com:8443 */
  server: string;
  user: string;
  password?: string | undefined;
  catalog: string;
  schema: string;
}

export type Column = { name: string; type: string };

const SAMPLES = 5;

function cancelled(): KeelError {
  return new KeelError('client_closed', 'The query was cancelled.', {
    issues: [{ code: 'query_cancelled', path: ['sql'], message: 'cancelled' }],
  });
}

function timedOut(timeoutMs: number): KeelError {
  return new KeelError('timeout', `The query ran past its time limit (${timeoutMs} ms) and was stopped.`, {
    issues: [{ code: 'query_timeout', path: ['sql'], message: 'time limit reached' }],
  });
}

/** A Trino error (in a result, or the HTTP failure around it) as a coded Keel error. */
export function trinoError(error: unknown): KeelError {
  if (error instanceof KeelError) return error;
  const failure = error as { message?: string; errorName?: string; errorType?: string; response?: unknown };
  if (failure.errorName !== undefined) {
    const message = String(failure.message ?? failure.errorName)
      .split('\n')[0]!
      .slice(0, 300);
    if (failure.errorName === 'EXCEEDED_TIME_LIMIT') {
      return new KeelError('timeout', `Trino stopped the query: ${message}`, {
        issues: [{ code: 'query_timeout', path: ['sql'], message }],
      });
    }
    const user = failure.errorType === 'USER_ERROR';
    return new KeelError(user ? 'unprocessable' : 'upstream_error', `The query failed on Trino: ${message}`, {
      issues: [
        {
          code: user ? 'query_failed' : 'trino_error',
          path: ['sql'],
          message: `${failure.errorName}: ${message}`,
        },
      ],
    });
  }
  const status = (failure.response as { status?: number } | undefined)?.status;
  const message = status ? `Trino answered HTTP ${status}` : 'Trino could not be reached';
  return new KeelError(status ? 'upstream_error' : 'upstream_unavailable', `${message}.`, {
    issues: [{ code: 'trino_unavailable', path: ['engine'], message }],
  });
}

export class TrinoEngine {
  private readonly client: Trino;

  constructor(readonly endpoint: TrinoEndpoint) {
    this.client = Trino.create({
      server: endpoint.server,
      source: 'keel',
      catalog: endpoint.catalog,
      schema: endpoint.schema,
      ...(endpoint.password !== undefined
        ? { auth: new BasicAuth(endpoint.user, endpoint.password) }
        : { extraHeaders: { 'X-Trino-User': endpoint.user } }),
    });
  }

  /** The schema's tables and their columns (lower-case table names), from information_schema. */
  async tables(timeoutMs: number): Promise<Map<string, Column[]>> {
    const { catalog, schema } = this.endpoint;
    const result = await this.run(
      `SELECT table_name, column_name, data_type FROM ${sqlIdentifier(catalog)}.information_schema.columns WHERE table_schema = '${schema.replaceAll("'", "''")}' ORDER BY table_name, ordinal_position`,
      { maxRows: 100_000, timeoutMs },
    );
    const tables = new Map<string, Column[]>();
    for (const [table, column, type] of result.rows as string[][]) {
      const key = table!.toLowerCase();
      const columns = tables.get(key) ?? [];
      columns.push({ name: column!, type: type! });
      tables.set(key, columns);
    }
    return tables;
  }

  /** The fully qualified name of a table of the project's schema. */
  qualified(table: string): string {
    return [this.endpoint.catalog, this.endpoint.schema, table].map(sqlIdentifier).join('.');
  }

  /** A table's catalog entry, as DuckDB's describeTable gives it (two statements, then one per column). */
  async describe(table: string, columns: readonly Column[], timeoutMs: number): Promise<TableCatalog> {
    const name = this.qualified(table);
    const counts = await this.run(
      `SELECT count(*)${columns.map((column) => `, count(${sqlIdentifier(column.name)})`).join('')} FROM ${name}`,
      { maxRows: 1, timeoutMs },
    );
    const totals = (counts.rows[0] ?? []).map(Number);
    const rowCount = totals[0] ?? 0;
    const entries = [];
    for (const [index, column] of columns.entries()) {
      const quoted = sqlIdentifier(column.name);
      const samples = await this.run(
        `SELECT DISTINCT ${quoted} FROM ${name} WHERE ${quoted} IS NOT NULL LIMIT ${SAMPLES}`,
        { maxRows: SAMPLES, timeoutMs },
      );
      const present = totals[index + 1] ?? 0;
      entries.push({
        name: column.name,
        type: column.type,
        nullRate: rowCount ? (rowCount - present) / rowCount : 0,
        samples: samples.rows.map((row) => row[0]),
        description: '',
        tags: [],
        masked: null,
      });
    }
    return { name: table, description: '', rowCount, columns: entries };
  }

  /**
   * Runs one statement, following `nextUri` until `maxRows + 1` rows are read or the query ends;
   * then, at the time limit or when the caller's signal fires, cancels it on the server.
   */
  async run(sql: string, bounds: RunBounds): Promise<QueryResult> {
    const started = performance.now();
    const rows: unknown[][] = [];
    const { columns } = await this.read(sql, bounds, async (page) => {
      rows.push(...page);
      return rows.length > bounds.maxRows;
    });
    return {
      columns,
      rows: rows.slice(0, bounds.maxRows),
      truncated: rows.length > bounds.maxRows,
      elapsedMs: performance.now() - started,
    };
  }

  /**
   * Runs one statement and hands each page of rows to `take` as it arrives (nothing is kept here),
   * following `nextUri` until `take` says it has enough (the query is then cancelled on the
   * server, as at the time limit and when the caller's signal fires) or the query ends.
   */
  async read(
    sql: string,
    bounds: Omit<RunBounds, 'maxRows' | 'params'>,
    take: (rows: unknown[][], columns: Column[]) => Promise<boolean>,
  ): Promise<{ columns: Column[] }> {
    let reason: 'timeout' | 'cancelled' | undefined;
    let queryId: string | undefined;
    let finished = false;
    const cancel = () => {
      if (queryId && !finished) void this.client.cancel(queryId).catch(() => {});
    };
    const stop = (why: 'timeout' | 'cancelled') => {
      reason ??= why;
      cancel();
    };
    const timer = setTimeout(() => stop('timeout'), bounds.timeoutMs);
    const onAbort = () => stop('cancelled');
    bounds.signal?.addEventListener('abort', onAbort, { once: true });
    let columns: Column[] = [];
    try {
      if (bounds.signal?.aborted) stop('cancelled');
      if (reason) throw new Error('interrupted');
      const iterator = await this.client.query({ query: sql, user: this.endpoint.user });
      // The submission's answer carries the query id. trino-client's iterator keeps it to itself and
      // follows empty pages (a query still running) without returning, so the id is read from it
      // here: a cancel can then reach the server however long the query runs.
      queryId = (iterator as unknown as { iter?: { queryResult?: TrinoResult } }).iter?.queryResult?.id;
      if (reason) cancel();
      for await (const result of iterator) {
        queryId ??= result.id;
        if (reason) {
          cancel();
          throw new Error('interrupted');
        }
        if (result.error) throw result.error;
        if (result.columns && !columns.length)
          columns = result.columns.map(({ name, type }) => ({ name, type }));
        if (result.data?.length && (await take(result.data, columns))) {
          // Enough read: the rest of the result is not wanted.
          cancel();
          break;
        }
        if (!result.nextUri) break;
      }
      finished = true;
      if (reason) throw new Error('interrupted');
      return { columns };
    } catch (error) {
      if (reason === 'timeout') throw timedOut(bounds.timeoutMs);
      if (reason === 'cancelled') throw cancelled();
      throw trinoError(error);
    } finally {
      finished = true;
      clearTimeout(timer);
      bounds.signal?.removeEventListener('abort', onAbort);
    }
  }
}
