/**
 * @module bench/watsonx/rerank-fit
 * What the rerank learning scripts share: each question's BM25 top 50 on KorQuAD 1.0 dev and
 * XQuAD (en) scored once with every signal `keel/lexical-ngram-rerank` computes, split into the
 * TUNING half (questions of even-numbered articles) and the HELD-OUT half (odd-numbered); a
 * linear ranker fitted on the tuning half with a listwise softmax loss (L2, Adam) and refined for
 * recall@1 there; recall@1 and nDCG@10 of any weights on any part.
 * Used by rerank-learn.ts (the shipped weights) and rerank-assoc-learn.ts (a learned
 * term-association feature, measured).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import { Bm25Index } from '../../src/rag/lexical/bm25-index.js';
import { LexicalReranker, type RerankFeatures } from '../../src/rag/rerank/lexical-reranker.js';
import { ngramProfile, ngramSimilarity } from '../../src/rag/rerank/ngram-similarity.js';
import { loadRetrievalSet } from '../rag/datasets.js';

export const POOL = 50;
export const LEXICAL = [
  'bm25',
  'chars',
  'sentence',
  'proximity',
  'phrase',
  'bigrams',
  'pair',
  'tight',
  'coverage',
  'numeric',
  'window3',
  'density',
  'run',
  'missing',
  'rare',
  'lead',
  'answerType',
] as const satisfies readonly (keyof RerankFeatures)[];
export const SIGNALS = [...LEXICAL, 'whole', 'window', 'first', 'firstRank'] as const;
export type Signal = (typeof SIGNALS)[number];

export interface Question {
  set: 'korquad' | 'xquad';
  split: 'tune' | 'held-out';
  /** The question's id in the set and its candidates' paragraph ids, BM25's order. */
  id: string;
  candidates: string[];
  gold: number;
  /** signals[s][candidate]: SIGNALS, then any a script appends. */
  signals: Float64Array[];
  ms: number;
}

export function scaleToMax(values: number[]): Float64Array {
  const max = Math.max(...values) || 1;
  return Float64Array.from(values, (value) => value / max);
}

export function prepare(name: 'korquad' | 'xquad'): Question[] {
  const set = loadRetrievalSet(name);
  const index = new Bm25Index();
  index.add(set.paragraphs.map((p) => ({ id: p.id, text: p.text, fields: { title: p.title } })));
  const byId = new Map(set.paragraphs.map((p) => [p.id, p]));
  const reranker = new LexicalReranker();
  const profiles = new Map<string, ReturnType<typeof ngramProfile>>();
  return set.questions.map((question) => {
    const hits = index.search(question.text, { topK: POOL });
    const ids = hits.map((hit) => hit.id);
    const documents = ids.map((id) => `${byId.get(id)!.title}\n${byId.get(id)!.text}`);
    const started = performance.now();
    const lexical = reranker.features(question.text, documents);
    const ms = performance.now() - started;
    const ngram = ngramSimilarity(
      question.text,
      documents.map((document, i) => {
        const cached = profiles.get(ids[i]!);
        if (cached) return cached;
        const profile = ngramProfile(document);
        profiles.set(ids[i]!, profile);
        return profile;
      }),
    );
    const article = Number(question.gold.split('-')[0]);
    return {
      set: name,
      split: article % 2 === 0 ? 'tune' : 'held-out',
      id: question.id,
      candidates: ids,
      gold: ids.indexOf(question.gold),
      ms,
      signals: [
        ...LEXICAL.map((signal) => Float64Array.from(lexical, (f) => f[signal])),
        scaleToMax(ngram.map((s) => s.whole)),
        scaleToMax(ngram.map((s) => s.window)),
        scaleToMax(hits.map((hit) => hit.score)),
        Float64Array.from(hits, (_, rank) => 1 / (rank + 1)),
      ],
    } satisfies Question;
  });
}

/** The gold's rank under these weights (ties broken by the first stage's order), or -1. */
export function rankOf(question: Question, weights: Float64Array, use: number[]): number {
  if (question.gold < 0) return -1;
  const n = question.signals[0]!.length;
  const score = (c: number) => {
    let total = 0;
    for (const s of use) total += weights[s]! * question.signals[s]![c]!;
    return total;
  };
  const gold = score(question.gold);
  let rank = 0;
  for (let c = 0; c < n; c++) {
    if (c === question.gold) continue;
    const other = score(c);
    if (other > gold || (other === gold && c < question.gold)) rank++;
  }
  return rank;
}

export function evaluate(questions: Question[], weights: Float64Array, use: number[]) {
  let recall1 = 0;
  let ndcg = 0;
  for (const question of questions) {
    const rank = rankOf(question, weights, use);
    if (rank === 0) recall1++;
    if (rank >= 0 && rank < 10) ndcg += 1 / Math.log2(rank + 2);
  }
  const n = questions.length || 1;
  return { recall1: recall1 / n, ndcg10: ndcg / n };
}

/**
 * Fits weights on `questions` (signal indices `use`) with a listwise softmax loss and L2, by Adam.
 * Signals are standardised first; the returned weights apply to the raw signals.
 */
export function fitWeights(questions: Question[], use: number[], l2 = 1e-3, epochs = 300): Float64Array {
  const trainable = questions.filter((q) => q.gold >= 0);
  const width = trainable[0]?.signals.length ?? SIGNALS.length;
  const mean = new Float64Array(width);
  const sd = new Float64Array(width).fill(1);
  for (const s of use) {
    let sum = 0;
    let sq = 0;
    let count = 0;
    for (const q of trainable)
      for (const v of q.signals[s]!) {
        sum += v;
        sq += v * v;
        count++;
      }
    mean[s] = sum / count;
    sd[s] = Math.sqrt(Math.max(sq / count - mean[s]! ** 2, 1e-12));
  }
  const w = new Float64Array(width);
  const m = new Float64Array(width);
  const v = new Float64Array(width);
  const rate = 0.05;
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const grad = new Float64Array(width);
    for (const q of trainable) {
      const n = q.signals[0]!.length;
      const scores = new Float64Array(n);
      for (let c = 0; c < n; c++)
        for (const s of use) scores[c]! += (w[s]! * (q.signals[s]![c]! - mean[s]!)) / sd[s]!;
      const max = Math.max(...scores);
      let z = 0;
      for (let c = 0; c < n; c++) z += Math.exp(scores[c]! - max);
      for (let c = 0; c < n; c++) {
        const p = Math.exp(scores[c]! - max) / z - (c === q.gold ? 1 : 0);
        for (const s of use) grad[s]! += (p * (q.signals[s]![c]! - mean[s]!)) / sd[s]!;
      }
    }
    for (const s of use) {
      const g = grad[s]! / trainable.length + l2 * w[s]!;
      m[s] = 0.9 * m[s]! + 0.1 * g;
      v[s] = 0.999 * v[s]! + 0.001 * g * g;
      const mHat = m[s]! / (1 - 0.9 ** epoch);
      const vHat = v[s]! / (1 - 0.999 ** epoch);
      w[s]! -= (rate * mHat) / (Math.sqrt(vHat) + 1e-8);
    }
  }
  // Back to raw signals (the mean shifts every candidate alike: it does not change the order).
  return Float64Array.from(w, (weight, s) => (use.includes(s) ? weight / sd[s]! : 0));
}

/**
 * Refines fitted weights for recall@1 itself (the softmax loss is only its smooth stand-in):
 * coordinate ascent on the mean recall@1 of the two sets' tuning questions, each weight in turn
 * negated, zeroed or scaled, three rounds. Still the tuning split only. Each candidate's score is
 * kept and moved by one signal per trial (a trial changes one weight), not recomputed.
 */
export function refineForRecall(tuneSets: Question[][], start: Float64Array, use: number[]): Float64Array {
  const weights = Float64Array.from(start);
  // Each candidate's score under the current weights; a trial changes one weight, so one signal.
  const scores = tuneSets.map((questions) =>
    questions.map((question) => {
      const n = question.signals[0]!.length;
      return Float64Array.from({ length: n }, (_, c) =>
        use.reduce((sum, s) => sum + weights[s]! * question.signals[s]![c]!, 0),
      );
    }),
  );
  const objective = (signal: number, delta: number) =>
    tuneSets.reduce((sum, questions, set) => {
      let hits = 0;
      questions.forEach((question, q) => {
        if (question.gold < 0) return;
        const score = scores[set]![q]!;
        const values = question.signals[signal]!;
        const gold = score[question.gold]! + delta * values[question.gold]!;
        for (let c = 0; c < score.length; c++) {
          if (c === question.gold) continue;
          const other = score[c]! + delta * values[c]!;
          if (other > gold || (other === gold && c < question.gold)) return;
        }
        hits++;
      });
      return sum + hits / (questions.length || 1);
    }, 0) / tuneSets.length;
  let best = objective(use[0]!, 0);
  const apply = (signal: number, delta: number) =>
    tuneSets.forEach((questions, set) =>
      questions.forEach((question, q) => {
        const score = scores[set]![q]!;
        for (let c = 0; c < score.length; c++) score[c]! += delta * question.signals[signal]![c]!;
      }),
    );
  // As before: each weight in turn negated, zeroed or scaled, a gain kept at once; three rounds.
  for (let round = 0; round < 3; round++)
    for (const s of use)
      for (const factor of [-1, 0, 0.25, 0.5, 0.75, 1.25, 1.5, 2, 3]) {
        const delta = weights[s]! * (factor - 1);
        const value = objective(s, delta);
        if (value > best + 1e-9) {
          best = value;
          weights[s]! += delta;
          apply(s, delta);
        }
      }
  return weights;
}

/**
 * Every question of both sets with its signals; with `KEEL_RERANK_SIGNALS=<file>` they are kept
 * there and read back next time.
 */
export function loadQuestions(): Question[] {
  const cache = process.env.KEEL_RERANK_SIGNALS;
  if (cache && existsSync(cache)) return deserialize(readFileSync(cache)) as Question[];
  const all = [...prepare('korquad'), ...prepare('xquad')];
  if (cache) writeFileSync(cache, serialize(all));
  return all;
}

/** The signals before sentence-cues.ts: the first-stage model still ships on these alone. */
export const BEFORE_CUES: Signal[] = [...LEXICAL.slice(0, LEXICAL.indexOf('window3')), 'whole', 'window'];

export const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;
