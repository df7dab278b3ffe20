/**
 * @module evals/metrics/sari
 * SARI for text simplification (Xu et al. 2016) with the semantics of Hugging Face `evaluate`'s
 * `sari` (itself tensor2tensor's, with 0/0 = 1 and the keep-recall fix): lower-case, 13a
 * tokenization, n-grams 1..4 of the source, the prediction and every reference; keep F1, delete
 * precision and add F1 averaged over the orders, then over the three. Scores are 0..100.
 */
import { tokenize13a } from './bleu.js';

function counter(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function scaled(counts: Map<string, number>, factor: number): Map<string, number> {
  const result = new Map<string, number>();
  for (const [key, count] of counts) result.set(key, count * factor);
  return result;
}

/** Multiset intersection (Python's Counter `&`). */
function intersect(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [key, count] of a) {
    const value = Math.min(count, b.get(key) ?? 0);
    if (value > 0) result.set(key, value);
  }
  return result;
}

/** Multiset difference keeping positive counts (Python's Counter `-`). */
function subtract(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [key, count] of a) {
    const value = count - (b.get(key) ?? 0);
    if (value > 0) result.set(key, value);
  }
  return result;
}

function sariNgram(
  sourceGrams: readonly string[],
  candidateGrams: readonly string[],
  referenceGramLists: readonly (readonly string[])[],
  numRefs: number,
): [keep: number, del: number, add: number] {
  const refCounts = counter(referenceGramLists.flat());
  const sourceCounts = counter(sourceGrams);
  const candidateCounts = counter(candidateGrams);
  const sourceRep = scaled(sourceCounts, numRefs);
  const candidateRep = scaled(candidateCounts, numRefs);

  const keep = intersect(sourceRep, candidateRep);
  const keepGood = intersect(keep, refCounts);
  const keepAll = intersect(sourceRep, refCounts);
  let keepScore1 = 0;
  let keepScore2 = 0;
  for (const [gram, count] of keepGood) {
    keepScore1 += count / (keep.get(gram) as number);
    keepScore2 += count;
  }
  let keepPrecision = 1;
  let keepRecall = 1;
  if (keep.size > 0) keepPrecision = keepScore1 / keep.size;
  if (keepAll.size > 0) {
    let all = 0;
    for (const count of keepAll.values()) all += count;
    keepRecall = keepScore2 / all;
  }
  const keepScore =
    keepPrecision > 0 || keepRecall > 0 ? (2 * keepPrecision * keepRecall) / (keepPrecision + keepRecall) : 0;

  const deleted = subtract(sourceRep, candidateRep);
  const deletedGood = subtract(deleted, refCounts);
  let delScore = 0;
  for (const [gram, count] of deletedGood) delScore += count / (deleted.get(gram) as number);
  const delPrecision = deleted.size > 0 ? delScore / deleted.size : 1;

  const added = new Set([...candidateCounts.keys()].filter((gram) => !sourceCounts.has(gram)));
  let addGood = 0;
  for (const gram of added) if (refCounts.has(gram)) addGood++;
  let addAll = 0;
  for (const gram of refCounts.keys()) if (!sourceCounts.has(gram)) addAll++;
  const addPrecision = added.size > 0 ? addGood / added.size : 1;
  const addRecall = addAll > 0 ? addGood / addAll : 1;
  const addScore =
    addPrecision > 0 || addRecall > 0 ? (2 * addPrecision * addRecall) / (addPrecision + addRecall) : 0;
  return [keepScore, delPrecision, addScore];
}

function grams(tokens: readonly string[], n: number): string[] {
  const result: string[] = [];
  for (let i = 0; i + n <= tokens.length; i++) result.push(tokens.slice(i, i + n).join(' '));
  return result;
}

function normalize(sentence: string): string {
  return tokenize13a(sentence.toLowerCase());
}

/** SARI of one item, 0..1 (the caller scales to 0..100). */
export function sariSentence(source: string, candidate: string, references: readonly string[]): number {
  const s = normalize(source).split(' ');
  const c = normalize(candidate).split(' ');
  const r = references.map((reference) => normalize(reference).split(' '));
  let keep = 0;
  let del = 0;
  let add = 0;
  for (let n = 1; n <= 4; n++) {
    const [k, d, a] = sariNgram(
      grams(s, n),
      grams(c, n),
      r.map((tokens) => grams(tokens, n)),
      references.length,
    );
    keep += k;
    del += d;
    add += a;
  }
  return (keep / 4 + del / 4 + add / 4) / 3;
}
