/**
 * @module spec/rerank-model
 * The rerank-model port, version 1: scores documents against a query.
 */
export interface RerankOptions {
  query: string;
  documents: string[];
  /** Return only the best N; all when omitted. */
  topN?: number;
  /**
   * The first stage's score of each document (one per document, any scale, higher is better),
   * when the caller has them — a collection's BM25 or fused score. A reranker sees only the
   * candidates; these carry what the first stage knew of the whole corpus. Models that cannot use
   * them ignore them.
   */
  firstStageScores?: number[];
  abortSignal?: AbortSignal;
}

export interface RerankResult {
  /** Sorted best first; `index` points into the input documents. */
  results: { index: number; score: number }[];
  usage: { inputTokens: number };
}

export interface RerankModelV1 {
  readonly specificationVersion: 'v1';
  readonly provider: string;
  readonly modelId: string;
  doRerank(options: RerankOptions): Promise<RerankResult>;
}
