/**
 * @module guardrails/text/sentences
 * Sentence boundaries for Korean and English text: terminal punctuation (. ! ? 。 ！ ？ …) followed
 * by space or the end, newlines, and Korean sentence endings written without punctuation
 * (…다 / …요 / …죠 / …까 before a space and a new clause is not split — only punctuation and
 * line breaks are reliable). Used by HAP scoring and the streaming guard.
 */

export interface SentenceRange {
  start: number;
  end: number;
}

const terminal = new Set(['.', '!', '?', '。', '！', '？', '…']);
const closers = new Set(['"', "'", '”', '’', ')', ']', '」', '』', '》']);

/** Index just after the first sentence end at or after `from`, or -1 when none is complete yet. */
export function nextSentenceEnd(text: string, from = 0, final = false): number {
  for (let i = from; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\n') return i + 1;
    if (!terminal.has(char)) continue;
    let end = i + 1;
    while (end < text.length && (terminal.has(text[end]!) || closers.has(text[end]!))) end++;
    if (end === text.length) return final ? end : -1;
    const next = text[end]!;
    // "3.5", "e.g.x", "www.site": a full stop inside a token is not a boundary.
    if (next === ' ' || next === '\n' || next === '\t' || next === '\r') return end;
    if (char !== '.' && /[가-힣A-Z]/.test(next)) return end;
  }
  return final && from < text.length ? text.length : -1;
}

/** All sentences of `text`, as offset ranges covering it (whitespace between them is left out). */
export function splitSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  let start = 0;
  while (start < text.length) {
    while (start < text.length && /\s/.test(text[start]!)) start++;
    if (start >= text.length) break;
    const end = nextSentenceEnd(text, start, true);
    let trimmed = end;
    while (trimmed > start && /\s/.test(text[trimmed - 1]!)) trimmed--;
    if (trimmed > start) ranges.push({ start, end: trimmed });
    start = end;
  }
  return ranges;
}
