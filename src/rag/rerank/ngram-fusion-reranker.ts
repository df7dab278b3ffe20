/**
 * @module rag/rerank/ngram-fusion-reranker
 * `keel/lexical-ngram-rerank`: Keel's built-in lexical reranker fused with a second offline signal,
 * the character n-gram TF-IDF cosine (ngram-similarity.ts). No model; works offline; lexical, not
 * semantic. Scores are a weighted sum of signals each scaled to 0–1 over the candidates. When the
 * caller has the first stage's scores (collection search passes its BM25, fused or cosine scores
 * through the rerank port's `firstStageScores`), they are fused in as well, with their own weight — a reranker sees only the candidates, so its IDF is local to them,
 * while the first stage's comes from the whole corpus.
 *
 * The weights were chosen on one half of the KorQuAD and XQuAD questions (even-numbered articles)
 * and reported on the other half: `bench/watsonx/rerank-tune.ts`.
 */
import type { RerankModelV1, RerankOptions, RerankResult } from '../../spec/rerank-model.js';
import { LexicalReranker } from './lexical-reranker.js';
import { type NgramProfile, ngramProfile, ngramSimilarity } from './ngram-similarity.js';

export const NGRAM_FUSION_RERANK_MODEL = 'keel/lexical-ngram-rerank';

export interface NgramFusionWeights {
  /** BM25 over the candidates. */
  bm25: number;
  /** The query's character trigrams in the best sentence. */
  chars: number;
  /** The query's terms in the best sentence. */
  sentence: number;
  /** n-gram cosine with the whole candidate. */
  whole: number;
  /** n-gram cosine with the best two-sentence window. */
  window: number;
  /** The first stage's score, when given. */
  first: number;
}

/** Chosen on the tuning half (bench/watsonx/rerank-tune.ts): the reranker alone. */
export const ngramFusionWeights: NgramFusionWeights = {
  bm25: 1,
  chars: 0.75,
  sentence: 0,
  whole: 0.25,
  window: 0,
  first: 0,
};

/** Chosen on the tuning half with the first stage's scores fused in. */
export const firstStageFusionWeights: NgramFusionWeights = {
  bm25: 0,
  chars: 0.5,
  sentence: 0,
  whole: 0,
  window: 0.25,
  first: 1,
};

const CACHE_SIZE = 4_096;

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
    return lexical.map(
      (f, i) =>
        w.bm25 * f.bm25 +
        w.chars * f.chars +
        w.sentence * f.sentence +
        w.whole * whole[i]! +
        w.window * window[i]! +
        (first ? w.first * first[i]! : 0),
    );
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
