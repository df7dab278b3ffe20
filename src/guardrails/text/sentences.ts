/**
 * @module guardrails/text/sentences
 * Sentence boundaries for Korean and English text: terminal punctuation (. ! ? 。 ！ ？ …) followed
 * by space or the end, newlines, and Korean sentence endings written without punctuation
 * (…다 / …요 / …죠 / …까 before a space and a new clause is not split — only punctuation and
 * line breaks are reliable). Used by HAP scoring and the streaming guard. Characters are read as
 * char codes: these loops run over every character of a document.
 */
import { isWhitespace } from './normalize.js';

export interface SentenceRange {
  start: number;
  end: number;
}

// Character kinds by char code: one table lookup per character in the scanning loop.
const TERMINAL = 1; // . ! ? 。 ！ ？ …
const CLOSER = 2; // " ' ” ’ ) ] 」 』 》
const NEWLINE = 4;
const kinds = new Uint8Array(0x10000);
for (const char of '.!?。！？…') kinds[char.charCodeAt(0)] = TERMINAL;
for (const char of '"\'”’)]」』》') kinds[char.charCodeAt(0)] = CLOSER;
kinds[0x0a] = NEWLINE;

/**
 * For a terminal or newline at `i`: the index just after the sentence end it makes, -1 when it
 * makes none, or -2 when that depends on text still to come (`final` false). Whether a character
 * ends a sentence depends only on it and what follows it.
 */
function endAt(text: string, i: number, final: boolean): number {
  const length = text.length;
  const code = text.charCodeAt(i);
  const kind = kinds[code]!;
  if (kind === NEWLINE) return i + 1;
  if (kind !== TERMINAL) return -1;
  let end = i + 1;
  while (end < length && (kinds[text.charCodeAt(end)]! & (TERMINAL | CLOSER)) !== 0) end++;
  if (end === length) return final ? end : -2;
  const next = text.charCodeAt(end);
  // "3.5", "e.g.x", "www.site": a full stop inside a token is not a boundary.
  if (next === 0x20 || next === 0x0a || next === 0x09 || next === 0x0d) return end;
  // After ! ? 。 and the like, a Hangul syllable or a capital letter starts a new sentence.
  if (code !== 0x2e && ((next >= 0xac00 && next <= 0xd7a3) || (next >= 0x41 && next <= 0x5a))) return end;
  return -1;
}

/** Index just after the first sentence end at or after `from`, or -1 when none is complete yet. */
export function nextSentenceEnd(text: string, from = 0, final = false): number {
  const length = text.length;
  for (let i = from; i < length; i++) {
    if ((kinds[text.charCodeAt(i)]! & (TERMINAL | NEWLINE)) === 0) continue;
    const end = endAt(text, i, final);
    if (end === -2) return -1;
    if (end >= 0) return end;
  }
  return final && from < length ? length : -1;
}

/** The sentence `splitSentences` puts offset `at` in, and where the next one may begin. */
export interface SentenceAt {
  /** The sentence, or undefined when `at` is whitespace between sentences. */
  range: SentenceRange | undefined;
  /** A sentence boundary at or before every offset after `at` not in `range`. */
  next: number;
}

/**
 * The sentence of `splitSentences(text)` holding offset `at`, found from the nearest sentence
 * end before it — no need to split the whole text to place a few offsets. `floor` is a known
 * sentence boundary at or before `at` (0, or the `next` of an earlier call with a smaller `at`).
 */
export function sentenceAt(text: string, at: number, floor = 0): SentenceAt {
  let boundary = floor;
  for (let j = at - 1; j >= floor; j--) {
    if ((kinds[text.charCodeAt(j)]! & (TERMINAL | NEWLINE)) === 0) continue;
    const end = endAt(text, j, true);
    // A terminal whose run reaches past `at` ends the sentence `at` is in: look further back.
    if (end >= 0 && end <= at) {
      boundary = end;
      break;
    }
  }
  const length = text.length;
  let start = boundary;
  while (start < length && isWhitespace(text.charCodeAt(start))) start++;
  if (start > at) return { range: undefined, next: boundary };
  const end = nextSentenceEnd(text, start, true);
  let trimmed = end;
  while (trimmed > start && isWhitespace(text.charCodeAt(trimmed - 1))) trimmed--;
  return { range: at < trimmed ? { start, end: trimmed } : undefined, next: end };
}

/** All sentences of `text`, as offset ranges covering it (whitespace between them is left out). */
export function splitSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  const length = text.length;
  let start = 0;
  while (start < length) {
    while (start < length && isWhitespace(text.charCodeAt(start))) start++;
    if (start >= length) break;
    const end = nextSentenceEnd(text, start, true);
    let trimmed = end;
    while (trimmed > start && isWhitespace(text.charCodeAt(trimmed - 1))) trimmed--;
    if (trimmed > start) ranges.push({ start, end: trimmed });
    start = end;
  }
  return ranges;
}
