/**
 * @module rag/chunking/sentences
 * Sentence boundaries for Korean and English. A sentence ends at . ! ? 。 … (closing quotes and
 * brackets included) before whitespace — "3.14" and "e.g." stay whole — and at a line break after
 * a Korean final ending (-다, -요, -죠, -까, -니다, -음, -함) written without a full stop. A blank
 * line always ends one.
 */

const abbreviations = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'st',
  'vs',
  'etc',
  'e.g',
  'i.e',
  'inc',
  'ltd',
  'co',
  'jr',
  'sr',
  'no',
  'fig',
  'u.s',
  'u.k',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'approx',
  'cf',
]);

/** Final endings that close a Korean sentence written without a full stop (니다 ends in 다). */
const koreanEndings = new Set(['다', '요', '죠', '까', '음', '함']);

/**
 * True when `text[start, end)`, trailing whitespace aside, ends with a Korean final ending. Looks
 * at the last character only: a regex anchored at `$` would scan the whole line, and a long text
 * of short lines would cost quadratic time.
 */
function endsWithKoreanEnding(text: string, start: number, end: number): boolean {
  let last = end;
  while (last > start && isSpace(text.charCodeAt(last - 1))) last--;
  return last > start && koreanEndings.has(text[last - 1]!);
}

export interface Span {
  start: number;
  end: number;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x3000 || code === 0xa0;
}

/** Trims whitespace off a span of `text`; empty spans come back with start === end. */
export function trimSpan(text: string, start: number, end: number): Span {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

function wordBefore(text: string, at: number): string {
  let i = at;
  while (i > 0 && !isSpace(text.charCodeAt(i - 1))) i--;
  return text.slice(i, at);
}

/**
 * Sentence spans of `text[from, to)`, trimmed, in order.
 *
 * @example
 * splitSentences('서울에 갔다. 비가 왔어요! Dr. Kim left.') // three spans
 */
export function splitSentences(text: string, from = 0, to = text.length): Span[] {
  const spans: Span[] = [];
  let start = from;
  const push = (end: number) => {
    const span = trimSpan(text, start, end);
    if (span.end > span.start) spans.push(span);
    start = end;
  };
  for (let i = from; i < to; i++) {
    const ch = text[i]!;
    if (ch === '\n') {
      let j = i + 1;
      while (j < to && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (text[j] === '\n' || endsWithKoreanEnding(text, start, i)) push(i + 1);
      continue;
    }
    if (ch !== '.' && ch !== '!' && ch !== '?' && ch !== '。' && ch !== '！' && ch !== '？' && ch !== '…')
      continue;
    let end = i + 1;
    while (end < to && /[.!?。！？…"'”’)\]」』]/.test(text[end]!)) end++;
    if (end < to && !isSpace(text.charCodeAt(end)) && ch !== '。' && ch !== '！' && ch !== '？') {
      i = end - 1;
      continue;
    }
    if (ch === '.') {
      const word = wordBefore(text, i).toLowerCase();
      // Abbreviations, initials (J. Smith) and list numbers (1. 2.) do not end sentences.
      if (abbreviations.has(word) || /^[a-z]$/.test(word) || /^\d{1,3}$/.test(word)) {
        i = end - 1;
        continue;
      }
    }
    push(end);
    i = end - 1;
  }
  push(to);
  return spans;
}
