/**
 * @module extraction/layout-tables
 * Tables in the layout text `pdftotext -layout` writes: a run of two or more lines that split into
 * the same number (≥ 2) of cells at gaps of two or more spaces is a table. Everything else stays
 * text. The output is Markdown (tables as Markdown tables) and the tables' cells.
 */
import { markdownCell } from './markdown-cell.js';

export interface LayoutBlock {
  kind: 'text' | 'table';
  text?: string;
  rows?: string[][];
}

function cells(line: string): string[] {
  return line.trim().split(/\s{2,}/);
}

/** Splits one page of layout text into text and table blocks. */
export function layoutBlocks(page: string): LayoutBlock[] {
  const lines = page.replace(/\r\n?/g, '\n').split('\n');
  const blocks: LayoutBlock[] = [];
  let text: string[] = [];
  const flushText = () => {
    const joined = text
      .map((line) => line.trim().replace(/\s{2,}/g, ' '))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
    if (joined) blocks.push({ kind: 'text', text: joined });
    text = [];
  };
  let i = 0;
  while (i < lines.length) {
    const width = cells(lines[i]!).length;
    let end = i;
    if (width >= 2 && lines[i]!.trim()) {
      while (end + 1 < lines.length && lines[end + 1]!.trim() && cells(lines[end + 1]!).length === width)
        end++;
    }
    if (end > i) {
      flushText();
      blocks.push({ kind: 'table', rows: lines.slice(i, end + 1).map(cells) });
      i = end + 1;
    } else {
      text.push(lines[i]!);
      i++;
    }
  }
  flushText();
  return blocks;
}

/** A Markdown table; the first row is the header. */
export function markdownTable(rows: string[][]): string {
  const width = Math.max(0, ...rows.map((row) => row.length));
  const line = (row: string[]) =>
    `| ${Array.from({ length: width }, (_, i) => markdownCell(row[i] ?? '')).join(' | ')} |`;
  return [
    line(rows[0] ?? []),
    `| ${Array.from({ length: width }, () => '---').join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** The rows of a Markdown table (header first, separator dropped). */
export function parseMarkdownTable(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('|') && !/^\|(\s*:?-{3,}:?\s*\|)+$/.test(line))
    .map((line) =>
      line
        .replace(/^\|/, '')
        .replace(/\|$/, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replaceAll('\\|', '|')),
    );
}
