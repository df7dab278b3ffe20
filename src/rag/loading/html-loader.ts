/**
 * @module rag/loading/html-loader
 * HTML to text: scripts, styles and other non-content elements dropped; headings become Markdown
 * headings (so heading-aware chunking works), tables become Markdown tables, list items become
 * `- ` lines, block elements end paragraphs. DOCX goes through here too (mammoth makes HTML).
 */
import { HTMLElement, type Node, parse, TextNode } from 'node-html-parser';
import type { LoadedDocument, LoaderV1 } from '../../spec/loader.js';
import { decodeText } from './sniff.js';
import { TextBuilder } from './text-builder.js';

const dropped = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'canvas',
  'iframe',
  'object',
  'head',
  'button',
  'select',
  'nav',
]);
const blocks = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'blockquote',
  'pre',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'figure',
  'figcaption',
  'address',
  'form',
  'fieldset',
  'details',
  'summary',
  'hr',
  'body',
  'html',
]);

function tableRows(table: HTMLElement): string[][] {
  const rows: string[][] = [];
  for (const row of table.querySelectorAll('tr')) {
    // Rows of nested tables belong to those tables.
    if (row.closest('table') !== table) continue;
    const cells = row.childNodes.filter(
      (node): node is HTMLElement =>
        node instanceof HTMLElement &&
        (node.rawTagName?.toLowerCase() === 'td' || node.rawTagName?.toLowerCase() === 'th'),
    );
    const values: string[] = [];
    for (const cell of cells) {
      values.push(cell.textContent);
      const span = Number(cell.getAttribute('colspan') ?? 1);
      for (let i = 1; i < Math.min(span, 50); i++) values.push('');
    }
    if (values.length) rows.push(values);
  }
  return rows;
}

function walk(node: Node, out: TextBuilder): void {
  if (node instanceof TextNode) {
    const text = node.text.replace(/\s+/g, ' ');
    if (text.trim() || (out.text && !/\s$/.test(out.text)))
      out.append(out.text.endsWith('\n') ? text.trimStart() : text);
    return;
  }
  if (!(node instanceof HTMLElement)) return;
  const tag = node.rawTagName?.toLowerCase() ?? '';
  if (dropped.has(tag)) return;
  const heading = /^h([1-6])$/.exec(tag);
  if (heading) {
    out.heading(Number(heading[1]), node.textContent);
    return;
  }
  if (tag === 'table') {
    out.table(tableRows(node));
    return;
  }
  if (tag === 'br') {
    out.append('\n');
    return;
  }
  if (tag === 'li') {
    out.append(out.text.endsWith('\n') || out.text === '' ? '- ' : '\n- ');
    for (const child of node.childNodes) walk(child, out);
    out.append('\n');
    return;
  }
  const isBlock = blocks.has(tag);
  if (isBlock) out.paragraphBreak();
  for (const child of node.childNodes) walk(child, out);
  if (isBlock) out.paragraphBreak();
}

/** Converts an HTML string to a loaded document. */
export function htmlToDocument(html: string, mediaType = 'text/html'): LoadedDocument {
  const root = parse(html, {
    comment: false,
    blockTextElements: { script: false, style: false, noscript: false, pre: true },
  });
  const out = new TextBuilder();
  const title = root.querySelector('title')?.textContent.trim();
  walk(root.querySelector('body') ?? root, out);
  return out.finish(mediaType, title ? { title } : {});
}

export const htmlLoader: LoaderV1 = {
  specificationVersion: 'v1',
  name: 'html',
  mediaTypes: ['text/html', 'application/xhtml+xml'],
  async load(input) {
    return htmlToDocument(decodeText(input.data));
  },
};
