/**
 * @module rag/retrieval/fusion
 * Combining the keyword and vector rankings of a hybrid query.
 * - Reciprocal rank fusion (Cormack et al., 2009): score = Σ 1 / (k + rank), k = 60; uses ranks
 *   only, so it needs no calibration, but it trusts both sides equally.
 * - Weighted score fusion: each side's scores min–max normalised over its candidates, then
 *   `(1 − w) · keyword + w · vector`. Right when one side is much stronger — as BM25 is over the
 *   lexical hashing embedder (bench/rag measures both).
 */

export interface RankedId {
  id: string;
  score: number;
}

export type FusionOptions = { method: 'rrf'; k?: number } | { method: 'weighted'; vectorWeight?: number };

export interface FusedId {
  id: string;
  score: number;
  keywordRank?: number;
  vectorRank?: number;
}

function ranks(list: readonly RankedId[]): Map<string, number> {
  return new Map(list.map((hit, rank) => [hit.id, rank + 1]));
}

/**
 * Fuses two rankings, best first.
 *
 * @example
 * fuse(keywordHits, vectorHits, { method: 'rrf', k: 60 });
 */
export function fuse(
  keyword: readonly RankedId[],
  vector: readonly RankedId[],
  options: FusionOptions,
): FusedId[] {
  const keywordRanks = ranks(keyword);
  const vectorRanks = ranks(vector);
  const scores = new Map<string, number>();
  if (options.method === 'rrf') {
    const k = options.k ?? 60;
    for (const [id, rank] of keywordRanks) scores.set(id, 1 / (k + rank));
    for (const [id, rank] of vectorRanks) scores.set(id, (scores.get(id) ?? 0) + 1 / (k + rank));
  } else {
    const weight = options.vectorWeight ?? 0.05;
    const add = (list: readonly RankedId[], share: number) => {
      if (list.length === 0) return;
      let max = Number.NEGATIVE_INFINITY;
      let min = Number.POSITIVE_INFINITY;
      for (const hit of list) {
        max = Math.max(max, hit.score);
        min = Math.min(min, hit.score);
      }
      const span = max - min;
      for (const hit of list) {
        const normalised = span > 0 ? (hit.score - min) / span : 1;
        scores.set(hit.id, (scores.get(hit.id) ?? 0) + share * normalised);
      }
    };
    add(keyword, 1 - weight);
    add(vector, weight);
  }
  return [...scores]
    .map(([id, score]) => {
      const fused: FusedId = { id, score };
      const keywordRank = keywordRanks.get(id);
      const vectorRank = vectorRanks.get(id);
      if (keywordRank !== undefined) fused.keywordRank = keywordRank;
      if (vectorRank !== undefined) fused.vectorRank = vectorRank;
      return fused;
    })
    .sort((a, b) => b.score - a.score || (a.keywordRank ?? Infinity) - (b.keywordRank ?? Infinity));
}
