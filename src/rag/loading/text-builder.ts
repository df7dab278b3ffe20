/**
 * @module rag/loading/text-builder
 * Builds a loaded document's text piece by piece while recording where headings, tables, records
 * and pages start and end, so chunks can cite exact spans.
 */
import type { LoadedDocument, PageSpan, TextBlock } from '../../spec/loader.js';

/** Escapes a table cell for a Markdown table: pipes escaped, line breaks flattened. */
export function markdownCell(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replaceAll('|', '\\|');
}

export class TextBuilder {
  text = '';
  readonly blocks: TextBlock[] = [];
  readonly pages: PageSpan[] = [];

  append(text: string): void {
    this.text += text;
  }

  /** Ends the current paragraph: at most one blank line between blocks. */
  paragraphBreak(): void {
    if (this.text.length === 0) return;
    this.text = this.text.replace(/[ \t]+$/, '');
    if (this.text.endsWith('\n\n')) return;
    this.text += this.text.endsWith('\n') ? '\n' : '\n\n';
  }

  heading(level: number, title: string): void {
    const clean = title.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    this.paragraphBreak();
    const start = this.text.length;
    this.text += `${'#'.repeat(level)} ${clean}`;
    this.blocks.push({ type: 'heading', start, end: this.text.length, level });
    this.paragraphBreak();
  }

  /** A Markdown table; the first row is the header (an empty one is made when there is none). */
  table(rows: string[][]): void {
    const width = Math.max(0, ...rows.map((row) => row.length));
    if (width === 0) return;
    const line = (row: string[]) =>
      `| ${Array.from({ length: width }, (_, i) => markdownCell(row[i] ?? '')).join(' | ')} |`;
    this.paragraphBreak();
    const start = this.text.length;
    this.text += `${line(rows[0]!)}\n| ${Array.from({ length: width }, () => '---').join(' | ')} |`;
    const headerEnd = this.text.length + 1;
    for (const row of rows.slice(1)) this.text += `\n${line(row)}`;
    this.blocks.push({
      type: 'table',
      start,
      end: this.text.length,
      headerEnd: Math.min(headerEnd, this.text.length),
    });
    this.paragraphBreak();
  }

  record(text: string, header?: string): void {
    this.paragraphBreak();
    const start = this.text.length;
    this.text += text;
    this.blocks.push({ type: 'record', start, end: this.text.length, ...(header ? { header } : {}) });
  }

  page(page: number, text: string): void {
    if (this.text.length) this.text += '\n\n';
    const start = this.text.length;
    this.text += text;
    this.pages.push({ page, start, end: this.text.length });
  }

  finish(mediaType: string, metadata: LoadedDocument['metadata'] = {}): LoadedDocument {
    const text = this.text.replace(/\s+$/, '');
    const document: LoadedDocument = { text, mediaType, metadata, warnings: [] };
    if (this.blocks.length)
      document.blocks = this.blocks.map((block) => ({ ...block, end: Math.min(block.end, text.length) }));
    if (this.pages.length)
      document.pages = this.pages.map((page) => ({ ...page, end: Math.min(page.end, text.length) }));
    return document;
  }
}
