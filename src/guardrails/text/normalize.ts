/**
 * @module guardrails/text/normalize
 * Undoing the spellings people use to slip past word filters: full-width forms, zero-width and
 * bidi characters, leetspeak, letters stretched by repetition, and letters pulled apart by
 * spaces or symbols ("f.u.c.k", "h a t e", "씨 발"). The normalised text is for matching only;
 * offsets always refer to the original.
 */

// Built from a string: the class mixes combining marks (U+034F, variation selectors) with others.
// biome-ignore lint/complexity/useRegexLiterals: a literal would trip the combining-mark class check
const invisible = new RegExp(
  '[\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180b-\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u206f\\u3164\\ufe00-\\ufe0f\\ufeff\\uffa0]|\\udb40[\\udc00-\\udc7f]',
  'g',
);

const leet: Record<string, string> = {
  '4': 'a',
  '@': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  '5': 's',
  $: 's',
  '7': 't',
  '+': 't',
  '8': 'b',
  '9': 'g',
  '|': 'l',
};

// Latin look-alikes from Cyrillic and Greek.
const homoglyphs: Record<string, string> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ӏ: 'l',
  α: 'a',
  ο: 'o',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  τ: 't',
  υ: 'u',
};

/** Full-width → ASCII, invisible characters removed, lower case, look-alikes folded. */
export function foldText(text: string): string {
  let folded = text.replace(invisible, '');
  if (/[\uff01-\uff5e]/.test(folded))
    folded = folded.replace(/[\uff01-\uff5e]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0));
  folded = folded.toLowerCase();
  if (/[\u0370-\u04ff]/.test(folded))
    folded = folded.replace(/[\u0370-\u04ff]/g, (char) => homoglyphs[char] ?? char);
  return folded;
}

/** Whether a UTF-16 code unit is whitespace to a regular expression (`\s`). */
export function isWhitespace(code: number): boolean {
  return (
    code === 32 ||
    (code >= 9 && code <= 13) ||
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

/** Characters foldText leaves as they are, apart from ASCII case (few ranges: a fast scan). */
const surelyPlain = /[^\0-\xac\u3000-\u9fff\uac00-\ud7a3]/g;
/** Per UTF-16 code unit: 0 not yet known, 1 foldText keeps it, 2 folds it to one other, 3 more. */
const folding = new Uint8Array(0x10000);
const foldedTo = new Uint16Array(0x10000);

function foldingOf(code: number): number {
  if (!folding[code]) {
    let unit = String.fromCharCode(code);
    // A high surrogate is kept when every character it can begin is (tag characters are not).
    if (code >= 0xd800 && code <= 0xdbff)
      for (let low = 0xdc00; low <= 0xdfff; low++) unit += String.fromCharCode(code, low);
    const folded = foldText(unit);
    // Capital sigma folds by context (final ς); such text takes the whole foldText.
    if (folded === unit) folding[code] = 1;
    else if (folded.length === 1 && code !== 0x3a3 && !(code >= 0xd800 && code <= 0xdfff)) {
      folding[code] = 2;
      foldedTo[code] = folded.charCodeAt(0);
    } else folding[code] = 3;
  }
  return folding[code]!;
}

/** Offsets of the characters that foldText may change, drop or expand, and of some it keeps. */
export function foldCandidates(text: string): number[] {
  const offsets: number[] = [];
  surelyPlain.lastIndex = 0;
  for (let match = surelyPlain.exec(text); match; match = surelyPlain.exec(text)) offsets.push(match.index);
  return offsets;
}

/**
 * foldText(text) up to ASCII letter case: same length and offsets, so a case-insensitive match
 * finds the same in both. Much cheaper when folding changes only a few characters one for one.
 * `candidates` are foldCandidates of a text `text` starts at `shift` in, when already known.
 */
export function foldExceptCase(
  text: string,
  candidates: readonly number[] = foldCandidates(text),
  shift = 0,
): string {
  let folded = '';
  let last = 0;
  let low = 0;
  for (let high = candidates.length; low < high; ) {
    const middle = (low + high) >>> 1;
    if (candidates[middle]! < shift) low = middle + 1;
    else high = middle;
  }
  for (let next = low; next < candidates.length; next++) {
    const index = candidates[next]! - shift;
    if (index >= text.length) break;
    const code = text.charCodeAt(index);
    const kind = foldingOf(code);
    if (kind === 1) continue;
    if (kind === 3) return foldText(text);
    folded += text.slice(last, index) + String.fromCharCode(foldedTo[code]!);
    last = index + 1;
  }
  return last === 0 ? text : folded + text.slice(last);
}

/** True when the text shows signs of evasion worth the slower normalised match. */
export function looksEvasive(text: string): boolean {
  return (
    /[\u3131-\u318e\uff01-\uff5e\u200b-\u200f\u2060\ufeff\u0370-\u04ff]/.test(text) ||
    /[a-z][0-9@$!|+][a-z]/i.test(text) ||
    /(?:^|[\s.*_\-~])[a-zA-Z\uac00-\ud7a3](?:[\s.*_\-~]{1,2}[a-zA-Z\uac00-\ud7a3]){2,}(?=$|[\s.*_\-~])/.test(
      text,
    ) ||
    /([a-zA-Z\uac00-\ud7a3])\1\1/.test(text)
  );
}

/** Leet digits and symbols inside words back to letters ("h4te" → "hate", "$hit" → "shit"). */
export function unLeet(text: string): string {
  return text.replace(
    /(?<=[a-z])[0-9@$!|+]+(?=[a-z])|(?<=[a-z])[0-9@$!|+](?=\b)|\b[@$5](?=[a-z])/g,
    (chars) => [...chars].map((char) => leet[char] ?? char).join(''),
  );
}

/** Runs of three or more of one letter become one ("fuuuck" → "fuck", "씨이이발" stays). */
export function collapseRepeats(text: string): string {
  return text.replace(/(\p{L})\1{2,}/gu, '$1');
}

/** Single letters pulled apart by spaces or symbols are joined ("h a t e" → "hate", "씨.발" → "씨발"). */
export function joinSpacedLetters(text: string): string {
  return text.replace(/(?:^|(?<=[\s.*_\-~]))\p{L}(?:[\s.*_\-~]{1,2}\p{L}){2,}(?=$|[\s.*_\-~,!?])/gu, (run) =>
    run.replace(/[\s.*_\-~]+/g, ''),
  );
}

/** Everything a matcher needs: folded, un-leeted, repeats collapsed, spaced letters joined. */
export function normalizeForMatching(text: string): string {
  return joinSpacedLetters(collapseRepeats(unLeet(foldText(text))));
}

/**
 * Removes the characters `pattern` matches and returns the rest with, for every remaining
 * character, its index in the original — so spans found in the cleaned text map back exactly.
 */
export function stripWithMap(text: string, pattern: RegExp): { text: string; map: Int32Array } {
  const global = new RegExp(
    pattern.source,
    pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
  );
  const map = new Int32Array(text.length + 1);
  let out = '';
  let last = 0;
  for (let match = global.exec(text); match; match = global.exec(text)) {
    for (let i = last; i < match.index; i++) map[out.length + (i - last)] = i;
    out += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (match[0].length === 0) global.lastIndex++;
  }
  for (let i = last; i < text.length; i++) map[out.length + (i - last)] = i;
  out += text.slice(last);
  map[out.length] = text.length;
  return { text: out, map: map.subarray(0, out.length + 1) };
}
