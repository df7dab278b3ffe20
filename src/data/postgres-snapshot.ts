/**
 * @module data/postgres-snapshot
 * A PostgreSQL table as a data source: read through `pg`, the driver Keel speaks to its own
 * database with (no DuckDB extension needed), into a Parquet snapshot in the project's data folder
 * that the engine joins with the project's other tables. The table is read in one read-only
 * transaction through a cursor, a batch at a time, every value as PostgreSQL's own text, appended
 * to DuckDB as text and cast once to the column's type (integers, floats, numerics as doubles,
 * booleans, dates, timestamps with and without zone, UUIDs; anything else stays text). The
 * snapshot is written beside its final name and renamed, so a failed read leaves nothing. The
 * connection URL is kept sealed (AES-256-GCM under the server key); errors never show its password.
 */
import { createHash, createHmac } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import pg from 'pg';
import { KeelError } from '../core/errors.js';
import { openMapping, type SealedMapping, sealMapping } from '../guardrails/index.js';
import { openInstance, sqlIdentifier, sqlString } from './engine.js';

/** What a PostgreSQL source reads: a connection URL and a table (`schema.table` or `table`). */
export interface PostgresTable {
  url: string;
  table: string;
}

/** Most rows one snapshot holds. */
export const MAX_SNAPSHOT_ROWS = 5_000_000;
const BATCH = 5_000;

/** DuckDB types for PostgreSQL type OIDs; others are read as text. */
const TYPES: Record<number, string> = {
  16: 'BOOLEAN',
  20: 'BIGINT',
  21: 'SMALLINT',
  23: 'INTEGER',
  700: 'FLOAT',
  701: 'DOUBLE',
  1700: 'DOUBLE',
  1082: 'DATE',
  1114: 'TIMESTAMP',
  1184: 'TIMESTAMPTZ',
  2950: 'UUID',
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/;

/** The table as a quoted PostgreSQL name, or a coded `invalid_request`. */
export function quotedTable(table: string): string {
  const parts = table.split('.');
  if (parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw new KeelError('invalid_request', `"${table.slice(0, 100)}" is not a table name (schema.table).`, {
      issues: [{ code: 'invalid_table', path: ['table'], message: 'letters, digits, _ and $; schema.table' }],
    });
  }
  return parts.map((part) => `"${part}"`).join('.');
}

/** The key that seals connection URLs: derived from the server key. */
function connectionKey(secretKey: Buffer): Buffer {
  return createHash('sha256')
    .update(createHmac('sha256', secretKey).update('data-connection').digest())
    .digest();
}

export function sealConnection(url: string, secretKey: Buffer): SealedMapping {
  return sealMapping({ url }, connectionKey(secretKey));
}

export function openConnection(sealed: SealedMapping, secretKey: Buffer): string {
  const url = openMapping(sealed, connectionKey(secretKey)).url;
  if (!url)
    throw new KeelError('forbidden', 'The connection of this source cannot be opened with this server key.');
  return url;
}

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.username ? `${parsed.username}@` : ''}${parsed.host}${parsed.pathname}`;
  } catch {
    return 'the database';
  }
}

function failure(error: unknown, source: PostgresTable): KeelError {
  if (error instanceof KeelError) return error;
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code === '42P01')
    return new KeelError('invalid_request', `No table ${source.table} in ${shown(source.url)}.`, {
      issues: [{ code: 'unknown_table', path: ['table'], message }],
    });
  if (code === '28P01' || code === '28000' || code === '42501')
    return new KeelError(
      'forbidden',
      `${shown(source.url)} refused the credentials or the table: ${message}`,
      {
        issues: [{ code: 'database_refused', path: ['url'], message }],
      },
    );
  return new KeelError(
    'upstream_unavailable',
    `Could not read ${source.table} from ${shown(source.url)}: ${message}`,
    {
      cause: error,
      issues: [{ code: 'database_unreachable', path: ['url'], message }],
    },
  );
}

/**
 * Reads the table into a Parquet file at `file` (replacing it once complete) and returns its rows.
 * More than `maxRows` rows is a coded `payload_too_large` and writes nothing.
 */
export async function snapshotPostgres(
  source: PostgresTable,
  file: string,
  options: { memoryLimit: string; maxRows?: number | undefined },
): Promise<number> {
  const table = quotedTable(source.table);
  const limit = options.maxRows ?? MAX_SNAPSHOT_ROWS;
  // Every value as PostgreSQL's text: DuckDB casts it once, per column.
  const client = new pg.Client({
    connectionString: source.url,
    connectionTimeoutMillis: 10_000,
    types: { getTypeParser: () => (value: string) => value },
  });
  client.on('error', () => {}); // a dropped connection fails the read below
  const instance = await openInstance({ memoryLimit: options.memoryLimit });
  const connection = await instance.connect();
  const partial = `${file}.${process.pid}.part`;
  let rows = 0;
  try {
    await client.connect();
    await client.query('BEGIN READ ONLY');
    await client.query(`DECLARE snapshot NO SCROLL CURSOR FOR SELECT * FROM ${table}`);
    let batch = await client.query<Record<string, string | null>>(`FETCH ${BATCH} FROM snapshot`);
    const fields = batch.fields.map((field) => ({
      name: field.name,
      type: TYPES[field.dataTypeID] ?? 'VARCHAR',
    }));
    const columns = fields.map((_field, i) => `c${i} VARCHAR`).join(', ');
    await connection.run(`CREATE TABLE snapshot (${columns || 'c0 VARCHAR'})`);
    const appender = await connection.createAppender('snapshot');
    try {
      while (batch.rows.length > 0) {
        rows += batch.rows.length;
        if (rows > limit) {
          throw new KeelError(
            'payload_too_large',
            `${source.table} has more than ${limit} rows; read a smaller table.`,
            {
              issues: [{ code: 'too_many_rows', path: ['table'], message: `over ${limit} rows` }],
            },
          );
        }
        for (const row of batch.rows) {
          for (const field of fields) {
            const value = row[field.name];
            if (value === null || value === undefined) appender.appendNull();
            else appender.appendVarchar(value);
          }
          appender.endRow();
        }
        batch = await client.query(`FETCH ${BATCH} FROM snapshot`);
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await client.query('COMMIT');
    const select = fields
      .map((field, i) => `CAST(c${i} AS ${field.type}) AS ${sqlIdentifier(field.name)}`)
      .join(', ');
    await connection.run(
      `COPY (SELECT ${select || 'NULL AS empty'} FROM snapshot) TO ${sqlString(partial)} (FORMAT parquet)`,
    );
    await rename(partial, file);
    return rows;
  } catch (error) {
    await rm(partial, { force: true });
    throw failure(error, source);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await client.end().catch(() => {});
  }
}
