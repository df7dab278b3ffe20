/**
 * @module evals/datasets/parse-file
 * Reads an uploaded dataset file into rows of named columns: CSV (or TSV), JSONL, a JSON array,
 * or Parquet (through DuckDB's `read_parquet` on a temporary file). Every problem is a coded
 * issue: bytes that are not UTF-8 (`invalid_encoding`), ragged CSV rows (`ragged_row`, with the
 * row's line number), JSONL lines that are not objects (`invalid_json_line`).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { type Issue, KeelError } from '../../core/errors.js';

export const datasetFormats = ['csv', 'tsv', 'jsonl', 'json', 'parquet'] as const;
export type DatasetFormat = (typeof datasetFormats)[number];

export type Row = Record<string, unknown>;

export interface ParsedFile {
  format: DatasetFormat;
  columns: string[];
  rows: Row[];
}

/** Issues reported at most per file (the first ones tell the user what to fix). */
const MAX_ISSUES = 50;

/** The format from a file name or media type; `undefined` when neither says. */
export function formatOf(
  name: string | undefined,
  mediaType?: string | undefined,
): DatasetFormat | undefined {
  const extension = name?.toLowerCase().match(/\.([a-z]+)$/)?.[1];
  if (extension === 'ndjson') return 'jsonl';
  if (extension && (datasetFormats as readonly string[]).includes(extension))
    return extension as DatasetFormat;
  const type = mediaType?.split(';')[0]?.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'text/tab-separated-values') return 'tsv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'jsonl';
  if (type === 'application/json') return 'json';
  if (type === 'application/vnd.apache.parquet') return 'parquet';
  return undefined;
}

function invalid(message: string, issues: Issue[]): KeelError {
  return new KeelError('invalid_dataset', message, { issues: issues.slice(0, MAX_ISSUES) });
}

/** Decodes UTF-8 strictly (a byte-order mark is dropped); anything else is `invalid_encoding`. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    let offset = 0;
    // Find the first bad byte for the message: decode growing prefixes is too slow; scan instead.
    for (let index = 0; index < bytes.length; ) {
      const byte = bytes[index]!;
      const length = byte < 0x80 ? 1 : byte >> 5 === 6 ? 2 : byte >> 4 === 14 ? 3 : byte >> 3 === 30 ? 4 : 0;
      const continuation = bytes.subarray(index + 1, index + length);
      if (length === 0 || continuation.length < length - 1 || continuation.some((b) => b >> 6 !== 2)) {
        offset = index;
        break;
      }
      index += length;
    }
    throw new KeelError(
      'invalid_encoding',
      `The file is not valid UTF-8 (first bad byte at offset ${offset}).`,
      {
        issues: [{ code: 'invalid_encoding', path: ['file'], message: `byte offset ${offset}` }],
        data: { offset },
      },
    );
  }
}

function parseDelimited(text: string, delimiter: ',' | '\t', format: DatasetFormat): ParsedFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      info: true,
      bom: true,
      // TSV files (kocohub) do not quote: a stray quote is text.
      quote: delimiter === '\t' ? false : '"',
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw invalid(`The ${format.toUpperCase()} file could not be read: ${(error as Error).message}`, [
      { code: 'malformed_csv', path: line ? ['row', line] : ['file'], message: (error as Error).message },
    ]);
  }
  if (records.length === 0) throw invalid('The file has no header row.', [emptyIssue()]);
  const header = records[0]!.record.map((name) => name.trim());
  const issues: Issue[] = [];
  const seen = new Set<string>();
  header.forEach((name, index) => {
    if (!name) issues.push({ code: 'empty_column_name', path: ['column', index], message: 'empty header' });
    else if (seen.has(name))
      issues.push({ code: 'duplicate_column', path: ['column', name], message: `“${name}” appears twice` });
    seen.add(name);
  });
  const rows: Row[] = [];
  for (const { record, info } of records.slice(1)) {
    if (record.length !== header.length) {
      issues.push({
        code: 'ragged_row',
        path: ['row', info.lines],
        message: `line ${info.lines} has ${record.length} fields, the header has ${header.length}`,
      });
      continue;
    }
    const row: Row = {};
    header.forEach((name, index) => {
      row[name] = record[index];
    });
    rows.push(row);
  }
  if (issues.length)
    throw invalid(`The ${format.toUpperCase()} file has ${issues.length} problem(s).`, issues);
  return { format, columns: header, rows };
}

function emptyIssue(): Issue {
  return { code: 'empty_dataset', path: ['file'], message: 'no rows' };
}

function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) columns.add(key);
  return [...columns];
}

function parseJsonLines(text: string): ParsedFile {
  const rows: Row[] = [];
  const issues: Issue[] = [];
  text.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    try {
      const value = JSON.parse(line) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) rows.push(value as Row);
      else issues.push({ code: 'invalid_json_line', path: ['row', index + 1], message: 'not a JSON object' });
    } catch {
      issues.push({ code: 'invalid_json_line', path: ['row', index + 1], message: 'not valid JSON' });
    }
  });
  if (issues.length)
    throw invalid(`The JSONL file has ${issues.length} line(s) that are not objects.`, issues);
  return { format: 'jsonl', columns: columnsOf(rows), rows };
}

function parseJsonArray(text: string): ParsedFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalid('The JSON file is not valid JSON.', [
      { code: 'invalid_json', path: ['file'], message: (error as Error).message },
    ]);
  }
  if (!Array.isArray(value) || value.some((row) => !row || typeof row !== 'object' || Array.isArray(row))) {
    throw invalid('A JSON dataset is an array of objects.', [
      { code: 'invalid_json', path: ['file'], message: 'expected an array of objects' },
    ]);
  }
  return { format: 'json', columns: columnsOf(value as Row[]), rows: value as Row[] };
}

/** Plain JSON values from DuckDB's (bigints as numbers when safe, else strings). */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
  }
  return value;
}

async function parseParquet(bytes: Uint8Array): Promise<ParsedFile> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'keel-dataset-'));
  const file = path.join(directory, 'upload.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await writeFile(file, bytes);
    const reader = await connection.runAndReadAll(
      `SELECT * FROM read_parquet('${file.replaceAll("'", "''")}')`,
    );
    const rows = reader.getRowObjectsJson().map((row) => plain(row) as Row);
    return { format: 'parquet', columns: reader.columnNames(), rows };
  } catch (error) {
    throw invalid('The Parquet file could not be read.', [
      { code: 'invalid_parquet', path: ['file'], message: (error as Error).message.slice(0, 300) },
    ]);
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Parses a file's bytes in the given format. */
export async function parseDatasetFile(bytes: Uint8Array, format: DatasetFormat): Promise<ParsedFile> {
  if (bytes.length === 0) throw invalid('The file is empty.', [emptyIssue()]);
  if (format === 'parquet') return parseParquet(bytes);
  const text = decodeUtf8(bytes);
  if (format === 'csv') return parseDelimited(text, ',', 'csv');
  if (format === 'tsv') return parseDelimited(text, '\t', 'tsv');
  if (format === 'jsonl') return parseJsonLines(text);
  return parseJsonArray(text);
}
