/**
 * @module evals/metrics/rouge
 * ROUGE-N, ROUGE-L and ROUGE-Lsum with the semantics of Google's `rouge-score` package:
 * - tokenizer `default`: lower-case, every character outside [a-z0-9] becomes a space, split;
 *   with `stem: true`, words longer than three letters go through the Porter stemmer (NLTK mode).
 *   It drops every non-ASCII letter, so Hangul text scores 0.
 * - tokenizer `korean`: NFKC, lower-case, every character that is not a letter or digit of any
 *   script becomes a space; Hangul words lose their trailing particle or ending (core/text's
 *   `stripKorean`: 학생들은 → 학생), other words are stemmed as in `default` when `stem` is on.
 * - ROUGE-L is the sentence-level LCS; ROUGE-Lsum the summary-level union-LCS over sentences
 *   split on newlines, with the ROUGE-1.5.5 guard against counting a token twice.
 * - Scores are F-measures; precision and recall per item are in `details`. With several references,
 *   each item keeps the reference with the best F-measure (rouge-score's `score_multi`).
 */
import { stripKorean } from '../../core/text/korean-morphology.js';
import { fmeasure } from './inputs.js';
import { porterStem } from './porter-stemmer.js';

export type RougeType = 'rouge1' | 'rouge2' | 'rougeL' | 'rougeLsum';
export type RougeTokenizer = 'default' | 'korean';

export interface RougeScore {
  precision: number;
  recall: number;
  fmeasure: number;
}

export interface RougeOptions {
  stem?: boolean;
  tokenizer?: RougeTokenizer;
}

const nonAlphanumeric = /[^a-z0-9]+/g;
const nonLetterOrDigit = /[^\p{L}\p{N}]+/gu;
const hangul = /[\uac00-\ud7a3]/;

function stemWord(word: string, stem: boolean): string {
  return stem && word.length > 3 ? porterStem(word) : word;
}

/** Tokens as rouge-score's default tokenizer makes them (or the Korean variant). */
export function rougeTokens(text: string, options: RougeOptions = {}): string[] {
  const stem = options.stem ?? false;
  if ((options.tokenizer ?? 'default') === 'korean') {
    const words = text.normalize('NFKC').toLowerCase().replace(nonLetterOrDigit, ' ').split(' ');
    const tokens: string[] = [];
    for (const word of words) {
      if (word === '') continue;
      tokens.push(hangul.test(word) ? stripKorean(word).stem : stemWord(word, stem));
    }
    return tokens;
  }
  const words = text.toLowerCase().replace(nonAlphanumeric, ' ').split(' ');
  const tokens: string[] = [];
  for (const word of words) if (word !== '') tokens.push(stemWord(word, stem));
  return tokens;
}

function score(hits: number, predictionCount: number, targetCount: number): RougeScore {
  const precision = predictionCount > 0 ? hits / predictionCount : 0;
  const recall = targetCount > 0 ? hits / targetCount : 0;
  return { precision, recall, fmeasure: fmeasure(precision, recall) };
}

function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = n === 1 ? (tokens[i] as string) : tokens.slice(i, i + n).join('\u0001');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

export function rougeN(target: readonly string[], prediction: readonly string[], n: number): RougeScore {
  const targetGrams = ngramCounts(target, n);
  const predictionGrams = ngramCounts(prediction, n);
  let hits = 0;
  for (const [gram, count] of targetGrams) hits += Math.min(count, predictionGrams.get(gram) ?? 0);
  const targetTotal = Math.max(target.length - n + 1, 0);
  const predictionTotal = Math.max(prediction.length - n + 1, 0);
  return score(hits, Math.max(predictionTotal, 1), Math.max(targetTotal, 1));
}

/** Length of the longest common subsequence, in O(min) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let previous = new Int32Array(b.length + 1);
  let current = new Int32Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const token = a[i - 1];
    for (let j = 1; j <= b.length; j++) {
      if (token === b[j - 1]) current[j] = (previous[j - 1] as number) + 1;
      else current[j] = Math.max(previous[j] as number, current[j - 1] as number);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] as number;
}

export function rougeL(target: readonly string[], prediction: readonly string[]): RougeScore {
  if (target.length === 0 || prediction.length === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  return score(lcsLength(target, prediction), prediction.length, target.length);
}

/** Indices into `ref` of one LCS with `can`, read back as rouge-score does (ties move up a row). */
function lcsIndices(ref: readonly string[], can: readonly string[]): number[] {
  const rows = ref.length;
  const cols = can.length;
  const table: Int32Array[] = [];
  for (let i = 0; i <= rows; i++) table.push(new Int32Array(cols + 1));
  for (let i = 1; i <= rows; i++) {
    const row = table[i] as Int32Array;
    const above = table[i - 1] as Int32Array;
    for (let j = 1; j <= cols; j++) {
      row[j] =
        ref[i - 1] === can[j - 1]
          ? (above[j - 1] as number) + 1
          : Math.max(above[j] as number, row[j - 1] as number);
    }
  }
  const indices: number[] = [];
  let i = rows;
  let j = cols;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === can[j - 1]) {
      indices.push(i - 1);
      i--;
      j--;
    } else if ((table[i]?.[j - 1] as number) > (table[i - 1]?.[j] as number)) j--;
    else i--;
  }
  return indices.reverse();
}

/** Summary-level LCS (ROUGE paper §3.2) over sentence token lists. */
export function rougeLsum(targetSentences: string[][], predictionSentences: string[][]): RougeScore {
  const m = targetSentences.reduce((sum, s) => sum + s.length, 0);
  const n = predictionSentences.reduce((sum, s) => sum + s.length, 0);
  if (m === 0 || n === 0) return { precision: 0, recall: 0, fmeasure: 0 };
  const targetCounts = new Map<string, number>();
  const predictionCounts = new Map<string, number>();
  for (const sentence of targetSentences)
    for (const t of sentence) targetCounts.set(t, (targetCounts.get(t) ?? 0) + 1);
  for (const sentence of predictionSentences) {
    for (const t of sentence) predictionCounts.set(t, (predictionCounts.get(t) ?? 0) + 1);
  }
  let hits = 0;
  for (const ref of targetSentences) {
    const union = new Set<number>();
    for (const can of predictionSentences) for (const index of lcsIndices(ref, can)) union.add(index);
    for (const index of [...union].sort((a, b) => a - b)) {
      const token = ref[index] as string;
      const c = predictionCounts.get(token) ?? 0;
      const r = targetCounts.get(token) ?? 0;
      if (c > 0 && r > 0) {
        hits++;
        predictionCounts.set(token, c - 1);
        targetCounts.set(token, r - 1);
      }
    }
  }
  return score(hits, n, m);
}

function sentences(text: string, options: RougeOptions): string[][] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => rougeTokens(line, options));
}

/** rouge-score's `RougeScorer.score(target, prediction)` for one type. */
export function rougeScore(
  type: RougeType,
  target: string,
  prediction: string,
  options: RougeOptions = {},
): RougeScore {
  if (type === 'rougeLsum') return rougeLsum(sentences(target, options), sentences(prediction, options));
  const targetTokens = rougeTokens(target, options);
  const predictionTokens = rougeTokens(prediction, options);
  if (type === 'rougeL') return rougeL(targetTokens, predictionTokens);
  return rougeN(targetTokens, predictionTokens, type === 'rouge1' ? 1 : 2);
}

/** Best F-measure over several references (rouge-score's `score_multi`). */
export function rougeScoreMulti(
  type: RougeType,
  targets: readonly string[],
  prediction: string,
  options: RougeOptions = {},
): RougeScore {
  let best: RougeScore = { precision: 0, recall: 0, fmeasure: 0 };
  let first = true;
  for (const target of targets) {
    const result = rougeScore(type, target, prediction, options);
    if (first || result.fmeasure > best.fmeasure) best = result;
    first = false;
  }
  return best;
}
