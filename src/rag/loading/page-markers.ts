/**
 * @module rag/loading/page-markers
 * Markdown written by Keel's text extraction (src/extraction) marks where each page of the source
 * starts with a `<!-- page N -->` line. A collection that ingests such Markdown keeps the pages:
 * the markers are taken out of the text and become page spans, so chunks cite the source's pages.
 */
import type { PageSpan } from '../../spec/loader.js';

const marker = /^<!-- page (\d+) -->\n(?:\n)?/gmu;

/** The text without page markers and the pages they delimit; no pages when there are no markers. */
export function splitPageMarkers(text: string): { text: string; pages: PageSpan[] } {
  const found = [...text.matchAll(marker)];
  if (found.length === 0) return { text, pages: [] };
  let out = text.slice(0, found[0]!.index);
  const pages: PageSpan[] = [];
  found.forEach((match, i) => {
    const bodyStart = match.index + match[0].length;
    const bodyEnd = found[i + 1]?.index ?? text.length;
    const start = out.length;
    out += text.slice(bodyStart, bodyEnd);
    pages.push({ page: Number(match[1]), start, end: out.trimEnd().length });
  });
  return { text: out, pages };
}
