/**
 * @module guardrails/hap/start-keys
 * The first characters a regular expression's matches can start with, read off its source: the
 * set of prefixes, up to three characters long, of every match (lookarounds and anchors ignored, so the
 * set can only be larger than needed). A scanner that looks these up in one pass over the text
 * finds every position where the pattern could match, and runs the pattern only there.
 *
 * Only the syntax the HAP patterns use is understood: alternation, groups and lookarounds,
 * classes, the escapes \w \s \d \b \p{…} \uXXXX, quantifiers. A class too wide to list (such as
 * [가-힣]) may lead a match only with a bounded count, as in `[가-힣]{1,4}놈`: the prefix is then
 * taken after it, with `back` saying how far before that prefix the match may start.
 */

/** Prefix (lower-cased when the pattern ignores case) → the most `back`. */
export type StartKeys = Map<string, number>;

interface Item {
  /** Characters this item matches; null when too many to list; undefined for a group. */
  chars?: string[] | null;
  group?: Item[][];
  assertion?: boolean;
  min: number;
  max: number;
}

const WIDE = 512;

class Parser {
  private index = 0;
  constructor(
    private readonly source: string,
    private readonly ignoreCase: boolean,
  ) {}

  parse(): Item[][] {
    const alternatives = this.alternatives();
    if (this.index < this.source.length) throw this.error('unexpected )');
    return alternatives;
  }

  private error(message: string): Error {
    return new Error(`start-keys: ${message} at ${this.index} in /${this.source}/`);
  }

  private alternatives(): Item[][] {
    const alternatives: Item[][] = [this.sequence()];
    while (this.source[this.index] === '|') {
      this.index++;
      alternatives.push(this.sequence());
    }
    return alternatives;
  }

  private sequence(): Item[] {
    const items: Item[] = [];
    while (
      this.index < this.source.length &&
      this.source[this.index] !== '|' &&
      this.source[this.index] !== ')'
    ) {
      const item = this.atom();
      this.quantifier(item);
      items.push(item);
    }
    return items;
  }

  private atom(): Item {
    const char = this.source[this.index++]!;
    if (char === '(') {
      let assertion = false;
      if (this.source[this.index] === '?') {
        const kind = /^\?(?::|=|!|<=|<!)/.exec(this.source.slice(this.index));
        if (!kind) throw this.error('unsupported group');
        assertion = kind[0] !== '?:';
        this.index += kind[0].length;
      }
      const group = this.alternatives();
      if (this.source[this.index++] !== ')') throw this.error('missing )');
      return assertion ? { assertion, min: 1, max: 1 } : { group, min: 1, max: 1 };
    }
    if (char === '^' || char === '$') return { assertion: true, min: 1, max: 1 };
    if (char === '.') return { chars: null, min: 1, max: 1 };
    if (char === '[') return { chars: this.charClass(), min: 1, max: 1 };
    if (char === '\\') {
      const escaped = this.escape();
      return escaped === 'assertion'
        ? { assertion: true, min: 1, max: 1 }
        : { chars: escaped, min: 1, max: 1 };
    }
    return { chars: this.fold([char]), min: 1, max: 1 };
  }

  /** After a backslash: the characters it stands for, or 'assertion' for \b and \B. */
  private escape(): string[] | null | 'assertion' {
    const char = this.source[this.index++]!;
    if (char === 'b' || char === 'B') return 'assertion';
    if (char === 'p' || char === 'P') {
      const end = this.source.indexOf('}', this.index);
      if (end < 0) throw this.error('bad \\p');
      this.index = end + 1;
      return null;
    }
    if (char === 'u') {
      const hex = this.source.slice(this.index, this.index + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.error('bad \\u');
      this.index += 4;
      return this.fold([String.fromCharCode(Number.parseInt(hex, 16))]);
    }
    const named: Record<string, RegExp> = { w: /\w/, s: /\s/, d: /\d/, W: /\W/, S: /\S/, D: /\D/ };
    const set = named[char];
    if (set) return this.matching(set);
    if (/[0-9a-zA-Z]/.test(char)) throw this.error(`unsupported escape \\${char}`);
    return this.fold([char]);
  }

  private charClass(): string[] | null {
    const negated = this.source[this.index] === '^';
    if (negated) this.index++;
    const chars = new Set<string>();
    let wide = negated;
    const single = (): string | string[] | null => {
      const char = this.source[this.index++]!;
      if (char !== '\\') return char;
      const escaped = this.escape();
      if (escaped === 'assertion') throw this.error('\\b in a class');
      return escaped !== null && escaped.length === 1 ? escaped[0]! : escaped;
    };
    while (this.source[this.index] !== ']') {
      if (this.index >= this.source.length) throw this.error('missing ]');
      const from = single();
      if (
        typeof from === 'string' &&
        this.source[this.index] === '-' &&
        this.source[this.index + 1] !== ']'
      ) {
        this.index++;
        const to = single();
        if (typeof to !== 'string') throw this.error('bad range');
        const [low, high] = [from.charCodeAt(0), to.charCodeAt(0)];
        if (high - low >= WIDE) wide = true;
        else for (let code = low; code <= high; code++) chars.add(String.fromCharCode(code));
      } else if (from === null) wide = true;
      else for (const char of typeof from === 'string' ? [from] : from) chars.add(char);
    }
    this.index++;
    return wide || chars.size >= WIDE ? null : this.fold([...chars]);
  }

  private quantifier(item: Item): void {
    const rest = this.source.slice(this.index);
    const match = /^(?:([?*+])|\{(\d+)(?:(,)(\d*))?\})\??/.exec(rest);
    if (!match) return;
    this.index += match[0].length;
    if (match[1]) {
      item.min = match[1] === '+' ? 1 : 0;
      item.max = match[1] === '?' ? 1 : Number.POSITIVE_INFINITY;
    } else {
      item.min = Number(match[2]);
      item.max = match[3] ? (match[4] ? Number(match[4]) : Number.POSITIVE_INFINITY) : item.min;
    }
  }

  private matching(set: RegExp): string[] | null {
    const chars: string[] = [];
    for (let code = 0; code < 0x10000 && chars.length < WIDE; code++) {
      const char = String.fromCharCode(code);
      if (set.test(char)) chars.push(char);
    }
    return chars.length >= WIDE ? null : this.fold(chars);
  }

  private fold(chars: string[]): string[] {
    return this.ignoreCase ? [...new Set(chars.map(foldCase))] : chars;
  }
}

/** Lower case for A–Z, and ſ (U+017F) and K (U+212A), which match s and k under the `iu` flags. */
export function foldCase(char: string): string {
  if (char === '\u017f') return 's';
  if (char === '\u212a') return 'k';
  return /[A-Z]/.test(char) ? char.toLowerCase() : char;
}

interface Partial {
  prefix: string;
  back: number;
}

/** Prefixes of at most `length` characters of the matches of `alternatives`, each with its `back`. */
function prefixes(alternatives: Item[][], length: number, start: Partial[]): Partial[] {
  const out: Partial[] = [];
  for (const sequence of alternatives) {
    let partials = start;
    for (const item of sequence) partials = extend(partials, item, length);
    out.push(...partials);
  }
  return dedupe(out);
}

function extend(partials: Partial[], item: Item, length: number): Partial[] {
  if (item.assertion) return partials;
  const out: Partial[] = [];
  // More repetitions than `length` add no new prefix (every item here consumes a character).
  const most = Math.min(item.max, length);
  for (const partial of partials) {
    if (partial.prefix.length >= length) {
      out.push(partial);
      continue;
    }
    if (item.chars === null) {
      // A wide class may only lead the match, a bounded number of times.
      if (partial.prefix !== '' || !Number.isFinite(item.max))
        throw new Error('start-keys: a wide class or . inside the first characters of a match');
      for (let count = item.min; count <= item.max; count++)
        out.push({ prefix: '', back: partial.back + count });
      continue;
    }
    let current = [partial];
    if (item.min === 0) out.push(partial);
    const enough = Math.min(item.min, length - partial.prefix.length);
    for (let count = 1; count <= most; count++) {
      current = item.group
        ? prefixes(item.group, length, current)
        : current.flatMap((each) =>
            each.prefix.length >= length
              ? [each]
              : item.chars!.map((char) => ({ prefix: each.prefix + char, back: each.back })),
          );
      if (count >= enough) out.push(...current);
    }
  }
  return dedupe(out);
}

function dedupe(partials: Partial[]): Partial[] {
  const best = new Map<string, number>();
  for (const { prefix, back } of partials) best.set(prefix, Math.max(best.get(prefix) ?? 0, back));
  return [...best].map(([prefix, back]) => ({ prefix, back }));
}

/**
 * The prefixes of `length` characters of every match of `pattern` (shorter where a whole match is
 * shorter), lower-cased under its `i` flag.
 */
export function startKeys(pattern: RegExp, length: number): StartKeys {
  const alternatives = new Parser(pattern.source, pattern.flags.includes('i')).parse();
  const keys: StartKeys = new Map();
  for (const { prefix, back } of prefixes(alternatives, length, [{ prefix: '', back: 0 }])) {
    if (prefix === '') throw new Error(`start-keys: /${pattern.source}/ can match the empty string`);
    keys.set(prefix, Math.max(keys.get(prefix) ?? 0, back));
  }
  return keys;
}
