/**
 * @module rag/loading/structured-loaders
 * Text, Markdown, CSV and JSON/JSONL. CSV becomes a Markdown table (header-aware) whose rows are
 * also `record` blocks, so the `records` chunker can make one chunk per row with its header.
 * JSON arrays of objects and JSONL lines become records of `key: value` lines.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { KeelError } from '../../core/errors.js';
import type { LoadedDocument, LoaderV1 } from '../../spec/loader.js';
import { splitPageMarkers } from './page-markers.js';
import { decodeText, mediaTypes } from './sniff.js';
import { markdownCell, TextBuilder } from './text-builder.js';

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export const textLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'text',
  mediaTypes: [mediaTypes.text, mediaTypes.markdown],
  async load(input) {
    const text = normaliseNewlines(decodeText(input.data));
    if (!text.trim())
      throw new KeelError('unprocessable', `${input.fileName ?? 'The file'} contains only whitespace.`);
    // Markdown from text extraction carries its pages as `<!-- page N -->` lines: keep them as pages.
    const paged = splitPageMarkers(text);
    if (paged.pages.length)
      return { text: paged.text, pages: paged.pages, mediaType: mediaTypes.text, metadata: {}, warnings: [] };
    return { text, mediaType: mediaTypes.text, metadata: {}, warnings: [] };
  },
};

export function csvToDocument(text: string, fileName = 'The CSV file'): LoadedDocument {
  const delimiter =
    fileName.toLowerCase().endsWith('.tsv') ||
    (text.split('\n')[0] ?? '').split('\t').length > (text.split('\n')[0] ?? '').split(',').length
      ? '\t'
      : ',';
  let rows: string[][];
  try {
    rows = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    }) as string[][];
  } catch (error) {
    throw new KeelError('unprocessable', `${fileName} is not valid CSV: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (rows.length === 0) throw new KeelError('unprocessable', `${fileName} has no rows.`);
  const out = new TextBuilder();
  const width = Math.max(...rows.map((row) => row.length));
  const header = rows[0]!;
  const headerText = `| ${Array.from({ length: width }, (_, i) => markdownCell(header[i] ?? '')).join(' | ')} |\n| ${Array.from({ length: width }, () => '---').join(' | ')} |`;
  const start = 0;
  out.append(headerText);
  const headerEnd = out.text.length + 1;
  for (const row of rows.slice(1)) {
    out.append('\n');
    const rowStart = out.text.length;
    out.append(`| ${Array.from({ length: width }, (_, i) => markdownCell(row[i] ?? '')).join(' | ')} |`);
    out.blocks.push({ type: 'record', start: rowStart, end: out.text.length, header: headerText });
  }
  out.blocks.unshift({
    type: 'table',
    start,
    end: out.text.length,
    headerEnd: Math.min(headerEnd, out.text.length),
  });
  return out.finish(mediaTypes.csv, { rows: rows.length - 1, columns: width });
}

export const csvLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'csv',
  mediaTypes: [mediaTypes.csv],
  async load(input) {
    return csvToDocument(normaliseNewlines(decodeText(input.data)), input.fileName);
  },
};

function recordText(value: unknown, prefix = ''): string {
  if (value === null || typeof value !== 'object') return `${prefix}${String(value)}`;
  const lines: string[] = [];
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    if (inner !== null && typeof inner === 'object')
      lines.push(`${prefix}${key}:`, recordText(inner, `${prefix}  `));
    else lines.push(`${prefix}${key}: ${String(inner)}`);
  }
  return lines.join('\n');
}

export function jsonToDocument(text: string, lines: boolean, fileName = 'The JSON file'): LoadedDocument {
  const values: unknown[] = [];
  if (lines) {
    normaliseNewlines(text)
      .split('\n')
      .forEach((line, i) => {
        if (!line.trim()) return;
        try {
          values.push(JSON.parse(line));
        } catch (error) {
          throw new KeelError(
            'unprocessable',
            `${fileName}, line ${i + 1}, is not valid JSON: ${(error as Error).message}`,
          );
        }
      });
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new KeelError('unprocessable', `${fileName} is not valid JSON: ${(error as Error).message}`, {
        cause: error,
      });
    }
    values.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  }
  if (values.length === 0) throw new KeelError('unprocessable', `${fileName} has no records.`);
  const out = new TextBuilder();
  for (const value of values) out.record(recordText(value));
  return out.finish(lines ? mediaTypes.jsonl : mediaTypes.json, { records: values.length });
}

export const jsonLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'json',
  mediaTypes: [mediaTypes.json, mediaTypes.jsonl],
  async load(input) {
    const text = decodeText(input.data);
    const lines = input.mediaType === mediaTypes.jsonl || /\.(jsonl|ndjson)$/i.test(input.fileName ?? '');
    return jsonToDocument(text, lines, input.fileName);
  },
};
