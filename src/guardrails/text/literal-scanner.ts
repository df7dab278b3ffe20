/**
 * @module guardrails/text/literal-scanner
 * Every occurrence of many literal words, found in one pass over the text. Detectors use the
 * words as anchors: a pattern that cannot match without one of them runs only where one is.
 * A regex alternation of a hundred Korean words scans about ten times slower than this, because
 * irregexp's first-character check passes at most Hangul positions. Here each character is read
 * once and looked up in two small tables that stay in the processor's cache: one for words of one
 * character, one for a hash of the first two characters of longer words, whose entry is a mask of
 * the third characters that follow (low five bits), so "The" does not stop for "Thomas". Only then
 * are whole words compared.
 */

interface Entry {
  word: string;
  groups: readonly number[];
  /** Wanted only where it does not continue an ASCII word. */
  wordStart: boolean;
}

const asciiAlnum = new Uint8Array(0x10000);
for (const char of 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')
  asciiAlnum[char.charCodeAt(0)] = 1;

/** Positions, ascending, where a word of each group starts (one per position and group). */
export type LiteralHits<G extends string> = Record<G, number[]>;

const SLOTS = 0x4000;
// A multiplicative hash of two characters: Hangul syllables differ in their low bits.
const pairSlot = (a: number, b: number) => Math.imul((a << 16) | b, 0x9e3779b1) >>> 18;
/** The bit for a third character, or every bit for a two-character word. */
const thirdBit = (word: string) => (word.length === 2 ? -1 : 1 << (word.charCodeAt(2) & 31));

export class LiteralScanner<G extends string> {
  private readonly names: readonly G[];
  /** Word lists by slot (list number + 1, 0 for none): one-character words by the character,
   * longer words by a hash of their first two characters. */
  private readonly singleSlots = new Int32Array(0x10000);
  private readonly pairSlots = new Int32Array(SLOTS);
  private readonly lists: Entry[][] = [];
  /** One bit per character that is a word; per pair slot, the third-character mask. */
  private readonly singleBits = new Uint32Array(0x10000 >>> 5);
  private readonly thirdMasks = new Int32Array(SLOTS);
  /** Reused between scans: candidate list numbers and positions, in pairs. */
  private buffer = new Int32Array(4096);

  /**
   * `wordStart`: groups whose words count only at the start of a word — not where an ASCII letter
   * or digit follows another (as `\b` would have it for words that start with one).
   */
  constructor(groups: Readonly<Record<G, readonly string[]>>, options: { wordStart?: readonly G[] } = {}) {
    this.names = Object.keys(groups) as G[];
    const byWord = new Map<string, number[]>();
    this.names.forEach((name, index) => {
      for (const word of groups[name]) {
        if (word.length === 0) throw new Error(`empty anchor word in group ${name}`);
        const list = byWord.get(word) ?? [];
        if (!list.includes(index)) list.push(index);
        byWord.set(word, list);
      }
    });
    for (const [word, groupIndexes] of byWord) {
      let slots = this.singleSlots;
      let slot = word.charCodeAt(0);
      if (word.length === 1) this.singleBits[slot >>> 5]! |= 1 << (slot & 31);
      else {
        slots = this.pairSlots;
        slot = pairSlot(slot, word.charCodeAt(1));
        this.thirdMasks[slot]! |= thirdBit(word);
      }
      if (slots[slot] === 0) {
        this.lists.push([]);
        slots[slot] = this.lists.length;
      }
      const wordStart = groupIndexes.every((group) => options.wordStart?.includes(this.names[group]!));
      this.lists[slots[slot]! - 1]!.push({ word, groups: groupIndexes, wordStart });
    }
  }

  scan(text: string): LiteralHits<G> {
    const { singleSlots, pairSlots, singleBits, thirdMasks } = this;
    // Candidate (list, position) pairs first, in a plain loop; words are compared afterwards.
    let candidates = this.buffer;
    let count = 0;
    const length = text.length;
    let second = length > 0 ? text.charCodeAt(0) : 0;
    let third = length > 1 ? text.charCodeAt(1) : 0;
    for (let i = 0; i < length; i++) {
      const first = second;
      second = third;
      third = i + 2 < length ? text.charCodeAt(i + 2) : 0;
      const single = (singleBits[first >>> 5]! >>> (first & 31)) & 1;
      const pair = pairSlot(first, second);
      const double = (thirdMasks[pair]! >>> (third & 31)) & 1;
      if ((single | double) === 0) continue;
      if (count + 4 > candidates.length) {
        const grown = new Int32Array(candidates.length * 2);
        grown.set(candidates);
        candidates = this.buffer = grown;
      }
      if (single) {
        candidates[count++] = singleSlots[first]!;
        candidates[count++] = i;
      }
      if (double) {
        candidates[count++] = pairSlots[pair]!;
        candidates[count++] = i;
      }
    }
    const found: number[][] = this.names.map(() => []);
    for (let c = 0; c < count; c += 2) {
      const at = candidates[c + 1]!;
      const insideWord =
        at > 0 && (asciiAlnum[text.charCodeAt(at - 1)]! & asciiAlnum[text.charCodeAt(at)]!) === 1;
      for (const entry of this.lists[candidates[c]! - 1]!) {
        if ((insideWord && entry.wordStart) || !text.startsWith(entry.word, at)) continue;
        for (const group of entry.groups) {
          const positions = found[group]!;
          if (positions[positions.length - 1] !== at) positions.push(at);
        }
      }
    }
    const hits = {} as LiteralHits<G>;
    this.names.forEach((name, index) => {
      hits[name] = found[index]!;
    });
    return hits;
  }
}
