/**
 * @module guardrails/hap/fuzzy
 * Misspellings that keep a word readable ("haet", "hatrd", "womn", "Ihate", "todie"): one
 * edit (insertion, deletion, substitution or swap of neighbours) away from a key word, or a key
 * word run together with its neighbour. Used only on sentences that already name a group or
 * carry a predicate, so its cost stays off ordinary text.
 */

/** Optimal string alignment distance, stopping early once it exceeds `limit`. */
export function editDistanceWithin(a: string, b: string, limit: number): boolean {
  if (Math.abs(a.length - b.length) > limit) return false;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => {
    const row = new Array<number>(cols).fill(0);
    row[0] = i;
    return row;
  });
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Number.POSITIVE_INFINITY;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[i - 2]![j - 2]! + 1);
      d[i]![j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return false;
  }
  return d[a.length]![b.length]! <= limit;
}

/** `editDistanceWithin(a, b, 1)` without the table: one pass, no allocation (it runs per word). */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let first = -1;
    let count = 0;
    for (let i = 0; i < la; i++) {
      if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
      if (++count === 1) first = i;
      else if (count > 2) return false;
    }
    if (count <= 1) return true;
    // Two mismatches: only a swap of neighbours ("haet" → "hate") is one edit.
    return (
      a[first] === b[first + 1] && a[first + 1] === b[first] && a.slice(first + 2) === b.slice(first + 2)
    );
  }
  if (Math.abs(la - lb) > 1) return false;
  const [long, short] = la > lb ? [a, b] : [b, a];
  let i = 0;
  let j = 0;
  let skipped = false;
  while (i < long.length && j < short.length) {
    if (long.charCodeAt(i) === short.charCodeAt(j)) {
      i++;
      j++;
    } else if (skipped) return false;
    else {
      skipped = true;
      i++;
    }
  }
  return true;
}

/**
 * Replaces words that are misspellings of `keys` with the key ("haet" → "hate", "ihate" →
 * "i hate"). Returns undefined when nothing changed.
 */
export function repairSpelling(sentence: string, keys: readonly string[]): string | undefined {
  let changed = false;
  const repaired = sentence.replace(/\p{L}{3,14}/gu, (word) => {
    const lower = word.toLowerCase();
    if (keys.includes(lower)) return word;
    for (const key of keys) {
      if (key.length >= 4 && lower.length >= 4 && withinOneEdit(lower, key)) {
        changed = true;
        return key;
      }
      // Run together: "ihate", "todie", "hatewomen" (looked for only in words a little longer).
      if (key.length < 3 || lower.length <= key.length || lower.length - key.length > 6) continue;
      const at = lower.indexOf(key);
      if (at >= 0) {
        changed = true;
        return `${lower.slice(0, at)} ${key} ${lower.slice(at + key.length)}`.trim();
      }
    }
    return word;
  });
  return changed ? repaired : undefined;
}

export const englishHateKeys = [
  'hate',
  'hatred',
  'kill',
  'die',
  'dead',
  'death',
  'scum',
  'vermin',
  'rats',
  'cancer',
  'disgusting',
  'disgust',
  'murder',
  'trash',
  'filth',
  'worthless',
  'inferior',
  'parasites',
  'animals',
  'garbage',
  'despise',
];
export const englishIdentityKeys = [
  'women',
  'woman',
  'females',
  'female',
  'trans',
  'gay',
  'black',
  'muslims',
  'muslim',
  'immigrants',
  'immigrant',
  'disabled',
  'jews',
  'refugees',
  'people',
];
