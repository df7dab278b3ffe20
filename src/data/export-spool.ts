/**
 * @module data/export-spool
 * Exports of a checked query: DuckDB's own `COPY (…) TO` writes the result to a private spool
 * file in the format asked (CSV, newline-delimited JSON or Parquet), at DuckDB's speed and without
 * holding the result in memory; an Arrow IPC stream is written chunk by chunk from DuckDB's
 * streaming result (arrow-export.ts). The file is then streamed to the caller and removed when the
 * stream ends or is cancelled. Rows are capped with a LIMIT around the query; the time limit and
 * the caller's signal interrupt the writing as they do a query. Paged results (query-pages.ts) are
 * spooled the same way, as Parquet, and read back a page at a time.
 */
import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { DuckDBConnection } from '@duckdb/node-api';
import { KeelError } from '../core/errors.js';
import { writeArrowStream } from './arrow-export.js';
import { sqlString } from './engine.js';
import { messageOf } from './sql-check.js';

export type ExportFormat = 'csv' | 'ndjson' | 'parquet' | 'arrow';

export const exportContentTypes: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
};

const copyOptions: Record<Exclude<ExportFormat, 'arrow'>, string> = {
  csv: 'FORMAT csv, HEADER true',
  ndjson: 'FORMAT json',
  parquet: 'FORMAT parquet, COMPRESSION zstd',
};

export interface ExportedResult {
  /** The file's bytes; the spool file is removed when this ends or is cancelled. */
  body: ReadableStream<Uint8Array>;
  contentType: string;
  rows: number;
  bytes: number;
  /** The row cap was reached (more rows may exist). */
  truncated: boolean;
  tables: string[];
  masked: string[];
}

export interface SpoolOptions {
  format: ExportFormat;
  file: string;
  maxRows: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

/**
 * Writes the query's rows (at most `maxRows`) to `options.file` in the format asked; returns how
 * many were written. On any failure the file is removed and a coded error thrown.
 */
export async function writeSpool(
  connection: DuckDBConnection,
  sql: string,
  options: SpoolOptions,
): Promise<number> {
  let reason: 'timeout' | 'cancelled' | undefined;
  const stop = (why: 'timeout' | 'cancelled') => {
    reason ??= why;
    connection.interrupt();
  };
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = () => stop('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) throw new Error('interrupted');
    const capped = `SELECT * FROM (${sql}) LIMIT ${options.maxRows}`;
    let written: number;
    if (options.format === 'arrow') {
      written = await writeArrowStream(connection, capped, options.file);
    } else {
      const reader = await connection.runAndReadAll(
        `COPY (${capped}) TO ${sqlString(options.file)} (${copyOptions[options.format]})`,
      );
      written = Number(reader.getRowsJson()[0]?.[0] ?? 0);
    }
    // An interrupted stream can end like a short one: what a stop left behind is not the result.
    if (reason) throw new Error('interrupted');
    return written;
  } catch (error) {
    await rm(options.file, { force: true });
    if (reason === 'timeout') {
      throw new KeelError(
        'timeout',
        `The export ran past its time limit (${options.timeoutMs} ms) and was stopped.`,
        {
          issues: [{ code: 'query_timeout', path: ['sql'], message: 'time limit reached' }],
        },
      );
    }
    if (reason === 'cancelled' || options.signal?.aborted) {
      throw new KeelError('client_closed', 'The export was cancelled.', {
        issues: [{ code: 'query_cancelled', path: ['sql'], message: 'cancelled' }],
      });
    }
    throw new KeelError('unprocessable', `The export failed: ${messageOf(error)}`, {
      issues: [{ code: 'query_failed', path: ['sql'], message: messageOf(error) }],
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

export async function spoolQuery(
  connection: DuckDBConnection,
  sql: string,
  options: SpoolOptions,
): Promise<Omit<ExportedResult, 'tables' | 'masked' | 'truncated'>> {
  const rows = await writeSpool(connection, sql, options);
  const bytes = (await stat(options.file)).size;
  const file = createReadStream(options.file, { highWaterMark: 256 * 1024 });
  const remove = () => void rm(options.file, { force: true });
  file.once('close', remove);
  return {
    body: Readable.toWeb(file) as ReadableStream<Uint8Array>,
    contentType: exportContentTypes[options.format],
    rows,
    bytes,
  };
}
