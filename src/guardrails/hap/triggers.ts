/**
 * @module guardrails/hap/triggers
 * Where in a text something HAP could score starts: every offset at which a trigger pattern
 * matches, exactly as a global scan (`exec` in a loop, from the start) finds them. Scanning the
 * whole text with each pattern is slow — the lexicons are long alternations whose first
 * characters are most Hangul syllables and Latin letters, so the regex engine tries them at
 * almost every position. Instead one pass over the char codes finds the positions where a match
 * could start (a superset, from the patterns' own start keys or, for the signs of evasion, from
 * the characters the pattern needs there), and each pattern runs, sticky, only at those.
 */
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
const ALNUM = 128;
// Set per scanner: a start key of a trigger that matches anywhere, or only at a word start, begins with it.
const KEY_ANYWHERE = 256;
const KEY_WORD = 512;
const INTERESTING = EVASION | SEPARATOR | LEET | SPACED_START | KEY_ANYWHERE | KEY_WORD;
const kinds = new Uint16Array(0x10000);
for (const [kind, chars] of [
  [EVASION, /[\u3131-\u318e\uff01-\uff5e\u200b-\u200f\u2060\ufeff\u0370-\u04ff*]/],
  [LATIN, /[a-zA-Z]/],
  [LETTER, /[a-zA-Z\uac00-\ud7a3]/],
  [SEPARATOR, /[\s.*_\-~]/],
  [LEET, /[0-9@$!|+]/],
  [SPACED_START, /[씨시쒸쉬씌ㅅㅆ병븅빙ㅂ좆존졸ㅈ개새ㄱ미ㅁ닥꺼지염]/],
  [SPACED_SEPARATOR, /[\s.*_\-~·,]/],
  [ALNUM, /[a-zA-Z0-9]/],
] as const) {
  for (let code = 0; code < 0x10000; code++) if (chars.test(String.fromCharCode(code))) kinds[code]! |= kind;
}

/** Char codes folded as the `i` flag folds them onto the start keys' characters. */
const folded = new Uint16Array(0x10000);
for (let code = 0; code < 0x10000; code++) folded[code] = foldCase(String.fromCharCode(code)).charCodeAt(0);

export interface TriggerPattern {
  /** Its matches are wanted. */
  pattern: RegExp;
  /** It matches only at the start of a word (`\b` or a letter lookbehind opens it). */
  wordStart?: boolean;
}

interface Keyed {
  trigger: number;
  /** How many characters before the key the match may start. */
  back: number;
}

// Slots for keys: one-character keys by their char code, longer ones by a multiplicative hash
// (Hangul syllables differ in their low bits, which shifts would drop). Keys that share a slot
// share its list, which only adds offsets to try.
const SLOTS = 0x10000;
const pairSlot = (a: number, b: number) => Math.imul((a << 16) | b, 0x9e3779b1) >>> 16;
const tripleSlot = (a: number, b: number, c: number) =>
  Math.imul(((a << 16) | b) ^ Math.imul(c, 0x85ebca6b), 0x9e3779b1) >>> 16;

/** Finds the match offsets of a fixed list of lexical trigger patterns and of the signs of evasion. */
export class TriggerScanner {
  private readonly sticky: RegExp[];
  private readonly wordStart: boolean[];
  /** Lists of keyed triggers by slot: list number + 1, 0 for none. */
  private readonly singles = new Int32Array(SLOTS);
  private readonly pairs = new Int32Array(SLOTS);
  private readonly triples = new Int32Array(SLOTS);
  private readonly lists: Keyed[][] = [];
  /** The character kinds, with KEY_ANYWHERE and KEY_WORD for this scanner's keys. */
  private readonly kinds = kinds.slice();

  constructor(lexical: readonly TriggerPattern[]) {
    const all: TriggerPattern[] = [
      ...lexical,
      ...[evasionChar, leet, repeated, spacedLetters, spacedProfanity].map((pattern) => ({ pattern })),
    ];
    this.sticky = all.map(({ pattern }) => new RegExp(pattern.source, `${pattern.flags.replace('g', '')}y`));
    this.wordStart = all.map((trigger) => trigger.wordStart === true);
    const keyStarts = new Uint16Array(0x10000);
    lexical.forEach(({ pattern, wordStart }, trigger) => {
      for (const [key, back] of startKeys(pattern, 3)) {
        const [a, b, c] = [0, 1, 2].map((index) => folded[key.charCodeAt(index)] ?? 0) as [
          number,
          number,
          number,
        ];
        keyStarts[a]! |= wordStart ? KEY_WORD : KEY_ANYWHERE;
        const [slots, slot] =
          key.length === 1
            ? [this.singles, a]
            : key.length === 2
              ? [this.pairs, pairSlot(a, b)]
              : [this.triples, tripleSlot(a, b, c)];
        if (slots[slot] === 0) slots[slot] = this.lists.push([]);
        this.lists[slots[slot]! - 1]!.push({ trigger, back });
      }
    });
    for (let code = 0; code < 0x10000; code++) this.kinds[code]! |= keyStarts[folded[code]!]!;
  }

  /** Offsets, ascending, at which some trigger's global scan finds a match. */
  positions(text: string): number[] {
    const { sticky, wordStart, singles, pairs, triples, lists, kinds: table } = this;
    const evasion = sticky.length - 5;
    const candidates: number[][] = sticky.map(() => []);
    const add = (slot: number, i: number, inWord: boolean) => {
      for (const { trigger, back } of lists[slot - 1]!) {
        if (inWord && wordStart[trigger]) continue;
        for (let at = Math.max(0, i - back); at <= i; at++) candidates[trigger]!.push(at);
      }
    };
    const [signs, leetSigns, repeats, spaced, spacedStart] = candidates.slice(evasion) as [
      number[],
      number[],
      number[],
      number[],
      number[],
    ];
    const length = text.length;
    if (length > 1 && table[text.charCodeAt(0)]! & LETTER && table[text.charCodeAt(1)]! & SEPARATOR)
      spaced.push(0);
    let previous = -1;
    let beforePrevious = -1;
    let previousKind = 0;
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      const kind = table[code]!;
      if (code === previous && code === beforePrevious && kind & LETTER) repeats.push(i - 2);
      if (kind & INTERESTING) {
        // A word-start trigger cannot match between two ASCII letters or digits.
        const inWord = (previousKind & kind & ALNUM) !== 0;
        if (kind & KEY_ANYWHERE || (kind & KEY_WORD && !inWord)) {
          const first = folded[code]!;
          const second = i + 1 < length ? folded[text.charCodeAt(i + 1)]! : 0;
          const third = i + 2 < length ? folded[text.charCodeAt(i + 2)]! : 0;
          const single = singles[first]!;
          const pair = pairs[pairSlot(first, second)]!;
          const triple = triples[tripleSlot(first, second, third)]!;
          if (single !== 0) add(single, i, inWord);
          if (pair !== 0) add(pair, i, inWord);
          if (triple !== 0) add(triple, i, inWord);
        }
        if (kind & EVASION) signs.push(i);
        if (kind & (LEET | SEPARATOR | SPACED_START) && i + 1 < length) {
          const nextKind = table[text.charCodeAt(i + 1)]!;
          if (kind & LEET && previousKind & LATIN && nextKind & LATIN) leetSigns.push(i - 1);
          // The pattern's lookbehind: no syllable before.
          if (
            kind & SPACED_START &&
            nextKind & SPACED_SEPARATOR &&
            !(previous >= 0xac00 && previous <= 0xd7a3)
          )
            spacedStart.push(i);
          if (
            kind & SEPARATOR &&
            nextKind & LETTER &&
            i + 2 < length &&
            table[text.charCodeAt(i + 2)]! & SEPARATOR
          )
            spaced.push(i);
        }
      }
      beforePrevious = previous;
      previous = code;
      previousKind = kind;
    }
    const found: number[] = [];
    candidates.forEach((list, trigger) => {
      // Keys with a `back` add offsets before earlier ones; the other lists are in order.
      if (trigger < evasion) list.sort((a, b) => a - b);
      scan(text, sticky[trigger]!, list, found);
    });
    return found.sort((a, b) => a - b);
  }
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
