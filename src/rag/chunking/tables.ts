/**
 * @module rag/chunking/tables
 * Tables stay whole: a Markdown table that fits is one chunk; one that does not is split between
 * rows, and every part after the first repeats the header and separator rows so it still reads
 * as a table (its text is then `derived`; start/end cover its own rows).
 */
import type { Chunk } from '../../spec/chunker.js';
import type { TextBlock } from '../../spec/loader.js';
import type { Measure } from './measure.js';

/** Finds Markdown tables (a header row, a |---| separator row, body rows) in text without blocks. */
export function findMarkdownTables(text: string): TextBlock[] {
  const tables: TextBlock[] = [];
  const pattern =
    /^[ \t]*\|?.*\|.*\r?\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*(\|[ \t]*:?-{3,}:?[ \t]*)*\|?[ \t]*\r?\n?/gm;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const start = match.index;
    const headerEnd = start + match[0].length;
    let end = headerEnd;
    while (end < text.length) {
      const lineEnd = text.indexOf('\n', end);
      const line = text.slice(end, lineEnd < 0 ? text.length : lineEnd);
      if (!line.includes('|') || line.trim() === '') break;
      end = lineEnd < 0 ? text.length : lineEnd + 1;
    }
    tables.push({ type: 'table', start, end: text[end - 1] === '\n' ? end - 1 : end, headerEnd });
    pattern.lastIndex = Math.max(end, pattern.lastIndex);
  }
  return tables;
}

/** Chunks of one table block (without `index`, assigned by the caller). */
export function chunkTable(
  text: string,
  table: TextBlock,
  size: number,
  measure: Measure,
): Omit<Chunk, 'index'>[] {
  const whole = text.slice(table.start, table.end);
  if (measure(whole) <= size || table.headerEnd === undefined || table.headerEnd >= table.end) {
    return [{ text: whole, start: table.start, end: table.end, kind: 'table' }];
  }
  const header = text.slice(table.start, table.headerEnd).replace(/\s+$/, '');
  const rows: { start: number; end: number }[] = [];
  let at = table.headerEnd;
  while (at < table.end) {
    const lineEnd = text.indexOf('\n', at);
    const end = lineEnd < 0 || lineEnd > table.end ? table.end : lineEnd;
    if (end > at) rows.push({ start: at, end });
    at = end + 1;
  }
  const chunks: Omit<Chunk, 'index'>[] = [];
  let first = 0;
  while (first < rows.length) {
    let last = first;
    const withHeader = (to: number) => `${header}\n${text.slice(rows[first]!.start, rows[to]!.end)}`;
    while (last + 1 < rows.length && measure(withHeader(last + 1)) <= size) last++;
    const start = chunks.length === 0 ? table.start : rows[first]!.start;
    const body = text.slice(rows[first]!.start, rows[last]!.end);
    chunks.push(
      chunks.length === 0
        ? { text: text.slice(start, rows[last]!.end), start, end: rows[last]!.end, kind: 'table' }
        : { text: `${header}\n${body}`, start, end: rows[last]!.end, kind: 'table', derived: true },
    );
    first = last + 1;
  }
  return chunks;
}
