/**
 * @module guardrails/hap/triggers
 * Where in a text something HAP could score starts: every offset at which a trigger pattern
 * matches, exactly as a global scan (`exec` in a loop, from the start) finds them. Scanning the
 * whole text with each pattern is slow — the lexicons are long alternations whose first
 * characters are most Hangul syllables and Latin letters, so the regex engine tries them at
 * almost every position. Instead the positions where a match could start are found first — a
 * superset: the patterns' own start keys, as words of the anchor-word scan every detector shares
 * (../text/anchor-words), and for the signs of evasion one pass over the char codes — and each
 * pattern runs, sticky, only at those.
 */
import type { TextScope } from '../../spec/detector.js';
import { anchorHits, registerAnchorWords, registerCharacterContexts } from '../text/anchor-words.js';
import { isWhitespace } from '../text/normalize.js';
import { scopeFor } from '../text/text-scope.js';
import { foldCase, startKeys } from './start-keys.js';

/** Hangul syllables a spaced-out swear word starts with ("씨 발", "병 신", "ㅅ ㅂ"). */
export const spacedProfanityStart =
  /(?<![\uac00-\ud7a3])[씨시쒸쉬씌ㅅㅆ병븅빙ㅂ좆존졸ㅈ개새ㄱ미ㅁ닥꺼지염][\s.*_\-~·,]+[\u3131-\u318e\uac00-\ud7a3](?![\uac00-\ud7a3])/;

// Signs of evasion, and what a match needs at its first two or three characters.
const evasionChar = /[\u3131-\u318e\uff01-\uff5e\u200b-\u200f\u2060\ufeff\u0370-\u04ff*]/g;
const leet = /[a-z][0-9@$!|+][a-z]/gi;
const repeated = /([a-zA-Z\uac00-\ud7a3])\1\1/g;
const spacedLetters =
  /(?:^|[\s.*_\-~])[a-zA-Z\uac00-\ud7a3](?:[\s.*_\-~]{1,2}[a-zA-Z\uac00-\ud7a3]){2,}(?=$|[\s.*_\-~])/g;
const spacedProfanity = new RegExp(spacedProfanityStart.source, 'g');

// Character kinds by char code, read from the patterns' own classes.
const EVASION = 1;
const LATIN = 2;
const LETTER = 4;
const SEPARATOR = 8;
const LEET = 16;
const SPACED_START = 32;
const SPACED_SEPARATOR = 64;
const kinds = new Uint8Array(0x10000);
/** Marks `kind` on the characters listed and on [from, to] ranges (the patterns' own classes). */
function mark(kind: number, chars: string, ranges: readonly (readonly [number, number])[] = []): void {
  for (const char of chars) kinds[char.charCodeAt(0)]! |= kind;
  for (const [from, to] of ranges) for (let code = from; code <= to; code++) kinds[code]! |= kind;
}
const whitespace: [number, number][] = [];
for (let code = 0; code < 0x10000; code++) if (isWhitespace(code)) whitespace.push([code, code]);
const latin = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
mark(EVASION, '*\u2060\ufeff', [
  [0x3131, 0x318e],
  [0xff01, 0xff5e],
  [0x200b, 0x200f],
  [0x0370, 0x04ff],
]);
mark(LATIN, latin);
mark(LETTER, latin, [[0xac00, 0xd7a3]]);
mark(SEPARATOR, '.*_-~', whitespace);
mark(LEET, '0123456789@$!|+');
mark(SPACED_START, '씨시쒸쉬씌ㅅㅆ병븅빙ㅂ좆존졸ㅈ개새ㄱ미ㅁ닥꺼지염');
mark(SPACED_SEPARATOR, '.*_-~·,', whitespace);
// The kinds above take ten values: as classes of four bits, the kinds of three characters in a row
// index a table of the signs of evasion the middle one can make.
const kindValues = [...new Set(kinds)].sort((a, b) => a - b);
if (kindValues.length > 16) throw new Error('HAP character kinds do not fit four bits');
const classOf = new Uint8Array(0x10000);
for (let code = 0; code < 0x10000; code++) classOf[code] = kindValues.indexOf(kinds[code]!);
const NOTHING = kindValues.indexOf(0);
const SPACE = classOf[0x20]!;
const SIGN_EVASION = 1;
const SIGN_LEET = 2;
const SIGN_SPACED_SWEAR = 4;
const SIGN_SINGLE = 8;
const signsOf = new Uint8Array(0x1000);
for (let window = 0; window < 0x1000; window++) {
  const [before, kind, after] = [window >> 8, (window >> 4) & 15, window & 15].map(
    (index) => kindValues[index] ?? 0,
  ) as [number, number, number];
  signsOf[window] =
    (kind & EVASION ? SIGN_EVASION : 0) |
    (before & LATIN && kind & LEET && after & LATIN ? SIGN_LEET : 0) |
    (kind & SPACED_START && after & SPACED_SEPARATOR ? SIGN_SPACED_SWEAR : 0) |
    (before & SEPARATOR && kind & LETTER && after & SEPARATOR ? SIGN_SINGLE : 0);
}
// The shared scan reports where the signs can be and where three identical characters begin.
registerCharacterContexts('hapSigns', {
  classes: classOf,
  marks: signsOf,
  outside: { before: NOTHING, after: SPACE },
});
const HANGUL_OR_JAMO = (code: number) =>
  (code >= 0x3131 && code <= 0x318e) || (code >= 0xac00 && code <= 0xd7a3);
const syllable = (code: number) => code >= 0xac00 && code <= 0xd7a3;

/** Every spelling of a start key the `i` flag (or, for ASCII letters, case alone) lets match. */
function spellings(key: string): string[] {
  const variants = (char: string) => {
    const lower = foldCase(char);
    if (lower !== char || !/[a-z]/.test(char)) return lower === char ? [char] : [char, lower];
    return [char, char.toUpperCase(), ...(char === 's' ? ['\u017f'] : char === 'k' ? ['\u212a'] : [])];
  };
  return [...key].reduce<string[]>(
    (prefixes, char) => prefixes.flatMap((prefix) => variants(char).map((variant) => prefix + variant)),
    [''],
  );
}

export interface TriggerPattern {
  /** Its matches are wanted. */
  pattern: RegExp;
  /** It matches only at the start of a word (`\b` or a letter lookbehind opens it). */
  wordStart?: boolean;
}

/** Finds the match offsets of a fixed list of lexical trigger patterns and of the signs of evasion. */
export class TriggerScanner {
  private readonly sticky: RegExp[];
  private readonly wordStart: boolean[];
  /** The start keys' anchor-word groups: by trigger and by how far before its key a match may start. */
  private readonly groups: { name: string; trigger: number; back: number }[] = [];
  private static instances = 0;

  constructor(lexical: readonly TriggerPattern[]) {
    const all: TriggerPattern[] = [
      ...lexical,
      ...[evasionChar, leet, repeated, spacedLetters, spacedProfanity].map((pattern) => ({ pattern })),
    ];
    this.sticky = all.map(({ pattern }) => new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`));
    this.wordStart = all.map((trigger) => trigger.wordStart === true);
    const words: Record<string, string[]> = {};
    const prefix = `hap${TriggerScanner.instances++}`;
    lexical.forEach(({ pattern }, trigger) => {
      for (const [key, back] of startKeys(pattern, 4)) {
        const group = `${trigger}/${back}`;
        const name = `${prefix}.${group}`;
        if (!words[group]) {
          words[group] = [];
          this.groups.push({ name, trigger, back });
        }
        // Keys are lower-cased under `i`; the text is not, so every spelling is a word to find.
        words[group]!.push(...spellings(key));
      }
    });
    // A word-start trigger cannot match between two ASCII letters or digits.
    const options = Object.fromEntries(
      Object.keys(words).map((group) => [
        group,
        { wordStart: this.wordStart[Number(group.split('/')[0])] === true },
      ]),
    );
    registerAnchorWords(prefix, words, options);
  }

  /** Offsets, ascending, at which some trigger's global scan finds a match. */
  positions(text: string, scope?: TextScope): number[] {
    return this.matches(text, scope).all;
  }

  /** The offsets of `positions`, and those of each trigger apart (lexical ones first, in order). */
  matches(text: string, scope?: TextScope): { all: number[]; byTrigger: number[][] } {
    const { sticky } = this;
    const evasion = sticky.length - 5;
    const candidates: number[][] = sticky.map(() => []);
    const hits = scopeFor(text, scope).memo(anchorHits);
    for (const { name, trigger, back } of this.groups) {
      const list = candidates[trigger]!;
      for (const at of hits[name] ?? []) {
        for (let start = Math.max(0, at - back); start <= at; start++) list.push(start);
      }
    }
    this.evasionSigns(text, hits, candidates.slice(evasion));
    const byTrigger = candidates.map((list, trigger) => {
      // Several key groups feed one trigger, so its list is sorted; the sign lists are in order.
      if (trigger < evasion) list.sort((a, b) => a - b);
      const found: number[] = [];
      scan(text, sticky[trigger]!, list, found);
      return found;
    });
    return { all: byTrigger.flat().sort((a, b) => a - b), byTrigger };
  }

  /**
   * Where each sign of evasion's pattern can match. The shared scan reports the positions whose
   * characters, with their neighbours, can make a sign (their classes index a table of the signs)
   * and where three identical characters begin; only those are looked at here.
   */
  private evasionSigns(
    text: string,
    hits: Readonly<Record<string, readonly number[]>>,
    lists: number[][],
  ): void {
    const [signs, leetSigns, repeats, spaced, spacedStart] = lists as [
      number[],
      number[],
      number[],
      number[],
      number[],
    ];
    const length = text.length;
    if (length === 0) return;
    if (length > 1 && kinds[text.charCodeAt(0)]! & LETTER && kinds[text.charCodeAt(1)]! & SEPARATOR)
      spaced.push(0);
    for (const at of hits['hapSigns.repeats'] ?? [])
      if (kinds[text.charCodeAt(at)]! & LETTER) repeats.push(at);
    for (const i of hits['hapSigns.contexts'] ?? []) {
      const before = i > 0 ? classOf[text.charCodeAt(i - 1)]! : NOTHING;
      const after = i + 1 < length ? classOf[text.charCodeAt(i + 1)]! : SPACE;
      const sign = signsOf[(before << 8) | (classOf[text.charCodeAt(i)]! << 4) | after]!;
      if (sign & SIGN_EVASION) signs.push(i);
      if (sign & SIGN_LEET) leetSigns.push(i - 1);
      if (sign & SIGN_SINGLE && singleLetters(text, i) >= 3) spaced.push(i - 1);
      // The pattern's lookbehind (no syllable before), and one syllable or jamo alone after the
      // separators.
      if (sign & SIGN_SPACED_SWEAR && i + 1 < length && !(i > 0 && syllable(text.charCodeAt(i - 1)))) {
        let end = i + 2;
        while (end < length && kinds[text.charCodeAt(end)]! & SPACED_SEPARATOR) end++;
        if (
          end < length &&
          HANGUL_OR_JAMO(text.charCodeAt(end)) &&
          !(end + 1 < length && syllable(text.charCodeAt(end + 1)))
        )
          spacedStart.push(i);
      }
    }
  }
}

/** How many letters stand alone in a row from `at`, each followed by one or two separators (or the end). */
function singleLetters(text: string, at: number): number {
  let count = 0;
  let i = at;
  while (i < text.length && kinds[text.charCodeAt(i)]! & LETTER) {
    const gap = i + 1;
    let end = gap;
    while (end < text.length && end - gap < 2 && kinds[text.charCodeAt(end)]! & SEPARATOR) end++;
    if (end < text.length && end === gap) break;
    count++;
    if (end >= text.length || count >= 3) break;
    i = end;
  }
  return count;
}

/**
 * The offsets a global scan of `pattern` finds, given every offset where it can match: a match
 * found at an offset hides those it covers, as the global scan resumes after it.
 */
function scan(text: string, pattern: RegExp, candidates: readonly number[], found: number[]): void {
  let resume = 0;
  let tried = -1;
  for (const at of candidates) {
    if (at < resume || at === tried) continue;
    tried = at;
    pattern.lastIndex = at;
    // A sticky `test` leaves lastIndex at the end of its match.
    if (pattern.test(text)) {
      found.push(at);
      resume = Math.max(at + 1, pattern.lastIndex);
    }
  }
}
