/**
 * @module rag/rerank/ngram-fusion-reranker
 * `keel/lexical-ngram-rerank`: Keel's built-in lexical reranker fused with a second offline signal,
 * the character n-gram TF-IDF cosine (ngram-similarity.ts). No model; works offline; lexical, not
 * semantic. Scores are a weighted sum of signals each scaled to 0–1 over the candidates. When the
 * caller has the first stage's scores (collection search passes its BM25, fused or cosine scores
 * through the rerank port's `firstStageScores`), they are fused in as well, with their own weight — a reranker sees only the candidates, so its IDF is local to them,
 * while the first stage's comes from the whole corpus.
 *
 * The weights were fitted on one half of the KorQuAD and XQuAD questions (even-numbered articles)
 * and reported on the other half by `bench/watsonx/rerank-learn.ts`, which writes them to
 * `fusion-weights.json`.
 */
import type { RerankModelV1, RerankOptions, RerankResult } from '../../spec/rerank-model.js';
import fitted from './fusion-weights.json' with { type: 'json' };
import { LexicalReranker, type RerankFeatures } from './lexical-reranker.js';
import { type NgramProfile, ngramProfile, ngramSimilarity } from './ngram-similarity.js';

export const NGRAM_FUSION_RERANK_MODEL = 'keel/lexical-ngram-rerank';

/**
 * Weights of the signals, each scaled to 0–1 over the candidates (a signal left out weighs 0):
 * the lexical reranker's (`RerankFeatures`), the character n-gram cosines with the whole candidate
 * (`whole`) and its best two-sentence window (`window`), and, when given, the first stage's score
 * (`first`, scaled to its maximum) and rank (`firstRank`, 1 / (rank + 1)).
 */
export type NgramFusionWeights = Partial<
  Record<keyof RerankFeatures | 'whole' | 'window' | 'first' | 'firstRank', number>
>;

/**
 * The reranker alone: fitted on the tuning split (questions of even-numbered articles of KorQuAD and
 * XQuAD) with a listwise softmax loss; reported on the other half (bench/watsonx/rerank-learn.ts).
 * Signals absent here weigh 0.
 */
export const ngramFusionWeights: NgramFusionWeights = fitted.alone;

/** The same with the first stage's scores and ranks fused in (that fit then refined for recall@1). */
export const firstStageFusionWeights: NgramFusionWeights = fitted.firstStage;

const CACHE_SIZE = 4_096;

/** The signals of `NgramFusionWeights` that are not the lexical reranker's. */
const notLexical = new Set(['whole', 'window', 'first', 'firstRank']);

/** 1 / (rank + 1) of each score among them (ties keep the given order). */
function reciprocalRanks(scores: number[]): number[] {
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  const ranks = new Array<number>(scores.length);
  order.forEach((index, rank) => {
    ranks[index] = 1 / (rank + 1);
  });
  return ranks;
}

function scaleToMax(values: number[]): number[] {
  const max = Math.max(...values) || 1;
  return values.map((value) => value / max);
}

export class NgramFusionReranker implements RerankModelV1 {
  readonly specificationVersion = 'v1' as const;
  readonly provider = 'keel';
  readonly modelId = 'lexical-ngram-rerank';
  readonly #lexical: LexicalReranker;
  readonly #profiles = new Map<string, NgramProfile>();

  constructor(options: { lexical?: LexicalReranker } = {}) {
    this.#lexical = options.lexical ?? new LexicalReranker();
  }

  #profile(text: string): NgramProfile {
    let profile = this.#profiles.get(text);
    if (profile) {
      this.#profiles.delete(text);
    } else {
      profile = ngramProfile(text);
      if (this.#profiles.size >= CACHE_SIZE) this.#profiles.delete(this.#profiles.keys().next().value!);
    }
    this.#profiles.set(text, profile);
    return profile;
  }

  /**
   * Scores every document; higher is better. With `firstStageScores` (one per document, any scale),
   * the first stage's scores are fused in with `firstStageFusionWeights` unless weights are given.
   */
  score(
    query: string,
    documents: string[],
    firstStageScores?: number[],
    weights?: NgramFusionWeights,
  ): number[] {
    if (firstStageScores && firstStageScores.length !== documents.length)
      throw new RangeError('firstStageScores must have one score per document');
    const w = weights ?? (firstStageScores ? firstStageFusionWeights : ngramFusionWeights);
    const lexical = this.#lexical.features(query, documents);
    const ngram = ngramSimilarity(
      query,
      documents.map((document) => this.#profile(document)),
    );
    const whole = scaleToMax(ngram.map((s) => s.whole));
    const window = scaleToMax(ngram.map((s) => s.window));
    const first = firstStageScores ? scaleToMax(firstStageScores) : undefined;
    const firstRank = firstStageScores ? reciprocalRanks(firstStageScores) : undefined;
    const lexicalWeights = Object.entries(w).filter(
      (entry): entry is [keyof RerankFeatures, number] => !notLexical.has(entry[0]) && entry[1] !== 0,
    );
    return lexical.map((f, i) => {
      let score = (w.whole ?? 0) * whole[i]! + (w.window ?? 0) * window[i]!;
      for (const [signal, weight] of lexicalWeights) score += weight * f[signal];
      if (first) score += (w.first ?? 0) * first[i]! + (w.firstRank ?? 0) * firstRank![i]!;
      return score;
    });
  }

  async doRerank(options: RerankOptions): Promise<RerankResult> {
    options.abortSignal?.throwIfAborted();
    const scores = this.score(options.query, options.documents, options.firstStageScores);
    const results = scores
      .map((score, index) => ({ index, score: Math.round(score * 1e6) / 1e6 }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
    const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
    const inputTokens = words(options.query) + options.documents.reduce((sum, d) => sum + words(d), 0);
    return {
      results: options.topN !== undefined ? results.slice(0, options.topN) : results,
      usage: { inputTokens },
    };
  }
}
