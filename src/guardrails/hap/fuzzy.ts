/**
 * @module guardrails/hap/fuzzy
 * Misspellings that keep a word readable ("haet", "hatrd", "womn", "Ihate", "todie"): one
 * edit (insertion, deletion, substitution or swap of neighbours) away from a key word, or a key
 * word run together with its neighbour. Used only on sentences that already name a group or
 * carry a predicate, so its cost stays off ordinary text.
 */

/** Whether `a` and `b` are at most one edit apart (insertion, deletion, substitution or a swap of
 * neighbours): one pass, no allocation (it runs per word). */
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
