/**
 * @module rag/retrieval/retrieve
 * One retrieval entry for every caller (HTTP, CLI, experiments): vector, keyword or hybrid search,
 * metadata filters, top-k, a score threshold, optional reranking and window expansion (the
 * chunks around each hit). When the keyword side of a hybrid query matches nothing but the vector
 * side does, the result carries a `keyword_no_match` warning — Korean keyword search that silently
 * returns nothing is the failure users complain about most.
 *
 * @example
 * const result = await retrieve(
 *   { lexical, vector, embedder, chunks },
 *   { query: '임시정부 수립', mode: 'hybrid', topK: 5, window: 1 },
 * );
 */
import { KeelError } from '../../core/errors.js';
import type { EmbeddingModelV1 } from '../../spec/embedding-model.js';
import type { CallContext } from '../../spec/language-model.js';
import type { LexicalHit, LexicalIndexV1, MetadataFilter } from '../../spec/lexical-index.js';
import type { RerankModelV1 } from '../../spec/rerank-model.js';
import type { VectorHit, VectorIndexV1 } from '../../spec/vector-index.js';
import { assertValidFilter } from '../metadata-filter.js';
import type { ChunkStore, StoredChunk } from './chunk-store.js';
import { type FusionOptions, fuse } from './fusion.js';

export type RetrievalMode = 'vector' | 'keyword' | 'hybrid';

export interface RetrievalDependencies {
  chunks: ChunkStore;
  lexical?: LexicalIndexV1;
  vector?: VectorIndexV1;
  embedder?: EmbeddingModelV1;
}

export interface RetrieveOptions {
  query: string;
  mode?: RetrievalMode;
  topK?: number;
  /** Candidates taken from each side before fusion and reranking (default max(4 · topK, 20)). */
  candidates?: number;
  /** Hybrid fusion (default weighted, vectorWeight 0.05 — right for the lexical hashing embedder; `{ method: 'rrf', k: 60 }` for a semantic one). */
  fusion?: FusionOptions;
  filter?: MetadataFilter;
  /** Drop hits whose final score (cosine, BM25, fused or rerank score, by mode) is below this. */
  minScore?: number;
  /** Attach this many neighbouring chunks on each side of every hit. */
  window?: number;
  rerank?: { model: RerankModelV1; candidates?: number };
  /** Who is searching: the query's embedding is metered to this project. */
  context?: CallContext;
  /** Longest accepted query, in characters (default 8,000). */
  maxQueryChars?: number;
  abortSignal?: AbortSignal;
}

export interface RetrievedChunk {
  chunk: StoredChunk;
  /** Final score: cosine (vector), BM25 (keyword), fused (hybrid) or the reranker's. */
  score: number;
  scores: { keyword?: number; vector?: number; fused?: number; rerank?: number };
  ranks: { keyword?: number; vector?: number };
  /** The hit and its neighbours in document order, when `window` was asked for. */
  window?: StoredChunk[];
}

export interface RetrievalWarning {
  code: 'keyword_no_match' | 'vector_no_match';
  message: string;
}

export interface RetrievalResult {
  mode: RetrievalMode;
  hits: RetrievedChunk[];
  warnings: RetrievalWarning[];
}

interface Candidate {
  id: string;
  score: number;
  keyword?: number;
  vector?: number;
  fused?: number;
  keywordRank?: number;
  vectorRank?: number;
}

async function vectorSide(
  deps: RetrievalDependencies,
  options: RetrieveOptions,
  count: number,
): Promise<VectorHit[]> {
  if (!deps.vector || !deps.embedder) {
    throw new KeelError('invalid_request', 'Vector retrieval needs a vector index and an embedding model.');
  }
  const { embeddings } = await deps.embedder.doEmbed({
    values: [options.query],
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  const ids = options.filter ? await deps.chunks.matchingIds(options.filter) : undefined;
  return deps.vector.search(embeddings[0]!, { topK: count, ...(ids ? { ids } : {}) });
}

function keywordSide(deps: RetrievalDependencies, options: RetrieveOptions, count: number): LexicalHit[] {
  if (!deps.lexical) throw new KeelError('invalid_request', 'Keyword retrieval needs a keyword index.');
  return deps.lexical.search(options.query, {
    topK: count,
    ...(options.filter ? { filter: options.filter } : {}),
  });
}

export async function retrieve(
  deps: RetrievalDependencies,
  options: RetrieveOptions,
): Promise<RetrievalResult> {
  const mode = options.mode ?? 'hybrid';
  const topK = options.topK ?? 5;
  const maxQueryChars = options.maxQueryChars ?? 8000;
  if (options.query.length > maxQueryChars) {
    throw new KeelError(
      'invalid_request',
      `The query has ${options.query.length} characters; the limit is ${maxQueryChars}.`,
      {
        issues: [{ code: 'too_big', path: ['query'], message: `At most ${maxQueryChars} characters.` }],
      },
    );
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > 1000) {
    throw new KeelError('invalid_request', `top_k must be an integer from 1 to 1000, got ${topK}.`);
  }
  if (options.filter !== undefined) assertValidFilter(options.filter);
  const warnings: RetrievalWarning[] = [];
  const rerankPool = options.rerank ? Math.max(options.rerank.candidates ?? 3 * topK, topK) : topK;
  const count = Math.max(options.candidates ?? Math.max(4 * topK, 20), rerankPool);

  let candidates: Candidate[];
  if (mode === 'keyword') {
    candidates = keywordSide(deps, options, count).map((hit, i) => ({
      ...hit,
      keyword: hit.score,
      keywordRank: i + 1,
    }));
  } else if (mode === 'vector') {
    candidates = (await vectorSide(deps, options, count)).map((hit, i) => ({
      ...hit,
      vector: hit.score,
      vectorRank: i + 1,
    }));
  } else {
    const keyword = keywordSide(deps, options, count);
    const vector = await vectorSide(deps, options, count);
    if (keyword.length === 0 && vector.length > 0) {
      warnings.push({
        code: 'keyword_no_match',
        message: 'No chunk contains the query’s keywords; these results come from vector similarity alone.',
      });
    } else if (vector.length === 0 && keyword.length > 0) {
      warnings.push({
        code: 'vector_no_match',
        message: 'The vector index returned nothing; these results are keyword matches only.',
      });
    }
    const keywordScores = new Map(keyword.map((hit) => [hit.id, hit.score]));
    const vectorScores = new Map(vector.map((hit) => [hit.id, hit.score]));
    candidates = fuse(keyword, vector, options.fusion ?? { method: 'weighted', vectorWeight: 0.05 }).map(
      (hit) => {
        const candidate: Candidate = { ...hit, fused: hit.score };
        const keywordScore = keywordScores.get(hit.id);
        const vectorScore = vectorScores.get(hit.id);
        if (keywordScore !== undefined) candidate.keyword = keywordScore;
        if (vectorScore !== undefined) candidate.vector = vectorScore;
        return candidate;
      },
    );
  }

  candidates = candidates.slice(0, rerankPool);
  const chunks = new Map(
    (await deps.chunks.get(candidates.map((candidate) => candidate.id))).map((chunk) => [chunk.id, chunk]),
  );
  let hits: RetrievedChunk[] = candidates
    .filter((candidate) => chunks.has(candidate.id))
    .map((candidate) => toHit(candidate, chunks.get(candidate.id)!));

  if (options.rerank && hits.length > 0) {
    const { results } = await options.rerank.model.doRerank({
      query: options.query,
      documents: hits.map((hit) => hit.chunk.text),
      // The first stage's own scores (BM25, fused or cosine, by mode): rerankers that can fuse
      // them in (keel/lexical-ngram-rerank) gain what the corpus-wide statistics knew.
      firstStageScores: hits.map((hit) => hit.score),
      topN: topK,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    hits = results
      .filter((result) => hits[result.index] !== undefined)
      .map((result) => {
        const hit = hits[result.index]!;
        return { ...hit, score: result.score, scores: { ...hit.scores, rerank: result.score } };
      });
  }

  if (options.minScore !== undefined) hits = hits.filter((hit) => hit.score >= options.minScore!);
  hits = hits.slice(0, topK);
  if (options.window && options.window > 0) {
    const window = options.window;
    await Promise.all(
      hits.map(async (hit) => {
        hit.window = await deps.chunks.range(
          hit.chunk.documentId,
          hit.chunk.index - window,
          hit.chunk.index + window,
        );
      }),
    );
  }
  return { mode, hits, warnings };
}

function toHit(candidate: Candidate, chunk: StoredChunk): RetrievedChunk {
  const hit: RetrievedChunk = { chunk, score: candidate.score, scores: {}, ranks: {} };
  if (candidate.keyword !== undefined) hit.scores.keyword = candidate.keyword;
  if (candidate.vector !== undefined) hit.scores.vector = candidate.vector;
  if (candidate.fused !== undefined) hit.scores.fused = candidate.fused;
  if (candidate.keywordRank !== undefined) hit.ranks.keyword = candidate.keywordRank;
  if (candidate.vectorRank !== undefined) hit.ranks.vector = candidate.vectorRank;
  return hit;
}
