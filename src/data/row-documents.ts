/**
 * @module data/row-documents
 * A table's rows as documents for a RAG collection: each row becomes one plain-text document
 * whose text is the chosen text columns (`column: value` lines, nulls left out) and whose metadata
 * is the chosen metadata columns. The rows are read through the export path, so the read is
 * checked, bounded and audited like any query, and EVERY masking policy of the project applies
 * (no role given: a collection is read by any role, so the rows are masked as for the most
 * restricted one). A document is named `<table>/<id column value>`, or `<table>/<hash of the row>`
 * without an id column, so a re-sync replaces changed rows and leaves the others unchanged.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../core/errors.js';
import type { DataService } from './data-service.js';
import { sqlIdentifier } from './engine.js';

export interface RowSourceSpec {
  table: string;
  textColumns: readonly string[];
  metadataColumns: readonly string[];
  /** The column whose value names each row's document (its key); absent: a hash of the row. */
  idColumn?: string | null | undefined;
  maxRows: number;
}

export interface RowDocument {
  name: string;
  mediaType: 'text/plain';
  data: Uint8Array;
  metadata: Record<string, string | number | boolean>;
}

export interface RowDocuments {
  documents: RowDocument[];
  /** The row cap was reached (more rows may exist). */
  truncated: boolean;
  /** Rows skipped because none of their text columns had a value. */
  empty: number;
  /** Whether masks applied to the table for this read. */
  masked: boolean;
}

/** The prefix every document name of `table` starts with (for finding rows removed since). */
export function rowDocumentPrefix(table: string): string {
  return `${table}/`;
}

function metadataValue(value: unknown): string | number | boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Checks the columns named in `spec` against the table; returns them as the table spells them. */
export async function checkRowSource(
  data: DataService,
  projectId: string,
  spec: RowSourceSpec,
): Promise<RowSourceSpec> {
  const source = await data.source(projectId, spec.table);
  const table = await data.catalog(projectId, source.name, 'admin');
  const known = new Map(table.columns.map((column) => [column.name.toLowerCase(), column.name]));
  const resolve = (field: string, column: string) => {
    const name = known.get(column.toLowerCase());
    if (!name) {
      throw new KeelError('invalid_request', `No column "${column}" in ${source.name}.`, {
        issues: [{ code: 'unknown_column', path: [field], message: `unknown column ${column}` }],
      });
    }
    return name;
  };
  if (!spec.textColumns.length) {
    throw new KeelError('invalid_request', 'Name at least one text column.', {
      issues: [{ code: 'missing_text_columns', path: ['text_columns'], message: 'no text column' }],
    });
  }
  return {
    table: source.name,
    textColumns: spec.textColumns.map((column) => resolve('text_columns', column)),
    metadataColumns: spec.metadataColumns.map((column) => resolve('metadata_columns', column)),
    idColumn: spec.idColumn ? resolve('id_column', spec.idColumn) : null,
    maxRows: spec.maxRows,
  };
}

/** Reads a table's rows (masked by every policy, audited) as documents; see the module note. */
export async function rowDocuments(
  data: DataService,
  projectId: string,
  spec: RowSourceSpec,
  signal?: AbortSignal,
): Promise<RowDocuments> {
  const columns = [
    ...new Set([...spec.textColumns, ...spec.metadataColumns, ...(spec.idColumn ? [spec.idColumn] : [])]),
  ];
  const sql = `SELECT ${columns.map(sqlIdentifier).join(', ')} FROM ${sqlIdentifier(spec.table)}`;
  // No role: every masking policy applies (fails closed), whoever syncs.
  const exported = await data.export(projectId, { sql, format: 'ndjson', maxRows: spec.maxRows, signal });
  const encoder = new TextEncoder();
  const documents = new Map<string, RowDocument>();
  let empty = 0;
  const decoder = new TextDecoder();
  let pending = '';
  const take = (line: string) => {
    if (!line.trim()) return;
    const row = JSON.parse(line) as Record<string, unknown>;
    const lines = spec.textColumns
      .filter((column) => row[column] !== null && row[column] !== undefined && row[column] !== '')
      .map((column) => `${column}: ${text(row[column])}`);
    if (!lines.length) {
      empty++;
      return;
    }
    const metadata: Record<string, string | number | boolean> = { table: spec.table };
    for (const column of spec.metadataColumns) {
      const value = metadataValue(row[column]);
      if (value !== undefined) metadata[column] = value;
    }
    const key =
      spec.idColumn && row[spec.idColumn] !== null && row[spec.idColumn] !== undefined
        ? text(row[spec.idColumn])
        : createHash('sha256').update(line).digest('hex').slice(0, 24);
    const name = `${rowDocumentPrefix(spec.table)}${key}`;
    documents.set(name, { name, mediaType: 'text/plain', data: encoder.encode(lines.join('\n')), metadata });
  };
  for await (const chunk of exported.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) take(line);
  }
  take(pending + decoder.decode());
  return {
    documents: [...documents.values()],
    truncated: exported.truncated,
    empty,
    masked: exported.masked.length > 0,
  };
}
