/**
 * @module core/text/porter2-stemmer
 * Martin Porter's English (Porter2 / Snowball "english") stemmer, dependency-free. Checked
 * against the Snowball reference vocabulary in the tests; `stemEnglish` caches recent words
 * because analysis stems the same words over and over.
 */

const exceptions1: Record<string, string> = {
  skis: 'ski',
  skies: 'sky',
  dying: 'die',
  lying: 'lie',
  tying: 'tie',
  idly: 'idl',
  gently: 'gentl',
  ugly: 'ugli',
  early: 'earli',
  only: 'onli',
  singly: 'singl',
  sky: 'sky',
  news: 'news',
  howe: 'howe',
  atlas: 'atlas',
  cosmos: 'cosmos',
  bias: 'bias',
  andes: 'andes',
};
const exceptions2 = new Set([
  'inning',
  'outing',
  'canning',
  'herring',
  'earring',
  'proceed',
  'exceed',
  'succeed',
]);

const step2: [string, string][] = [
  ['ization', 'ize'],
  ['ational', 'ate'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['iveness', 'ive'],
  ['tional', 'tion'],
  ['biliti', 'ble'],
  ['lessli', 'less'],
  ['entli', 'ent'],
  ['ation', 'ate'],
  ['alism', 'al'],
  ['aliti', 'al'],
  ['ousli', 'ous'],
  ['iviti', 'ive'],
  ['fulli', 'ful'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['abli', 'able'],
  ['izer', 'ize'],
  ['ator', 'ate'],
  ['alli', 'al'],
  ['bli', 'ble'],
  ['ogi', 'og'],
  ['li', ''],
];
const step3: [string, string][] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['alize', 'al'],
  ['icate', 'ic'],
  ['iciti', 'ic'],
  ['ative', ''],
  ['ical', 'ic'],
  ['ness', ''],
  ['ful', ''],
];
const step4 = [
  'ement',
  'ance',
  'ence',
  'able',
  'ible',
  'ment',
  'ant',
  'ent',
  'ism',
  'ate',
  'iti',
  'ous',
  'ive',
  'ize',
  'ion',
  'al',
  'er',
  'ic',
];

function isVowel(ch: string | undefined): boolean {
  return ch === 'a' || ch === 'e' || ch === 'i' || ch === 'o' || ch === 'u' || ch === 'y';
}

/** R1: the region after the first non-vowel that follows a vowel. */
function regionAfter(word: string, from: number): number {
  for (let i = from + 1; i < word.length; i++) {
    if (!isVowel(word[i]) && isVowel(word[i - 1])) return i + 1;
  }
  return word.length;
}

function endsWithShortSyllable(word: string): boolean {
  const n = word.length;
  if (n === 2) return isVowel(word[0]) && !isVowel(word[1]);
  if (n < 3) return false;
  const last = word[n - 1]!;
  return (
    !isVowel(word[n - 3]) &&
    isVowel(word[n - 2]) &&
    !isVowel(last) &&
    last !== 'w' &&
    last !== 'x' &&
    last !== 'Y'
  );
}

function containsVowel(text: string): boolean {
  for (const ch of text) if (isVowel(ch)) return true;
  return false;
}

const doubles = new Set(['bb', 'dd', 'ff', 'gg', 'mm', 'nn', 'pp', 'rr', 'tt']);
const liEndings = new Set(['c', 'd', 'e', 'g', 'h', 'k', 'm', 'n', 'r', 't']);

/** Stems one lowercase English word (Porter2). */
export function porter2(input: string): string {
  let word = input;
  if (word.length <= 2) return word;
  const exception = exceptions1[word];
  if (exception !== undefined) return exception;
  if (word.startsWith("'")) word = word.slice(1);
  // Mark consonant y as Y.
  if (word.startsWith('y')) word = `Y${word.slice(1)}`;
  let marked = '';
  for (let i = 0; i < word.length; i++) {
    const ch = word[i]!;
    marked += ch === 'y' && i > 0 && isVowel(word[i - 1]) ? 'Y' : ch;
  }
  word = marked;

  let r1: number;
  if (word.startsWith('gener') || word.startsWith('arsen')) r1 = 5;
  else if (word.startsWith('commun')) r1 = 6;
  else r1 = regionAfter(word, 0);
  const r2 = regionAfter(word, r1);

  // Step 0
  if (word.endsWith("'s'")) word = word.slice(0, -3);
  else if (word.endsWith("'s")) word = word.slice(0, -2);
  else if (word.endsWith("'")) word = word.slice(0, -1);

  // Step 1a
  if (word.endsWith('sses')) word = word.slice(0, -2);
  else if (word.endsWith('ied') || word.endsWith('ies'))
    word = word.length > 4 ? word.slice(0, -2) : word.slice(0, -1);
  else if (word.endsWith('us') || word.endsWith('ss')) {
    // unchanged
  } else if (word.endsWith('s') && containsVowel(word.slice(0, -2))) word = word.slice(0, -1);

  if (exceptions2.has(word)) return word;

  // Step 1b
  const eedly = word.endsWith('eedly') ? 5 : word.endsWith('eed') ? 3 : 0;
  if (eedly) {
    if (word.length - eedly >= r1) word = `${word.slice(0, -eedly)}ee`;
  } else {
    const suffix = ['ingly', 'edly', 'ing', 'ed'].find((s) => word.endsWith(s));
    if (suffix && containsVowel(word.slice(0, -suffix.length))) {
      word = word.slice(0, -suffix.length);
      if (word.endsWith('at') || word.endsWith('bl') || word.endsWith('iz')) word += 'e';
      else if (doubles.has(word.slice(-2))) word = word.slice(0, -1);
      else if (r1 >= word.length && endsWithShortSyllable(word)) word += 'e';
    }
  }

  // Step 1c
  const last = word[word.length - 1];
  if ((last === 'y' || last === 'Y') && word.length > 2 && !isVowel(word[word.length - 2])) {
    word = `${word.slice(0, -1)}i`;
  }

  // Step 2
  for (const [suffix, replacement] of step2) {
    if (!word.endsWith(suffix)) continue;
    const at = word.length - suffix.length;
    if (at >= r1) {
      if (suffix === 'ogi') {
        if (word[at - 1] === 'l') word = word.slice(0, at) + replacement;
      } else if (suffix === 'li') {
        if (liEndings.has(word[at - 1] ?? '')) word = word.slice(0, at);
      } else word = word.slice(0, at) + replacement;
    }
    break;
  }

  // Step 3
  for (const [suffix, replacement] of step3) {
    if (!word.endsWith(suffix)) continue;
    const at = word.length - suffix.length;
    if (at >= r1 && (suffix !== 'ative' || at >= r2)) word = word.slice(0, at) + replacement;
    break;
  }

  // Step 4
  for (const suffix of step4) {
    if (!word.endsWith(suffix)) continue;
    const at = word.length - suffix.length;
    if (at >= r2) {
      if (suffix === 'ion') {
        const before = word[at - 1];
        if (before === 's' || before === 't') word = word.slice(0, at);
      } else word = word.slice(0, at);
    }
    break;
  }

  // Step 5
  if (word.endsWith('e')) {
    const at = word.length - 1;
    if (at >= r2 || (at >= r1 && !endsWithShortSyllable(word.slice(0, -1)))) word = word.slice(0, -1);
  } else if (word.endsWith('ll') && word.length - 1 >= r2) {
    word = word.slice(0, -1);
  }

  return word.replaceAll('Y', 'y');
}

const cache = new Map<string, string>();

/** `porter2` with a bounded cache of recent words. */
export function stemEnglish(word: string): string {
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = porter2(word);
    if (cache.size >= 50_000) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}
