/**
 * @module data/row-documents
 * A table's rows, or a query's, as documents for a RAG collection: each row becomes one plain-text
 * document whose text is the row template with its `{{column}}` placeholders filled in (nulls as
 * empty), or without a template the chosen text columns (`column: value` lines, nulls left out),
 * and whose metadata is the chosen metadata columns. The rows are read through the export path, so the read is
 * checked, bounded and audited like any query, and EVERY masking policy of the project applies
 * (no role given: a collection is read by any role, so the rows are masked as for the most
 * restricted one). A document is named `<table>/<id column value>`, or `<table>/<hash of the row>`
 * (a query's source has a name of its own in place of the table's)
 * without an id column, so a re-sync replaces changed rows and leaves the others unchanged.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../core/errors.js';
import type { DataService } from './data-service.js';
import { sqlIdentifier } from './engine.js';

export interface RowSourceSpec {
  /** The table read, or the name of a query's rows (documents are named after it). */
  table: string;
  /** A read-only query whose result rows are the documents (instead of the table's rows). */
  query?: string | null | undefined;
  /** Each row's text, `{{column}}` placeholders filled in; absent: the text columns. */
  template?: string | null | undefined;
  /** Without a template, the columns making each row's text; with one, its placeholders' columns. */
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

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

function refuse(code: string, field: string, message: string): never {
  throw new KeelError('invalid_request', message, { issues: [{ code, path: [field], message }] });
}

/** The columns a row template's `{{column}}` placeholders name, in order, once each. */
export function templateColumns(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!))];
}

/** The columns of the source's rows: the table's, or the query's result columns (checked by running it for one row). */
async function sourceColumns(
  data: DataService,
  projectId: string,
  spec: RowSourceSpec,
): Promise<{ name: string; columns: string[] }> {
  if (!spec.query) {
    const source = await data.source(projectId, spec.table);
    const table = await data.catalog(projectId, source.name, 'admin');
    return { name: source.name, columns: table.columns.map((column) => column.name) };
  }
  if (!NAME.test(spec.table)) {
    refuse(
      'invalid_name',
      'name',
      "A query's source is named with letters, digits and _ (not starting with a digit).",
    );
  }
  // No role: every masking policy applies, as when the rows are read.
  const result = await data.query(projectId, { sql: spec.query, maxRows: 1 });
  return { name: spec.table, columns: result.columns.map((column) => column.name) };
}

/** Checks the columns and template named in `spec` against the rows' columns; returns them as the rows spell them. */
export async function checkRowSource(
  data: DataService,
  projectId: string,
  spec: RowSourceSpec,
): Promise<RowSourceSpec> {
  const { name: table, columns } = await sourceColumns(data, projectId, spec);
  const known = new Map(columns.map((column) => [column.toLowerCase(), column]));
  const resolve = (field: string, column: string) => {
    const name = known.get(column.toLowerCase());
    if (!name) refuse('unknown_column', field, `No column "${column}" in ${table}.`);
    return name;
  };
  let template: string | null = null;
  let textColumns: string[];
  if (spec.template?.trim()) {
    const named = templateColumns(spec.template);
    if (!named.length) {
      refuse(
        'template_without_columns',
        'template',
        'A row template names at least one column as {{column}}.',
      );
    }
    for (const column of named) resolve('template', column);
    // Placeholders as the rows spell the columns, so rendering looks each one up directly.
    template = spec.template.replace(
      PLACEHOLDER,
      (_, column: string) => `{{${resolve('template', column)}}}`,
    );
    textColumns = named.map((column) => resolve('template', column));
  } else {
    if (!spec.textColumns.length) {
      refuse(
        'missing_text_columns',
        'text_columns',
        'Name at least one text column, or give a row template.',
      );
    }
    textColumns = spec.textColumns.map((column) => resolve('text_columns', column));
  }
  return {
    table,
    query: spec.query ?? null,
    template,
    textColumns,
    metadataColumns: spec.metadataColumns.map((column) => resolve('metadata_columns', column)),
    idColumn: spec.idColumn ? resolve('id_column', spec.idColumn) : null,
    maxRows: spec.maxRows,
  };
}

/** A row's text: the template filled in, or `column: value` lines; '' when no text column has a value. */
function rowText(spec: RowSourceSpec, row: Record<string, unknown>): string {
  const present = (column: string) => row[column] !== null && row[column] !== undefined && row[column] !== '';
  if (!spec.textColumns.some(present)) return '';
  if (spec.template) {
    return spec.template.replace(PLACEHOLDER, (_, column: string) =>
      present(column) ? text(row[column]) : '',
    );
  }
  return spec.textColumns
    .filter(present)
    .map((column) => `${column}: ${text(row[column])}`)
    .join('\n');
}

/** Reads a table's or a query's rows (masked by every policy, audited) as documents; see the module note. */
export async function rowDocuments(
  data: DataService,
  projectId: string,
  spec: RowSourceSpec,
  signal?: AbortSignal,
): Promise<RowDocuments> {
  const columns = [
    ...new Set([...spec.textColumns, ...spec.metadataColumns, ...(spec.idColumn ? [spec.idColumn] : [])]),
  ];
  const sql = spec.query
    ? `SELECT ${columns.map(sqlIdentifier).join(', ')} FROM (\n${spec.query}\n) AS ${sqlIdentifier(spec.table)}`
    : `SELECT ${columns.map(sqlIdentifier).join(', ')} FROM ${sqlIdentifier(spec.table)}`;
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
    const body = rowText(spec, row);
    if (!body) {
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
    documents.set(name, { name, mediaType: 'text/plain', data: encoder.encode(body), metadata });
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
