/**
 * @module evals/metrics/porter-stemmer
 * The Porter (1980) suffix-stripping stemmer, written from the published algorithm, for ROUGE
 * with stemming and METEOR's stem stage. Two modes:
 * - `original`: the algorithm exactly as published (steps 1a–5b, measure m, *v*, *d, *o).
 * - `nltk` (default): the original plus the departures of NLTK's default `PorterStemmer` mode,
 *   which `rouge-score` and NLTK's METEOR use: a small table of irregular forms, words of one or
 *   two letters left alone, 'ies'/'ied' on four-letter words → 'ie', y → i only after a consonant,
 *   'bli' → 'ble' (for 'abli' → 'able'), 'alli' → 'al' re-run through step 2, 'fulli' → 'ful',
 *   'logi' → 'log', and *o also true for a vowel–consonant word of two letters.
 * Input must be lower case (callers lower-case first).
 */

export type PorterMode = 'original' | 'nltk';

const irregular: Record<string, string> = {
  sky: 'sky',
  skies: 'sky',
  dying: 'die',
  lying: 'lie',
  tying: 'tie',
  news: 'news',
  innings: 'inning',
  inning: 'inning',
  outings: 'outing',
  outing: 'outing',
  cannings: 'canning',
  canning: 'canning',
  howe: 'howe',
  proceed: 'proceed',
  exceed: 'exceed',
  succeed: 'succeed',
};

type Condition = ((stem: string) => boolean) | null;
type Rule = readonly [suffix: string, replacement: string, condition: Condition];

class Stemmer {
  constructor(readonly mode: PorterMode) {}

  consonant(word: string, i: number): boolean {
    const ch = word[i];
    if (ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u') return false;
    if (ch === 'y') return i === 0 ? true : !this.consonant(word, i - 1);
    return true;
  }

  /** m: the number of vowel–consonant sequences ([C](VC)^m[V]). */
  measure(stem: string): number {
    let m = 0;
    let previousVowel = false;
    for (let i = 0; i < stem.length; i++) {
      const isConsonant = this.consonant(stem, i);
      if (isConsonant && previousVowel) m++;
      previousVowel = !isConsonant;
    }
    return m;
  }

  hasVowel(stem: string): boolean {
    for (let i = 0; i < stem.length; i++) if (!this.consonant(stem, i)) return true;
    return false;
  }

  /** *d: ends with a double consonant. */
  doubleConsonant(word: string): boolean {
    const n = word.length;
    return n >= 2 && word[n - 1] === word[n - 2] && this.consonant(word, n - 1);
  }

  /** *o: ends consonant–vowel–consonant, the last not w, x or y. */
  cvc(word: string): boolean {
    const n = word.length;
    if (
      n >= 3 &&
      this.consonant(word, n - 3) &&
      !this.consonant(word, n - 2) &&
      this.consonant(word, n - 1) &&
      !'wxy'.includes(word[n - 1] as string)
    ) {
      return true;
    }
    return this.mode === 'nltk' && n === 2 && !this.consonant(word, 0) && this.consonant(word, 1);
  }

  /** The first rule whose suffix matches decides: its condition holds or the word stays. */
  applyRules(word: string, rules: readonly Rule[]): string {
    for (const [suffix, replacement, condition] of rules) {
      if (suffix === '*d') {
        if (!this.doubleConsonant(word)) continue;
        const stem = word.slice(0, -2);
        return condition === null || condition(stem) ? stem + replacement : word;
      }
      if (!word.endsWith(suffix)) continue;
      const stem = word.slice(0, word.length - suffix.length);
      return condition === null || condition(stem) ? stem + replacement : word;
    }
    return word;
  }

  step1a(word: string): string {
    if (this.mode === 'nltk' && word.endsWith('ies') && word.length === 4) return `${word.slice(0, -3)}ie`;
    return this.applyRules(word, [
      ['sses', 'ss', null],
      ['ies', 'i', null],
      ['ss', 'ss', null],
      ['s', '', null],
    ]);
  }

  step1b(word: string): string {
    if (this.mode === 'nltk' && word.endsWith('ied')) {
      return word.length === 4 ? `${word.slice(0, -3)}ie` : `${word.slice(0, -3)}i`;
    }
    if (word.endsWith('eed')) {
      const stem = word.slice(0, -3);
      return this.measure(stem) > 0 ? `${stem}ee` : word;
    }
    let stem: string | undefined;
    for (const suffix of ['ed', 'ing']) {
      if (word.endsWith(suffix) && this.hasVowel(word.slice(0, word.length - suffix.length))) {
        stem = word.slice(0, word.length - suffix.length);
        break;
      }
    }
    if (stem === undefined) return word;
    const last = stem[stem.length - 1] as string;
    return this.applyRules(stem, [
      ['at', 'ate', null],
      ['bl', 'ble', null],
      ['iz', 'ize', null],
      ['*d', last, () => !'lsz'.includes(last)],
      ['', 'e', (s) => this.measure(s) === 1 && this.cvc(s)],
    ]);
  }

  step1c(word: string): string {
    const condition =
      this.mode === 'nltk'
        ? (stem: string) => stem.length > 1 && this.consonant(stem, stem.length - 1)
        : (stem: string) => this.hasVowel(stem);
    return this.applyRules(word, [['y', 'i', condition]]);
  }

  step2(word: string): string {
    const positive = (stem: string) => this.measure(stem) > 0;
    if (this.mode === 'nltk' && word.endsWith('alli') && positive(word.slice(0, -4))) {
      return this.step2(`${word.slice(0, -4)}al`);
    }
    const rules: Rule[] = [
      ['ational', 'ate', positive],
      ['tional', 'tion', positive],
      ['enci', 'ence', positive],
      ['anci', 'ance', positive],
      ['izer', 'ize', positive],
      this.mode === 'original' ? ['abli', 'able', positive] : ['bli', 'ble', positive],
      ['alli', 'al', positive],
      ['entli', 'ent', positive],
      ['eli', 'e', positive],
      ['ousli', 'ous', positive],
      ['ization', 'ize', positive],
      ['ation', 'ate', positive],
      ['ator', 'ate', positive],
      ['alism', 'al', positive],
      ['iveness', 'ive', positive],
      ['fulness', 'ful', positive],
      ['ousness', 'ous', positive],
      ['aliti', 'al', positive],
      ['iviti', 'ive', positive],
      ['biliti', 'ble', positive],
    ];
    if (this.mode === 'nltk') {
      rules.push(['fulli', 'ful', positive]);
      rules.push(['logi', 'log', () => positive(word.slice(0, -3))]);
    }
    return this.applyRules(word, rules);
  }

  step3(word: string): string {
    const positive = (stem: string) => this.measure(stem) > 0;
    return this.applyRules(word, [
      ['icate', 'ic', positive],
      ['ative', '', positive],
      ['alize', 'al', positive],
      ['iciti', 'ic', positive],
      ['ical', 'ic', positive],
      ['ful', '', positive],
      ['ness', '', positive],
    ]);
  }

  step4(word: string): string {
    const gt1 = (stem: string) => this.measure(stem) > 1;
    return this.applyRules(word, [
      ['al', '', gt1],
      ['ance', '', gt1],
      ['ence', '', gt1],
      ['er', '', gt1],
      ['ic', '', gt1],
      ['able', '', gt1],
      ['ible', '', gt1],
      ['ant', '', gt1],
      ['ement', '', gt1],
      ['ment', '', gt1],
      ['ent', '', gt1],
      ['ion', '', (stem) => gt1(stem) && (stem.endsWith('s') || stem.endsWith('t'))],
      ['ou', '', gt1],
      ['ism', '', gt1],
      ['ate', '', gt1],
      ['iti', '', gt1],
      ['ous', '', gt1],
      ['ive', '', gt1],
      ['ize', '', gt1],
    ]);
  }

  step5a(word: string): string {
    if (!word.endsWith('e')) return word;
    const stem = word.slice(0, -1);
    const m = this.measure(stem);
    if (m > 1 || (m === 1 && !this.cvc(stem))) return stem;
    return word;
  }

  step5b(word: string): string {
    return word.endsWith('ll') && this.measure(word.slice(0, -1)) > 1 ? word.slice(0, -1) : word;
  }

  stem(word: string): string {
    if (this.mode === 'nltk') {
      const known = irregular[word];
      if (known !== undefined) return known;
      if (word.length <= 2) return word;
    }
    if (word.length === 0) return word;
    let stem = this.step1a(word);
    stem = this.step1b(stem);
    stem = this.step1c(stem);
    stem = this.step2(stem);
    stem = this.step3(stem);
    stem = this.step4(stem);
    stem = this.step5a(stem);
    return this.step5b(stem);
  }
}

const stemmers: Record<PorterMode, Stemmer> = {
  original: new Stemmer('original'),
  nltk: new Stemmer('nltk'),
};

const cacheLimit = 50_000;
const caches: Record<PorterMode, Map<string, string>> = { original: new Map(), nltk: new Map() };

/** Stems one lower-case word (memoised: corpora repeat their words). */
export function porterStem(word: string, mode: PorterMode = 'nltk'): string {
  const cache = caches[mode];
  const known = cache.get(word);
  if (known !== undefined) return known;
  const stem = stemmers[mode].stem(word);
  if (cache.size >= cacheLimit) cache.clear();
  cache.set(word, stem);
  return stem;
}
