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

/**
 * Cuts a span into windows of at most `size` by measure (character level, last resort). Each
 * window is found by galloping (size, 2·size, 4·size … characters) and then binary search, so the
 * work is proportional to the window, not to the rest of a multi-megabyte span.
 */
function hardSplit(text: string, span: Span, options: PackOptions): Span[] {
  const pieces: Span[] = [];
  const fits = (start: number, end: number) => options.measure(text.slice(start, end)) <= options.size;
  let start = span.start;
  while (start < span.end) {
    // low always fits (at least one character is taken, so the loop moves forward); high is
    // the span's end or a point known not to fit.
    let low = start + 1;
    let high = span.end;
    let step = Math.max(1, Math.floor(options.size));
    while (low + step < span.end) {
      if (!fits(start, low + step)) {
        high = low + step - 1;
        break;
      }
      low += step;
      step *= 2;
    }
    if (high === span.end && fits(start, span.end)) low = span.end;
    // Largest end with measure <= size (binary search: measures grow with length).
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (fits(start, mid)) low = mid;
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

/**
 * Pieces of `span`, each within `size`, using `separators` from coarsest to finest. Iterative
 * (an explicit stack, no spread of large arrays), so megabytes of text with no separator, or with
 * separators nested deeply, cannot overflow the call stack.
 */
export function splitRecursively(
  text: string,
  span: Span,
  separators: readonly Separator[],
  options: PackOptions,
): Span[] {
  const pieces: Span[] = [];
  // Work items in reverse document order, so popping yields pieces in order.
  const stack: { span: Span; level: number }[] = [{ span, level: 0 }];
  while (stack.length) {
    const { span: current, level } = stack.pop()!;
    if (options.measure(text.slice(current.start, current.end)) <= options.size) {
      pieces.push(current);
      continue;
    }
    const separator = separators[level];
    if (separator === undefined || separator === '') {
      for (const piece of hardSplit(text, current, options)) pieces.push(piece);
      continue;
    }
    const parts = splitAt(text, current, separator);
    for (let i = parts.length - 1; i >= 0; i--) stack.push({ span: parts[i]!, level: level + 1 });
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
