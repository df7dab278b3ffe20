/**
 * @module guardrails/text/sentences
 * Sentence boundaries for Korean and English text: terminal punctuation (. ! ? 。 ！ ？ …) followed
 * by space or the end, newlines, and Korean sentence endings written without punctuation
 * (…다 / …요 / …죠 / …까 before a space and a new clause is not split — only punctuation and
 * line breaks are reliable). Used by HAP scoring and the streaming guard. Characters are read as
 * char codes: these loops run over every character of a document.
 */

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

/** What `/\s/` matches, as char codes. */
export function isSpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Index just after the first sentence end at or after `from`, or -1 when none is complete yet. */
export function nextSentenceEnd(text: string, from = 0, final = false): number {
  const length = text.length;
  for (let i = from; i < length; i++) {
    const code = text.charCodeAt(i);
    const kind = kinds[code]!;
    if ((kind & (TERMINAL | NEWLINE)) === 0) continue;
    if (kind === NEWLINE) return i + 1;
    let end = i + 1;
    while (end < length && (kinds[text.charCodeAt(end)]! & (TERMINAL | CLOSER)) !== 0) end++;
    if (end === length) return final ? end : -1;
    const next = text.charCodeAt(end);
    // "3.5", "e.g.x", "www.site": a full stop inside a token is not a boundary.
    if (next === 0x20 || next === 0x0a || next === 0x09 || next === 0x0d) return end;
    // After ! ? 。 and the like, a Hangul syllable or a capital letter starts a new sentence.
    if (code !== 0x2e && ((next >= 0xac00 && next <= 0xd7a3) || (next >= 0x41 && next <= 0x5a))) return end;
  }
  return final && from < length ? length : -1;
}

/** All sentences of `text`, as offset ranges covering it (whitespace between them is left out). */
export function splitSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  const length = text.length;
  let start = 0;
  while (start < length) {
    while (start < length && isSpaceCode(text.charCodeAt(start))) start++;
    if (start >= length) break;
    const end = nextSentenceEnd(text, start, true);
    let trimmed = end;
    while (trimmed > start && isSpaceCode(text.charCodeAt(trimmed - 1))) trimmed--;
    if (trimmed > start) ranges.push({ start, end: trimmed });
    start = end;
  }
  return ranges;
}
