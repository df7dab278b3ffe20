/**
 * @module rag/chunking/split-text
 * Splits a span of text into pieces no larger than the chunk size by trying separators in order
 * (recursive splitting, as LangChain's RecursiveCharacterTextSplitter does), then packs pieces
 * into chunks with overlap. Everything works on offsets into the document, so every chunk's text
 * is exactly `text.slice(start, end)`.
 */
import type { Measure } from './measure.js';
import { type Span, splitSentences, trimSpan } from './sentences.js';

/** A separator: a literal string, `sentence` (sentence boundaries), or `` (characters). */
export type Separator = string;

export interface PackOptions {
  size: number;
  overlap: number;
  measure: Measure;
}

function splitAt(text: string, span: Span, separator: Separator): Span[] {
  if (separator === 'sentence') return splitSentences(text, span.start, span.end);
  const pieces: Span[] = [];
  let start = span.start;
  for (;;) {
    const at = text.indexOf(separator, start);
    if (at < 0 || at >= span.end) break;
    const end = at + separator.length; // the separator stays with the piece before it
    if (end > start) pieces.push({ start, end });
    start = end;
  }
  if (start < span.end) pieces.push({ start, end: span.end });
  return pieces;
}

/** Cuts a span into windows of at most `size` by measure (character level, last resort). */
function hardSplit(text: string, span: Span, options: PackOptions): Span[] {
  const pieces: Span[] = [];
  let start = span.start;
  while (start < span.end) {
    let low = start + 1;
    let high = span.end;
    // Largest end with measure <= size (binary search: measures grow with length).
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (options.measure(text.slice(start, mid)) <= options.size) low = mid;
      else high = mid - 1;
    }
    // Do not cut a surrogate pair in half.
    let end = low;
    const code = text.charCodeAt(end - 1);
    if (end < span.end && code >= 0xd800 && code <= 0xdbff && end - 1 > start) end--;
    pieces.push({ start, end });
    start = end;
  }
  return pieces;
}

/** Pieces of `span`, each within `size`, using `separators` from coarsest to finest. */
export function splitRecursively(
  text: string,
  span: Span,
  separators: readonly Separator[],
  options: PackOptions,
): Span[] {
  if (options.measure(text.slice(span.start, span.end)) <= options.size) return [span];
  const [separator, ...finer] = separators;
  if (separator === undefined || separator === '') return hardSplit(text, span, options);
  const pieces: Span[] = [];
  for (const piece of splitAt(text, span, separator)) {
    if (options.measure(text.slice(piece.start, piece.end)) <= options.size) pieces.push(piece);
    else pieces.push(...splitRecursively(text, piece, finer, options));
  }
  return pieces;
}

/**
 * Packs consecutive pieces into chunks of at most `size`; each chunk after the first starts with
 * the trailing pieces of the previous one that fit in `overlap`. Returns trimmed spans.
 */
export function packPieces(text: string, pieces: readonly Span[], options: PackOptions): Span[] {
  const sizes = pieces.map((piece) => options.measure(text.slice(piece.start, piece.end)));
  const chunks: Span[] = [];
  let first = 0;
  while (first < pieces.length) {
    let last = first;
    let total = sizes[first]!;
    while (last + 1 < pieces.length && total + sizes[last + 1]! <= options.size) total += sizes[++last]!;
    const span = trimSpan(text, pieces[first]!.start, pieces[last]!.end);
    if (span.end > span.start) chunks.push(span);
    if (last + 1 >= pieces.length) break;
    // Step back over trailing pieces for the overlap, but always move forward.
    let next = last + 1;
    let overlap = 0;
    while (next - 1 > first && overlap + sizes[next - 1]! <= options.overlap) overlap += sizes[--next]!;
    first = next;
  }
  return chunks;
}
