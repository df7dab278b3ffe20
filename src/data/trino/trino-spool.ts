/**
 * @module data/trino/trino-spool
 * A Trino result spooled for exports and paged results: Trino's pages are written as they arrive
 * to a private newline-delimited JSON file (one `{"c0": …, "c1": …}` object per row, so repeated
 * column names survive), nothing held in memory, reading stopped one row past the cap (the query
 * is then cancelled on the coordinator). DuckDB then reads that file with the columns typed as
 * Trino typed them (`rowsSql`), so the same spool writers (export-spool.ts) turn it into CSV,
 * NDJSON, Parquet, Arrow or the Parquet file of a paged result.
 */
import { open, rm } from 'node:fs/promises';
import { PRIVATE_FILE_MODE } from '../../core/private-files.js';
import { sqlIdentifier, sqlString } from '../engine.js';
import type { Column, TrinoEngine } from './trino-engine.js';

export interface TrinoSpool {
  columns: Column[];
  /** Rows written (at most `maxRows`). */
  rows: number;
  /** More rows existed than the cap. */
  truncated: boolean;
}

const SIMPLE_TYPES: Record<string, string> = {
  boolean: 'BOOLEAN',
  tinyint: 'TINYINT',
  smallint: 'SMALLINT',
  integer: 'INTEGER',
  bigint: 'BIGINT',
  real: 'FLOAT',
  double: 'DOUBLE',
  date: 'DATE',
};

/** The DuckDB type a Trino column is read back as: the same where both have it, else text. */
export function duckTypeOf(trinoType: string): string {
  const type = trinoType.toLowerCase().trim();
  if (SIMPLE_TYPES[type]) return SIMPLE_TYPES[type];
  const decimal = /^decimal\((\d{1,2}),\s*(\d{1,2})\)$/.exec(type);
  if (decimal) return `DECIMAL(${decimal[1]}, ${decimal[2]})`;
  if (/^timestamp(\(\d+\))?$/.test(type)) return 'TIMESTAMP';
  // varchar, char, time, timestamps with a zone, json, uuid, arrays, maps, rows: their text.
  return 'VARCHAR';
}

/** Follows the Trino query and writes its rows to `file` (0600); at most `maxRows`. */
export async function spoolTrinoRows(
  engine: TrinoEngine,
  sql: string,
  file: string,
  bounds: { maxRows: number; timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<TrinoSpool> {
  const handle = await open(file, 'w', PRIVATE_FILE_MODE);
  let rows = 0;
  let seen = 0;
  try {
    const { columns } = await engine.read(sql, bounds, async (page, columns) => {
      const textual = columns.map((column) => duckTypeOf(column.type) === 'VARCHAR');
      let chunk = '';
      for (const row of page) {
        seen++;
        if (rows >= bounds.maxRows) break;
        const record: Record<string, unknown> = {};
        row.forEach((value, index) => {
          // Arrays, maps and rows are kept as their JSON text.
          record[`c${index}`] =
            textual[index] && value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
        });
        chunk += `${JSON.stringify(record)}\n`;
        rows++;
      }
      if (chunk) await handle.write(chunk);
      return seen > bounds.maxRows;
    });
    return { columns, rows, truncated: seen > bounds.maxRows };
  } catch (error) {
    await handle.close();
    await rm(file, { force: true });
    throw error;
  } finally {
    await handle.close().catch(() => {});
  }
}

/** The SQL that reads a spooled Trino result back in DuckDB, with its columns' names and types. */
export function rowsSql(file: string, columns: readonly Column[], rows: number): string {
  if (!columns.length) return 'SELECT 1 WHERE false';
  if (!rows) {
    // No rows: an empty file has nothing to read, but the result keeps its columns.
    const empty = columns.map(
      (column) => `CAST(NULL AS ${duckTypeOf(column.type)}) AS ${sqlIdentifier(column.name)}`,
    );
    return `SELECT ${empty.join(', ')} WHERE false`;
  }
  const typed = columns.map((column, index) => `c${index}: ${sqlString(duckTypeOf(column.type))}`).join(', ');
  const named = columns.map((column, index) => `c${index} AS ${sqlIdentifier(column.name)}`).join(', ');
  return `SELECT ${named} FROM read_json(${sqlString(file)}, format = 'newline_delimited', columns = {${typed}})`;
}
