/**
 * @module guardrails/text/literal-scanner
 * Every occurrence of many literal words, found in one pass over the text. Detectors use the
 * words as anchors: a pattern that cannot match without one of them runs only where one is.
 * A regex alternation of a hundred Korean words scans about ten times slower than this, because
 * irregexp's first-character check passes at most Hangul positions. Here each character is read
 * once and looked up in small tables that stay in the processor's cache: a bit per character that
 * is a word, and for a hash of two characters a mask of the third characters that follow them in
 * longer words (low five bits), so "The" does not stop for "Thomas"; past those, a mask of fourth
 * characters. Only then are whole words compared, from short lists keyed by their first two or
 * three characters.
 */

/** How a group's words must sit in the text. */
export interface GroupOptions {
  /** Only where the word does not continue an ASCII word: not where an ASCII letter or digit follows another. */
  wordStart?: boolean;
  /** Only as a whole word, as `\b…\b` would have it: no ASCII word character (`\w`) just before or after. */
  wholeWord?: boolean;
  /** ASCII letters in either case, as the `i` flag matches them. */
  caseless?: boolean;
}

interface Entry {
  /** Lower-cased when `caseless`. */
  word: string;
  groups: readonly number[];
  wordStart: boolean;
  wholeWord: boolean;
  caseless: boolean;
}

const asciiAlnum = new Uint8Array(0x10000);
const asciiWord = new Uint8Array(0x10000);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789') {
  asciiAlnum[char.charCodeAt(0)] = 1;
  asciiWord[char.charCodeAt(0)] = 1;
}
asciiWord['_'.charCodeAt(0)] = 1;

const lowerAscii = (code: number) => (code >= 65 && code <= 90 ? code + 32 : code);
const upperAscii = (code: number) => (code >= 97 && code <= 122 ? code - 32 : code);
const lowerWord = (word: string) => word.replace(/[A-Z]/g, (char) => char.toLowerCase());

/** Whether `text` at `at` reads `word` (lower case), ASCII letters compared in either case. */
function startsCaseless(text: string, word: string, at: number): boolean {
  if (at + word.length > text.length) return false;
  for (let k = 0; k < word.length; k++)
    if (lowerAscii(text.charCodeAt(at + k)) !== word.charCodeAt(k)) return false;
  return true;
}

/**
 * Character contexts reported from the same pass: positions whose previous, current and next
 * characters have classes (four bits each) that `marks` marks, and positions where three
 * identical characters begin. What character-level signs need (spacing, leetspeak, repetition).
 */
export interface CharacterContexts<G extends string> {
  /** Receives the positions whose context is marked. */
  group: G;
  /** Receives the positions where three identical characters begin. */
  repeats: G;
  /** A class, 0–15, for every char code. */
  classes: Uint8Array;
  /** Per 12-bit context (previous, current, next class), non-zero when the position is wanted. */
  marks: Uint8Array;
  /** The classes taken before the first character and after the last. */
  outside: { before: number; after: number };
}

/** Positions, ascending, where a word of each group starts (one per position and group). */
export type LiteralHits<G extends string> = Record<G, readonly number[]>;

const none: readonly number[] = Object.freeze([]);
const noContexts = {
  classes: new Uint8Array(0x10000),
  marks: new Uint8Array(0x1000),
  outside: { before: 0, after: 0 },
};

const SLOTS = 0x4000;
const LIST_SLOTS = 0x10000;
// Multiplicative hashes: Hangul syllables differ in their low bits, which shifts would drop.
const pairSlot = (a: number, b: number) => Math.imul((a << 16) | b, 0x9e3779b1) >>> 18;
const pairList = (a: number, b: number) => Math.imul((a << 16) | b, 0x85ebca6b) >>> 16;
const tripleList = (a: number, b: number, c: number) =>
  Math.imul(((a << 16) | b) ^ Math.imul(c, 0xc2b2ae35), 0x9e3779b1) >>> 16;

export class LiteralScanner<G extends string> {
  private readonly names: readonly G[];
  /** The filter, small enough to stay in cache: one bit per character that is a word, and per
   * hash of two characters a mask of the third characters that follow them in longer words
   * (their low five bits; every bit when a two-character word has those two). */
  private readonly singleBits = new Uint32Array(0x10000 >>> 5);
  private readonly thirdMasks = new Int32Array(SLOTS);
  /** Passed on three characters, a hash of them gives the mask of fourth characters (every bit
   * for words of three); one bit per hash of two characters that is a two-character word. */
  private readonly fourthMasks = new Int32Array(LIST_SLOTS);
  private readonly pairBits = new Uint32Array(SLOTS >>> 5);
  /** Word lists (list number + 1, 0 for none): one-character words by the character, two-character
   * words by a hash of both, longer ones by a hash of their first three — short lists to compare. */
  private readonly singleLists = new Int32Array(0x10000);
  private readonly pairLists = new Int32Array(LIST_SLOTS);
  private readonly tripleLists = new Int32Array(LIST_SLOTS);
  private readonly lists: Entry[][] = [];
  /** Reused between scans: candidate positions. */
  private buffer = new Int32Array(4096);

  private readonly contexts: CharacterContexts<G> | undefined;

  constructor(
    groups: Readonly<Record<G, readonly string[]>>,
    options: Partial<Readonly<Record<G, GroupOptions>>> = {},
    contexts?: CharacterContexts<G>,
  ) {
    this.names = Object.keys(groups) as G[];
    this.contexts = contexts;
    // One entry per word and way of matching it, listing every group that wants it so.
    const entries = new Map<string, Entry>();
    this.names.forEach((name, index) => {
      const { wordStart = false, wholeWord = false, caseless = false } = options[name] ?? {};
      for (const original of groups[name]) {
        if (original.length === 0) throw new Error(`empty anchor word in group ${name}`);
        const word = caseless ? lowerWord(original) : original;
        const key = `${+wordStart}${+wholeWord}${+caseless}${word}`;
        const entry = entries.get(key) ?? { word, groups: [], wordStart, wholeWord, caseless };
        if (!entry.groups.includes(index)) (entry.groups as number[]).push(index);
        entries.set(key, entry);
      }
    });
    for (const entry of entries.values()) {
      const spellings = (index: number) => {
        const code = entry.word.charCodeAt(index);
        return entry.caseless && upperAscii(code) !== code ? [code, upperAscii(code)] : [code];
      };
      const { length } = entry.word;
      for (const a of spellings(0)) {
        if (length === 1) {
          this.singleBits[a >>> 5]! |= 1 << (a & 31);
          this.add(this.singleLists, a, entry);
          continue;
        }
        for (const b of spellings(1)) {
          if (length === 2) {
            const slot = pairSlot(a, b);
            this.thirdMasks[slot] = -1;
            this.pairBits[slot >>> 5]! |= 1 << (slot & 31);
            this.add(this.pairLists, pairList(a, b), entry);
            continue;
          }
          for (const c of spellings(2)) {
            this.thirdMasks[pairSlot(a, b)]! |= 1 << (c & 31);
            const slot = tripleList(a, b, c);
            this.fourthMasks[slot]! |=
              length === 3 ? -1 : spellings(3).reduce((mask, d) => mask | (1 << (d & 31)), 0);
            this.add(this.tripleLists, slot, entry);
          }
        }
      }
    }
  }

  private add(slots: Int32Array, slot: number, entry: Entry): void {
    if (slots[slot] === 0) {
      this.lists.push([]);
      slots[slot] = this.lists.length;
    }
    const list = this.lists[slots[slot]! - 1]!;
    if (!list.includes(entry)) list.push(entry);
  }

  scan(text: string): LiteralHits<G> {
    const { singleBits, thirdMasks, fourthMasks, pairBits } = this;
    // Candidate positions first, in a plain loop; words are compared afterwards.
    let candidates = this.buffer;
    let count = 0;
    const length = text.length;
    let second = length > 0 ? text.charCodeAt(0) : 0;
    let third = length > 1 ? text.charCodeAt(1) : 0;
    const { classes, marks, outside } = this.contexts ?? noContexts;
    const marked: number[] = [];
    const repeats: number[] = [];
    const wantRepeats = this.contexts !== undefined;
    let context = (outside.before << 4) | classes[second]!;
    for (let i = 0; i < length; i++) {
      const first = second;
      second = third;
      third = i + 2 < length ? text.charCodeAt(i + 2) : 0;
      context = ((context << 4) | (i + 1 < length ? classes[second]! : outside.after)) & 0xfff;
      if (marks[context] !== 0) marked.push(i);
      if (first === second && second === third && wantRepeats && i + 2 < length) repeats.push(i);
      const single = (singleBits[first >>> 5]! >>> (first & 31)) & 1;
      const pair = pairSlot(first, second);
      if ((single | ((thirdMasks[pair]! >>> (third & 31)) & 1)) === 0) continue;
      // Past three characters, words of three or more must also have the fourth.
      if (
        single === 0 &&
        ((pairBits[pair >>> 5]! >>> (pair & 31)) & 1) === 0 &&
        ((fourthMasks[tripleList(first, second, third)]! >>>
          ((i + 3 < length ? text.charCodeAt(i + 3) : 0) & 31)) &
          1) ===
          0
      )
        continue;
      if (count === candidates.length) {
        const grown = new Int32Array(candidates.length * 2);
        grown.set(candidates);
        candidates = this.buffer = grown;
      }
      candidates[count++] = i;
    }
    // A list only for groups with a hit: most of many groups have none in a given text.
    const found: (number[] | undefined)[] = new Array(this.names.length);
    const { singleLists, pairLists, tripleLists } = this;
    for (let c = 0; c < count; c++) {
      const at = candidates[c]!;
      const a = text.charCodeAt(at);
      const b = at + 1 < length ? text.charCodeAt(at + 1) : -1;
      const before = at > 0 ? text.charCodeAt(at - 1) : -1;
      const insideWord = before >= 0 && (asciiAlnum[before]! & asciiAlnum[a]!) === 1;
      for (const list of [
        singleLists[a]!,
        b < 0 ? 0 : pairLists[pairList(a, b)]!,
        at + 2 < length ? tripleLists[tripleList(a, b, text.charCodeAt(at + 2))]! : 0,
      ]) {
        if (list === 0) continue;
        for (const entry of this.lists[list - 1]!) {
          if (entry.wordStart && insideWord) continue;
          if (entry.caseless ? !startsCaseless(text, entry.word, at) : !text.startsWith(entry.word, at))
            continue;
          if (entry.wholeWord) {
            const after = at + entry.word.length;
            if ((before >= 0 && asciiWord[before]) || (after < length && asciiWord[text.charCodeAt(after)]))
              continue;
          }
          for (const group of entry.groups) {
            const positions = found[group];
            if (!positions) found[group] = [at];
            else if (positions[positions.length - 1] !== at) positions.push(at);
          }
        }
      }
    }
    const hits = {} as LiteralHits<G>;
    this.names.forEach((name, index) => {
      hits[name] = found[index] ?? none;
    });
    if (this.contexts) {
      hits[this.contexts.group] = marked;
      hits[this.contexts.repeats] = repeats;
    }
    return hits;
  }
}
