/**
 * @module evals/metrics/chrf
 * chrF and chrF++ with sacreBLEU 2.x semantics (0..100): character n-grams of order 1..6 with
 * whitespace removed, word n-grams of order 1..`wordOrder` (0 for chrF, 2 for chrF++) after
 * splitting a leading or trailing punctuation mark off each word, beta = 2, averaged precision and
 * recall over the orders that exist (or sacreBLEU's `eps_smoothing` average of per-order F-scores).
 * With several references an item keeps the reference with the best F-score; the corpus score sums
 * the statistics of every item first.
 */

export interface ChrfOptions {
  charOrder?: number;
  wordOrder?: number;
  beta?: number;
  lowercase?: boolean;
  whitespace?: boolean;
  epsSmoothing?: boolean;
}

const punctuation = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

function splitPunctuation(sentence: string): string[] {
  const tokens: string[] = [];
  for (const word of sentence.split(/\s+/).filter(Boolean)) {
    if (word.length === 1) tokens.push(word);
    else if (punctuation.has(word[word.length - 1] as string)) tokens.push(word.slice(0, -1), word.slice(-1));
    else if (punctuation.has(word[0] as string)) tokens.push(word[0] as string, word.slice(1));
    else tokens.push(word);
  }
  return tokens;
}

function counter(items: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

const surrogate = /[\ud800-\udfff]/;

function charCounts(line: string, order: number): Map<string, number> {
  const counts = new Map<string, number>();
  if (!surrogate.test(line)) {
    // One UTF-16 unit per character: slice directly.
    for (let i = 0; i + order <= line.length; i++) {
      const gram = line.slice(i, i + order);
      counts.set(gram, (counts.get(gram) ?? 0) + 1);
    }
    return counts;
  }
  const chars = Array.from(line);
  for (let i = 0; i + order <= chars.length; i++) {
    const gram = chars.slice(i, i + order).join('');
    counts.set(gram, (counts.get(gram) ?? 0) + 1);
  }
  return counts;
}

function* wordGrams(tokens: readonly string[], order: number): Generator<string> {
  for (let i = 0; i + order <= tokens.length; i++) yield tokens.slice(i, i + order).join(' ');
}

function allGrams(text: string, options: Required<ChrfOptions>): Map<string, number>[] {
  const sentence = options.lowercase ? text.toLowerCase() : text;
  const line = options.whitespace ? sentence : sentence.split(/\s+/).join('');
  const grams: Map<string, number>[] = [];
  for (let n = 1; n <= options.charOrder; n++) grams.push(charCounts(line, n));
  if (options.wordOrder > 0) {
    const tokens = splitPunctuation(sentence);
    for (let n = 1; n <= options.wordOrder; n++) grams.push(counter(wordGrams(tokens, n)));
  }
  return grams;
}

function withDefaults(options: ChrfOptions): Required<ChrfOptions> {
  return {
    charOrder: options.charOrder ?? 6,
    wordOrder: options.wordOrder ?? 0,
    beta: options.beta ?? 2,
    lowercase: options.lowercase ?? false,
    whitespace: options.whitespace ?? false,
    epsSmoothing: options.epsSmoothing ?? false,
  };
}

/** sacreBLEU's `_compute_f_score` on [hyp, ref, match] triples per order. */
function fScore(stats: readonly number[], options: Required<ChrfOptions>): number {
  const eps = 1e-16;
  const order = options.charOrder + options.wordOrder;
  const factor = options.beta ** 2;
  let score = 0;
  let effectiveOrder = 0;
  let avgPrecision = 0;
  let avgRecall = 0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[3 * i] as number;
    const nRef = stats[3 * i + 1] as number;
    const nMatch = stats[3 * i + 2] as number;
    const precision = nHyp > 0 ? nMatch / nHyp : eps;
    const recall = nRef > 0 ? nMatch / nRef : eps;
    const denominator = factor * precision + recall;
    score += denominator > 0 ? ((1 + factor) * precision * recall) / denominator : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrecision += precision;
      avgRecall += recall;
      effectiveOrder++;
    }
  }
  if (options.epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) return 0;
  avgPrecision /= effectiveOrder;
  avgRecall /= effectiveOrder;
  if (avgPrecision + avgRecall === 0) return 0;
  return (100 * (1 + factor) * avgPrecision * avgRecall) / (factor * avgPrecision + avgRecall);
}

function segmentStatistics(
  hypothesis: string,
  references: readonly string[],
  options: Required<ChrfOptions>,
): number[] {
  const hyp = allGrams(hypothesis, options);
  let best: number[] = [];
  let bestScore = -1;
  for (const reference of references) {
    const ref = allGrams(reference, options);
    const stats: number[] = [];
    hyp.forEach((hypGrams, order) => {
      const refGrams = ref[order] as Map<string, number>;
      let nHyp = 0;
      let nMatch = 0;
      let nRef = 0;
      for (const [gram, count] of hypGrams) {
        nHyp += count;
        nMatch += Math.min(count, refGrams.get(gram) ?? 0);
      }
      for (const count of refGrams.values()) nRef += count;
      stats.push(nHyp, nRef, nMatch);
    });
    const score = fScore(stats, options);
    if (score > bestScore) {
      bestScore = score;
      best = stats;
    }
  }
  return best;
}

/** Corpus chrF and each item's sentence chrF. */
export function chrf(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  chrfOptions: ChrfOptions = {},
): { score: number; perItem: number[] } {
  const options = withDefaults(chrfOptions);
  const totals = new Array<number>(3 * (options.charOrder + options.wordOrder)).fill(0);
  const perItem = hypotheses.map((hypothesis, index) => {
    const stats = segmentStatistics(hypothesis, references[index] ?? [], options);
    stats.forEach((value, i) => {
      totals[i] = (totals[i] as number) + value;
    });
    return stats.length ? fScore(stats, options) : 0;
  });
  return { score: fScore(totals, options), perItem };
}
