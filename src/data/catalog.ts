/**
 * @module data/catalog
 * A table's catalog entry, computed by DuckDB over the source: columns and types, the row count,
 * each column's null rate and a few distinct sample values, with the descriptions people wrote.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sqlIdentifier } from './engine.js';
import type { MaskMethod } from './masking.js';

const SAMPLES = 5;

export interface ColumnCatalog {
  name: string;
  type: string;
  nullRate: number;
  /** A few distinct values; none when the column is masked for the caller. */
  samples: unknown[];
  description: string;
  tags: string[];
  /** How the column is masked for the caller, or null. */
  masked: MaskMethod | null;
}

export interface TableCatalog {
  name: string;
  description: string;
  rowCount: number;
  columns: ColumnCatalog[];
}

export async function describeTable(
  connection: DuckDBConnection,
  table: string,
  description: string,
  columnDescriptions: Record<string, string>,
): Promise<TableCatalog> {
  const quoted = sqlIdentifier(table);
  const shape = await connection.runAndReadAll(`DESCRIBE ${quoted}`);
  const described = shape.getRowObjectsJson() as Array<{ column_name: string; column_type: string }>;
  const counts = await connection.runAndReadAll(
    `SELECT count(*)::DOUBLE AS n${described
      .map((column, index) => `, count(${sqlIdentifier(column.column_name)})::DOUBLE AS c${index}`)
      .join('')} FROM ${quoted}`,
  );
  const totals = counts.getRowObjectsJson()[0] as Record<string, number>;
  const rowCount = Number(totals.n ?? 0);
  const columns: ColumnCatalog[] = [];
  for (const [index, column] of described.entries()) {
    const name = sqlIdentifier(column.column_name);
    const samples = await connection.runAndReadAll(
      `SELECT DISTINCT ${name} AS v FROM ${quoted} WHERE ${name} IS NOT NULL LIMIT ${SAMPLES}`,
    );
    const present = Number(totals[`c${index}`] ?? 0);
    columns.push({
      name: column.column_name,
      type: column.column_type,
      nullRate: rowCount ? (rowCount - present) / rowCount : 0,
      samples: samples.getRowsJson().map((row) => row[0]),
      description: columnDescriptions[column.column_name] ?? '',
      tags: [],
      masked: null,
    });
  }
  return { name: table, description, rowCount, columns };
}
