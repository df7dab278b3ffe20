/**
 * @module data/spooled-results
 * Query results written to a private spool file instead of returned at once: exports (CSV,
 * NDJSON, Parquet, Arrow), streamed to the caller and removed, and paged results (Parquet), read a
 * page at a time by a signed token (query-pages.ts). Both are checked, masked and audited like any
 * query, bounded by `exportMaxRows`, the time limit and the caller's signal; neither takes params.
 * On a Trino project the checked, masked query runs on Trino and its pages are spooled as they
 * arrive (trino/trino-spool.ts); DuckDB then writes the same files from them.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { makePrivateDir } from '../core/private-files.js';
import type { PlannedQuery, ProjectEngine } from './engine.js';
import { type ExportedResult, type ExportFormat, spoolQuery, writeSpool } from './export-spool.js';
import {
  PAGE_TTL_MS,
  type PageCursor,
  PageTokens,
  type QueryPage,
  readPage,
  spoolFile,
  sweepPages,
} from './query-pages.js';
import type { QueryParameter } from './query-runner.js';
import type { TrinoProject } from './trino/trino-project.js';
import { rowsSql, spoolTrinoRows } from './trino/trino-spool.js';

/** What a spooled query needs from the data service. */
export interface SpoolRequest {
  sql: string;
  role?: string | undefined;
  params?: readonly QueryParameter[] | undefined;
  maxRows?: number | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface SpoolHost {
  timeoutMs: number;
  exportMaxRows: number;
  dataDir: string;
  secretKey: Buffer;
  /** The project's tables on Trino, if it has them there. */
  trinoOf(projectId: string): TrinoProject | undefined;
  /** The query checked and masked for Trino (the SQL Trino runs). */
  planOnTrino(projectId: string, request: SpoolRequest): Promise<PlannedQuery>;
  engine(projectId: string): Promise<ProjectEngine>;
  plan(
    projectId: string,
    engine: ProjectEngine,
    connection: DuckDBConnection,
    request: SpoolRequest,
  ): Promise<PlannedQuery>;
  audited(projectId: string, request: SpoolRequest, tables: string[], rows: number, truncated: boolean): void;
  refused(projectId: string, request: SpoolRequest, error: unknown): void;
}

interface Spooling {
  connection: DuckDBConnection;
  planned: PlannedQuery;
  dir: string;
  maxRows: number;
  timeoutMs: number;
}

export class SpooledResults {
  /** Signs and checks the page tokens of paged results. */
  readonly #pageTokens: PageTokens;

  constructor(private readonly host: SpoolHost) {
    this.#pageTokens = new PageTokens(host.secretKey);
  }

  spoolDir(projectId: string): string {
    return path.join(this.host.dataDir, 'data-spool', projectId);
  }

  /** Writes the result as an export file, to be streamed to the caller and removed. */
  export(projectId: string, request: SpoolRequest & { format: ExportFormat }): Promise<ExportedResult> {
    const what = { params: 'Exports', paramsAreFor: 'JSON results' };
    return this.#spooled(projectId, request, what, async (run) => {
      const spooled = await spoolQuery(run.connection, run.planned.sql, {
        format: request.format,
        file: path.join(run.dir, `${newId('dexp')}.${request.format}`),
        maxRows: run.maxRows,
        timeoutMs: run.timeoutMs,
        signal: request.signal,
      });
      this.host.audited(projectId, request, run.planned.tables, spooled.rows, spooled.rows >= run.maxRows);
      return {
        ...spooled,
        truncated: spooled.rows >= run.maxRows,
        tables: run.planned.tables,
        masked: run.planned.masked,
      };
    });
  }

  /**
   * Spools the result once (at most `exportMaxRows` rows, or `maxRows`), audits it, and returns
   * its first page with the token for the next.
   */
  queryPaged(projectId: string, request: SpoolRequest & { pageSize: number }): Promise<QueryPage> {
    const what = { params: 'Paged queries', paramsAreFor: 'unpaged results' };
    return this.#spooled(projectId, request, what, async (run) => {
      await sweepPages(run.dir);
      const spoolId = newId('dpg');
      const total = await writeSpool(run.connection, run.planned.sql, {
        format: 'parquet',
        file: spoolFile(run.dir, spoolId),
        maxRows: run.maxRows,
        timeoutMs: run.timeoutMs,
        signal: request.signal,
      });
      this.host.audited(projectId, request, run.planned.tables, total, total >= run.maxRows);
      const cursor: PageCursor = {
        p: projectId,
        r: request.role ?? null,
        s: spoolId,
        o: 0,
        n: request.pageSize,
        t: total,
        e: Date.now() + PAGE_TTL_MS,
        b: run.planned.tables,
        m: run.planned.masked,
        x: total >= run.maxRows,
      };
      return this.#readPage(run.connection, cursor, run.timeoutMs, request.signal);
    });
  }

  /** The page a token names, for the project and role it was issued to. */
  async page(
    projectId: string,
    token: string,
    options: Pick<SpoolRequest, 'role' | 'signal' | 'timeoutMs'> = {},
  ): Promise<QueryPage> {
    const cursor = this.#pageTokens.open(token, projectId, options.role);
    const engine = await this.host.engine(projectId);
    const connection = await engine.acquire();
    let healthy = false;
    try {
      const timeoutMs = Math.min(options.timeoutMs ?? this.host.timeoutMs, this.host.timeoutMs);
      const page = await this.#readPage(connection, cursor, timeoutMs, options.signal);
      healthy = true;
      return page;
    } finally {
      engine.release(connection, healthy);
    }
  }

  /** Checks and plans the query on a connection of the project, with its spool directory ready. */
  async #spooled<T>(
    projectId: string,
    request: SpoolRequest,
    what: { params: string; paramsAreFor: string },
    work: (run: Spooling) => Promise<T>,
  ): Promise<T> {
    if (request.params?.length) {
      throw new KeelError(
        'invalid_request',
        `${what.params} take no params: write the values into the SQL.`,
        {
          issues: [
            {
              code: 'params_not_supported',
              path: ['params'],
              message: `params are for ${what.paramsAreFor}`,
            },
          ],
        },
      );
    }
    const engine = await this.host.engine(projectId);
    const connection = await engine.acquire();
    let healthy = false;
    let trinoRows: string | undefined;
    try {
      const dir = this.spoolDir(projectId);
      await makePrivateDir(dir);
      const maxRows = Math.min(request.maxRows ?? this.host.exportMaxRows, this.host.exportMaxRows);
      const timeoutMs = Math.min(request.timeoutMs ?? this.host.timeoutMs, this.host.timeoutMs);
      let planned: PlannedQuery;
      const trino = this.host.trinoOf(projectId);
      if (trino) {
        const onTrino = await this.host.planOnTrino(projectId, request);
        trinoRows = path.join(dir, `${newId('dtr')}.ndjson`);
        const bounds = { maxRows, timeoutMs, signal: request.signal };
        const spooled = await spoolTrinoRows(trino.engine, onTrino.sql, trinoRows, bounds);
        planned = { ...onTrino, sql: rowsSql(trinoRows, spooled.columns, spooled.rows) };
      } else {
        planned = await this.host.plan(projectId, engine, connection, request);
      }
      const result = await work({ connection, planned, dir, maxRows, timeoutMs });
      healthy = true;
      return result;
    } catch (error) {
      healthy = error instanceof KeelError && error.code !== 'timeout' && error.code !== 'client_closed';
      this.host.refused(projectId, request, error);
      throw error;
    } finally {
      engine.release(connection, healthy);
      if (trinoRows) await rm(trinoRows, { force: true });
    }
  }

  async #readPage(
    connection: DuckDBConnection,
    cursor: PageCursor,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<QueryPage> {
    const result = await readPage(connection, spoolFile(this.spoolDir(cursor.p), cursor.s), cursor, {
      timeoutMs,
      signal,
    });
    const next = cursor.o + cursor.n;
    return {
      ...result,
      truncated: cursor.x,
      tables: cursor.b,
      masked: cursor.m,
      totalRows: cursor.t,
      offset: cursor.o,
      nextPageToken: next < cursor.t ? this.#pageTokens.issue({ ...cursor, o: next }) : null,
    };
  }
}
