/**
 * @module evals/metrics/meteor
 * METEOR with the semantics of NLTK's `meteor_score` (alpha 0.9, beta 3, gamma 0.5): words are
 * lower-cased and split on whitespace, aligned by exact match and then by Porter stem (NLTK mode),
 * each stage pairing words from the end as NLTK does; F-mean weighted towards recall, times one
 * minus the fragmentation penalty; the best reference wins. NLTK's third stage, WordNet synonyms,
 * needs the WordNet database, which is not available offline: it is left out (`synonyms: false`),
 * so a pair that only matches through a synonym scores lower than NLTK would score it.
 */
import { porterStem } from './porter-stemmer.js';

export interface MeteorOptions {
  alpha?: number;
  beta?: number;
  gamma?: number;
}

type Enumerated = [index: number, word: string][];

/** NLTK's `_match_enums`: for each hypothesis word from the last, the last unmatched equal reference word. */
function matchStage(hypothesis: Enumerated, reference: Enumerated): [number, number][] {
  const matches: [number, number][] = [];
  for (let i = hypothesis.length - 1; i >= 0; i--) {
    const word = (hypothesis[i] as [number, string])[1];
    for (let j = reference.length - 1; j >= 0; j--) {
      if ((reference[j] as [number, string])[1] === word) {
        matches.push([(hypothesis[i] as [number, string])[0], (reference[j] as [number, string])[0]]);
        hypothesis.splice(i, 1);
        reference.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

function chunks(matches: readonly [number, number][]): number {
  let count = 1;
  for (let i = 0; i < matches.length - 1; i++) {
    const [h, r] = matches[i] as [number, number];
    const [nextH, nextR] = matches[i + 1] as [number, number];
    if (!(nextH === h + 1 && nextR === r + 1)) count++;
  }
  return count;
}

export interface MeteorDetail {
  score: number;
  matches: number;
  chunks: number;
}

export function singleMeteor(
  reference: string,
  hypothesis: string,
  options: MeteorOptions = {},
): MeteorDetail {
  const alpha = options.alpha ?? 0.9;
  const beta = options.beta ?? 3;
  const gamma = options.gamma ?? 0.5;
  const hyp: Enumerated = hypothesis
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index) => [index, word]);
  const ref: Enumerated = reference
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((word, index) => [index, word]);
  const translationLength = hyp.length;
  const referenceLength = ref.length;
  const exact = matchStage(hyp, ref);
  const stemmedHyp: Enumerated = hyp.map(([index, word]) => [index, porterStem(word)]);
  const stemmedRef: Enumerated = ref.map(([index, word]) => [index, porterStem(word)]);
  const stemmed = matchStage(stemmedHyp, stemmedRef);
  const matches = [...exact, ...stemmed].sort((a, b) => a[0] - b[0]);
  const count = matches.length;
  if (count === 0 || translationLength === 0 || referenceLength === 0) {
    return { score: 0, matches: count, chunks: 0 };
  }
  const precision = count / translationLength;
  const recall = count / referenceLength;
  const fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall);
  const chunkCount = chunks(matches);
  const penalty = gamma * (chunkCount / count) ** beta;
  return { score: (1 - penalty) * fmean, matches: count, chunks: chunkCount };
}

/** Best score over the references (NLTK's `meteor_score`). */
export function meteor(
  references: readonly string[],
  hypothesis: string,
  options: MeteorOptions = {},
): number {
  let best = 0;
  for (const reference of references)
    best = Math.max(best, singleMeteor(reference, hypothesis, options).score);
  return best;
}
