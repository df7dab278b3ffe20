/**
 * @module evals/metrics/bleu
 * Two BLEU flavours, both on the `13a` tokenizer (mteval-v13a's rules, as in sacreBLEU):
 * - `sacrebleu`: sacreBLEU's `corpus_bleu` (0..100): corpus n-gram statistics, n = 1..4, the
 *   closest reference length (ties → the shorter), brevity penalty, `exp` smoothing by default
 *   (`none`, `floor`, `add-k` too). Per item: sacreBLEU's `sentence_bleu` (exp smoothing,
 *   effective order).
 * - `bleu`: Hugging Face `evaluate`'s `bleu` (0..1): no smoothing unless `smooth: true` (then
 *   add-one on orders 2 and up), the shortest reference length, and 0 as soon as one order has no
 *   match. Per item: the same formula on the single item.
 */

export type SmoothMethod = 'exp' | 'none' | 'floor' | 'add-k';
export type BleuTokenizer = '13a' | 'none';

/** mteval-v13a tokenization, as sacreBLEU's `Tokenizer13a`. */
export function tokenize13a(input: string): string {
  let line = input.replaceAll('<skipped>', '').replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line
      .replaceAll('&quot;', '"')
      .replaceAll('&amp;', '&')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  line = line.replace(/([{-~[-` -&(-+:-@/])/g, ' $1 ');
  line = line.replace(/([^0-9])([.,])/g, '$1 $2 ');
  line = line.replace(/([.,])([^0-9])/g, ' $1 $2');
  line = line.replace(/([0-9])(-)/g, '$1 $2 ');
  return line.split(/\s+/).filter(Boolean).join(' ');
}

function words(text: string, tokenizer: BleuTokenizer, lowercase: boolean): string[] {
  const cased = lowercase ? text.toLowerCase() : text;
  const tokenized = tokenizer === '13a' ? tokenize13a(cased) : cased;
  return tokenized.split(/\s+/).filter(Boolean);
}

function ngrams(tokens: readonly string[], maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = 1; n <= maxOrder; n++) {
    for (let i = 0; i + n <= tokens.length; i++) {
      const key = `${n}\u0002${tokens.slice(i, i + n).join('\u0001')}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

export interface BleuStats {
  correct: number[];
  total: number[];
  sysLen: number;
  refLen: number;
}

export interface BleuOptions {
  tokenizer?: BleuTokenizer;
  lowercase?: boolean;
  maxOrder?: number;
}

/** Statistics of one segment, sacreBLEU style (closest reference length). */
export function segmentStats(
  hypothesis: string,
  references: readonly string[],
  options: BleuOptions = {},
): BleuStats {
  const tokenizer = options.tokenizer ?? '13a';
  const lowercase = options.lowercase ?? false;
  const maxOrder = options.maxOrder ?? 4;
  const hyp = words(hypothesis, tokenizer, lowercase);
  const maxRef = new Map<string, number>();
  let refLen = -1;
  let closestDiff = Number.POSITIVE_INFINITY;
  for (const reference of references) {
    const ref = words(reference, tokenizer, lowercase);
    const diff = Math.abs(hyp.length - ref.length);
    if (diff < closestDiff || (diff === closestDiff && ref.length < refLen)) {
      closestDiff = diff;
      refLen = ref.length;
    }
    for (const [gram, count] of ngrams(ref, maxOrder))
      maxRef.set(gram, Math.max(maxRef.get(gram) ?? 0, count));
  }
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  for (let n = 1; n <= maxOrder; n++) total[n - 1] = Math.max(hyp.length - n + 1, 0);
  for (const [gram, count] of ngrams(hyp, maxOrder)) {
    const n = Number(gram.slice(0, gram.indexOf('\u0002')));
    correct[n - 1] = (correct[n - 1] as number) + Math.min(count, maxRef.get(gram) ?? 0);
  }
  return { correct, total, sysLen: hyp.length, refLen: Math.max(refLen, 0) };
}

function addStats(a: BleuStats, b: BleuStats): BleuStats {
  return {
    correct: a.correct.map((v, i) => v + (b.correct[i] as number)),
    total: a.total.map((v, i) => v + (b.total[i] as number)),
    sysLen: a.sysLen + b.sysLen,
    refLen: a.refLen + b.refLen,
  };
}

export interface BleuScore {
  score: number;
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
}

const logZero = -9999999999;

/** sacreBLEU's `compute_bleu` (0..100). */
export function computeBleu(
  stats: BleuStats,
  smooth: SmoothMethod = 'exp',
  smoothValue?: number,
  effectiveOrder = false,
): BleuScore {
  const maxOrder = stats.correct.length;
  const correct = [...stats.correct];
  const total = [...stats.total];
  const value = smoothValue ?? (smooth === 'floor' ? 0.1 : 1);
  const precisions = new Array<number>(maxOrder).fill(0);
  const { sysLen, refLen } = stats;
  let bp = 1;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0;
  if (sysLen === 0) return { score: 0, precisions, bp, sysLen, refLen };
  // As sacreBLEU (its issue #141): no matching n-gram at all is 0, whatever the smoothing.
  if (!stats.correct.some((c) => c > 0)) return { score: 0, precisions, bp, sysLen, refLen };
  let smoothMteval = 1;
  let order = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smooth === 'add-k' && n > 1) {
      correct[n - 1] = (correct[n - 1] as number) + value;
      total[n - 1] = (total[n - 1] as number) + value;
    }
    const t = total[n - 1] as number;
    const c = correct[n - 1] as number;
    if (t === 0) break;
    if (effectiveOrder) order = n;
    if (c === 0) {
      if (smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * t);
      } else if (smooth === 'floor') {
        precisions[n - 1] = (100 * value) / t;
      }
    } else {
      precisions[n - 1] = (100 * c) / t;
    }
  }
  let logSum = 0;
  for (let i = 0; i < order; i++) {
    const p = precisions[i] as number;
    logSum += p === 0 ? logZero : Math.log(p);
  }
  return { score: bp * Math.exp(logSum / order), precisions, bp, sysLen, refLen };
}

export interface SacreBleuOptions extends BleuOptions {
  smooth?: SmoothMethod;
  smoothValue?: number;
}

/** sacreBLEU `corpus_bleu`: one statistics sum over all segments. */
export function corpusBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: SacreBleuOptions = {},
): BleuScore {
  return corpusAndSentenceBleu(hypotheses, references, options).corpus;
}

/** Corpus BLEU and every segment's sentence BLEU from one pass of statistics. */
export function corpusAndSentenceBleu(
  hypotheses: readonly string[],
  references: readonly (readonly string[])[],
  options: SacreBleuOptions = {},
): { corpus: BleuScore; perItem: number[] } {
  const maxOrder = options.maxOrder ?? 4;
  let stats: BleuStats = {
    correct: new Array(maxOrder).fill(0),
    total: new Array(maxOrder).fill(0),
    sysLen: 0,
    refLen: 0,
  };
  const perItem = hypotheses.map((hypothesis, index) => {
    const segment = segmentStats(hypothesis, references[index] ?? [], options);
    stats = addStats(stats, segment);
    return computeBleu(segment, options.smooth ?? 'exp', options.smoothValue, true).score;
  });
  return { corpus: computeBleu(stats, options.smooth ?? 'exp', options.smoothValue, false), perItem };
}

/** sacreBLEU `sentence_bleu`: exp smoothing and effective order by default. */
export function sentenceBleu(
  hypothesis: string,
  references: readonly string[],
  options: SacreBleuOptions = {},
): BleuScore {
  return computeBleu(
    segmentStats(hypothesis, references, options),
    options.smooth ?? 'exp',
    options.smoothValue,
    true,
  );
}

interface HfStats {
  matches: number[];
  possible: number[];
  translationLength: number;
  referenceLength: number;
}

function hfStats(
  hypothesis: string,
  references: readonly string[],
  maxOrder: number,
  lowercase: boolean,
): HfStats {
  const hyp = words(hypothesis, '13a', lowercase);
  const maxRef = new Map<string, number>();
  let shortest = Number.POSITIVE_INFINITY;
  for (const reference of references) {
    const ref = words(reference, '13a', lowercase);
    shortest = Math.min(shortest, ref.length);
    for (const [gram, count] of ngrams(ref, maxOrder))
      maxRef.set(gram, Math.max(maxRef.get(gram) ?? 0, count));
  }
  const matches = new Array<number>(maxOrder).fill(0);
  const possible = new Array<number>(maxOrder).fill(0);
  for (let n = 1; n <= maxOrder; n++) possible[n - 1] = Math.max(hyp.length - n + 1, 0);
  for (const [gram, count] of ngrams(hyp, maxOrder)) {
    const n = Number(gram.slice(0, gram.indexOf('\u0002')));
    matches[n - 1] = (matches[n - 1] as number) + Math.min(count, maxRef.get(gram) ?? 0);
  }
  return {
    matches,
    possible,
    translationLength: hyp.length,
    referenceLength: Number.isFinite(shortest) ? shortest : 0,
  };
}

export interface HfBleuScore {
  bleu: number;
  precisions: number[];
  brevity_penalty: number;
  length_ratio: number;
  translation_length: number;
  reference_length: number;
}

function hfScore(stats: HfStats, smooth: boolean): HfBleuScore {
  const maxOrder = stats.matches.length;
  const precisions = stats.matches.map((m, i) => {
    const p = stats.possible[i] as number;
    // Lin & Och (2004) add-one smoothing, as tensorflow/nmt's compute_bleu: orders 2 and up only.
    if (smooth && i > 0) return (m + 1) / (p + 1);
    return p > 0 ? m / p : 0;
  });
  const geoMean =
    Math.min(...precisions) > 0
      ? Math.exp(precisions.reduce((sum, p) => sum + Math.log(p), 0) / maxOrder)
      : 0;
  const ratio = stats.referenceLength > 0 ? stats.translationLength / stats.referenceLength : 0;
  let bp = 1;
  if (ratio <= 1) bp = ratio > 0 ? Math.exp(1 - 1 / ratio) : 0;
  return {
    bleu: geoMean * bp,
    precisions,
    brevity_penalty: bp,
    length_ratio: ratio,
    translation_length: stats.translationLength,
    reference_length: stats.referenceLength,
  };
}

export interface HfBleuOptions {
  maxOrder?: number;
  smooth?: boolean;
  lowercase?: boolean;
}

/** Hugging Face `evaluate` bleu over a corpus, and the same formula per item. */
export function hfBleu(
  predictions: readonly string[],
  references: readonly (readonly string[])[],
  options: HfBleuOptions = {},
): { corpus: HfBleuScore; perItem: number[] } {
  const maxOrder = options.maxOrder ?? 4;
  const smooth = options.smooth ?? false;
  const lowercase = options.lowercase ?? false;
  const total: HfStats = {
    matches: new Array(maxOrder).fill(0),
    possible: new Array(maxOrder).fill(0),
    translationLength: 0,
    referenceLength: 0,
  };
  const perItem: number[] = [];
  predictions.forEach((prediction, index) => {
    const stats = hfStats(prediction, references[index] ?? [], maxOrder, lowercase);
    perItem.push(hfScore(stats, smooth).bleu);
    for (let i = 0; i < maxOrder; i++) {
      total.matches[i] = (total.matches[i] as number) + (stats.matches[i] as number);
      total.possible[i] = (total.possible[i] as number) + (stats.possible[i] as number);
    }
    total.translationLength += stats.translationLength;
    total.referenceLength += stats.referenceLength;
  });
  return { corpus: hfScore(total, smooth), perItem };
}
