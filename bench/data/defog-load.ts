/**
 * @module bench/data/defog-load
 * Loads one defog sql-eval database for the data benchmark. The dumps are PostgreSQL scripts
 * (SERIAL keys, TO_CHAR and INTERVAL arithmetic in the INSERTs, a non-public schema in ewallet),
 * which DuckDB cannot run as they are: five of the eleven failed when the script was handed to
 * DuckDB. So each script runs in PostgreSQL itself (PGlite, in memory); every table is then read
 * back as CSV (`COPY … TO '/dev/blob'`) and written to Parquet by DuckDB with the column types
 * mapped from PostgreSQL's, the way a user would export a database into the lakehouse. The
 * declared foreign keys are read from PostgreSQL's catalog (the truth for join-key discovery).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { PGlite } from '@electric-sql/pglite';

export interface LoadedTable {
  /** The PostgreSQL schema it came from (`public`, or ewallet's `consumer_div`). */
  schema: string;
  name: string;
  file: string;
}

export interface DeclaredForeignKey {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

export interface LoadedDatabase {
  tables: LoadedTable[];
  foreignKeys: DeclaredForeignKey[];
}

/** A PostgreSQL column type as the DuckDB type that holds the same values. */
export function duckTypeOf(column: {
  data_type: string;
  numeric_precision: number | null;
  numeric_scale: number | null;
}): string {
  const type = column.data_type.toLowerCase();
  if (type === 'smallint' || type === 'integer' || type === 'bigint' || type === 'boolean') return type;
  if (type === 'numeric') {
    const precision = column.numeric_precision;
    return precision && precision <= 38 ? `DECIMAL(${precision}, ${column.numeric_scale ?? 0})` : 'DOUBLE';
  }
  if (type === 'real') return 'FLOAT';
  if (type === 'double precision') return 'DOUBLE';
  if (type === 'date' || type === 'interval') return type.toUpperCase();
  if (type === 'timestamp without time zone') return 'TIMESTAMP';
  if (type === 'timestamp with time zone') return 'TIMESTAMPTZ';
  if (type === 'time without time zone') return 'TIME';
  if (type === 'json' || type === 'jsonb') return 'JSON';
  return 'VARCHAR';
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/**
 * Runs `script` in a fresh in-memory PostgreSQL and writes each of its tables to
 * `<folder>/<table>.parquet` through `duck`.
 */
export async function loadDefogDatabase(
  script: string,
  folder: string,
  duck: DuckDBConnection,
): Promise<LoadedDatabase> {
  const pg = new PGlite();
  try {
    await pg.exec(script);
    const { rows: tableRows } = await pg.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        ORDER BY table_schema, table_name`,
    );
    const tables: LoadedTable[] = [];
    for (const { table_schema: schema, table_name: name } of tableRows) {
      const { rows: columns } = await pg.query<{
        column_name: string;
        data_type: string;
        numeric_precision: number | null;
        numeric_scale: number | null;
      }>(
        `SELECT column_name, data_type, numeric_precision, numeric_scale FROM information_schema.columns
          WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position`,
        [schema, name],
      );
      const copied = await pg.query(
        `COPY ${quote(schema)}.${quote(name)} TO '/dev/blob' WITH (FORMAT csv, HEADER)`,
      );
      const csv = path.join(folder, `${name}.csv`);
      await writeFile(csv, new Uint8Array(await (copied.blob ?? new Blob([])).arrayBuffer()));
      const file = path.join(folder, `${name}.parquet`);
      const types = columns.map((column) => `${literal(column.column_name)}: ${literal(duckTypeOf(column))}`);
      await duck.run(
        `COPY (SELECT * FROM read_csv(${literal(csv)}, header = true, auto_detect = false, columns = {${types.join(', ')}}))
           TO ${literal(file)} (FORMAT parquet)`,
      );
      tables.push({ schema, name, file });
    }
    const { rows: keys } = await pg.query<{
      from_table: string;
      from_column: string;
      to_table: string;
      to_column: string;
    }>(
      `SELECT src.relname AS from_table, src_col.attname AS from_column,
              dst.relname AS to_table, dst_col.attname AS to_column
         FROM pg_constraint con
         JOIN pg_class src ON src.oid = con.conrelid
         JOIN pg_class dst ON dst.oid = con.confrelid
         JOIN LATERAL unnest(con.conkey, con.confkey) AS pair(src_key, dst_key) ON true
         JOIN pg_attribute src_col ON src_col.attrelid = con.conrelid AND src_col.attnum = pair.src_key
         JOIN pg_attribute dst_col ON dst_col.attrelid = con.confrelid AND dst_col.attnum = pair.dst_key
        WHERE con.contype = 'f'`,
    );
    return {
      tables,
      foreignKeys: keys.map((key) => ({
        fromTable: key.from_table,
        fromColumn: key.from_column,
        toTable: key.to_table,
        toColumn: key.to_column,
      })),
    };
  } finally {
    await pg.close();
  }
}

/**
 * A gold query as Keel runs it: a project's tables form one flat namespace, so the schema that
 * qualified them in PostgreSQL (`public.`, ewallet's `consumer_div.`) is dropped.
 */
export function unqualified(sql: string, tables: readonly LoadedTable[]): string {
  const schemas = new Set(['public', ...tables.map((table) => table.schema)]);
  let text = sql;
  for (const schema of schemas) text = text.replace(new RegExp(`\\b${schema}\\.`, 'gi'), '');
  return text;
}
