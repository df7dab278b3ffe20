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

function sariNgram(
  sourceGrams: readonly string[],
  candidateGrams: readonly string[],
  referenceGramLists: readonly (readonly string[])[],
  numRefs: number,
): [keep: number, del: number, add: number] {
  const refCounts = counter(referenceGramLists.flat());
  const sourceCounts = counter(sourceGrams);
  const candidateCounts = counter(candidateGrams);

  // One pass over the source n-grams (in their order, as Python's Counter operations iterate):
  // keep = source ∩ candidate, keep-good = keep ∩ references, keep-all = source ∩ references,
  // deleted = source − candidate, deleted-good = deleted − references; counts of the source and
  // the candidate are scaled by the number of references.
  let keepSize = 0;
  let keepScore1 = 0;
  let keepScore2 = 0;
  let keepAllSize = 0;
  let keepAllSum = 0;
  let deletedSize = 0;
  let deletedScore = 0;
  for (const [gram, count] of sourceCounts) {
    const source = count * numRefs;
    const candidate = (candidateCounts.get(gram) ?? 0) * numRefs;
    const reference = refCounts.get(gram) ?? 0;
    const keep = Math.min(source, candidate);
    if (keep > 0) {
      keepSize++;
      const good = Math.min(keep, reference);
      if (good > 0) {
        keepScore1 += good / keep;
        keepScore2 += good;
      }
    }
    const keepAll = Math.min(source, reference);
    if (keepAll > 0) {
      keepAllSize++;
      keepAllSum += keepAll;
    }
    const deleted = source - candidate;
    if (deleted > 0) {
      deletedSize++;
      const good = deleted - reference;
      if (good > 0) deletedScore += good / deleted;
    }
  }
  const keepPrecision = keepSize > 0 ? keepScore1 / keepSize : 1;
  const keepRecall = keepAllSize > 0 ? keepScore2 / keepAllSum : 1;
  const keepScore =
    keepPrecision > 0 || keepRecall > 0 ? (2 * keepPrecision * keepRecall) / (keepPrecision + keepRecall) : 0;
  const delPrecision = deletedSize > 0 ? deletedScore / deletedSize : 1;

  let added = 0;
  let addGood = 0;
  for (const gram of candidateCounts.keys()) {
    if (sourceCounts.has(gram)) continue;
    added++;
    if (refCounts.has(gram)) addGood++;
  }
  let addAll = 0;
  for (const gram of refCounts.keys()) if (!sourceCounts.has(gram)) addAll++;
  const addPrecision = added > 0 ? addGood / added : 1;
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
