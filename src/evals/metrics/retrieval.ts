/**
 * @module evals/metrics/retrieval
 * Ranking metrics on ranked id lists against relevant ids. Relevance is binary (a list of ids) or
 * graded (an object id → gain, gains > 0 relevant). Each is per item, then averaged:
 * - recall@k: relevant ids in the top k over all relevant ids;
 * - hit rate@k: 1 when any relevant id is in the top k;
 * - MRR: 1 / rank of the first relevant id (within the top k when `k` is given, else the whole list);
 * - nDCG@k: Σ gain_i / log2(i + 1) over the top k, divided by the same sum for the ideal ranking.
 * An item with no relevant id scores 0 (it cannot be retrieved); `details.items_without_relevant`
 * counts them.
 */
import { invalid } from './inputs.js';

export type Relevance = Map<string, number>;

export function relevanceOf(value: unknown, index: number): Relevance {
  const relevance: Relevance = new Map();
  if (typeof value === 'string' || typeof value === 'number') relevance.set(String(value), 1);
  else if (Array.isArray(value)) {
    for (const id of value) {
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw invalid('invalid_type', ['references', index], `references[${index}] must list ids.`);
      }
      relevance.set(String(id), 1);
    }
  } else if (value && typeof value === 'object') {
    for (const [id, gain] of Object.entries(value)) {
      if (typeof gain !== 'number' || !Number.isFinite(gain)) {
        throw invalid(
          'invalid_type',
          ['references', index, id],
          `references[${index}].${id} must be a number.`,
        );
      }
      if (gain > 0) relevance.set(id, gain);
    }
  } else {
    throw invalid(
      'invalid_type',
      ['references', index],
      `references[${index}] must be ids or an id → gain object.`,
    );
  }
  return relevance;
}

export function recallAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  if (relevant.size === 0) return 0;
  let found = 0;
  for (const id of new Set(ranked.slice(0, k))) if (relevant.has(id)) found++;
  return found / relevant.size;
}

export function hitAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  return ranked.slice(0, k).some((id) => relevant.has(id)) ? 1 : 0;
}

export function reciprocalRank(
  ranked: readonly string[],
  relevant: Relevance,
  k = Number.POSITIVE_INFINITY,
): number {
  const limit = Math.min(ranked.length, k);
  for (let i = 0; i < limit; i++) if (relevant.has(ranked[i] as string)) return 1 / (i + 1);
  return 0;
}

export function dcg(gains: readonly number[]): number {
  let sum = 0;
  gains.forEach((gain, i) => {
    sum += gain / Math.log2(i + 2);
  });
  return sum;
}

export function ndcgAtK(ranked: readonly string[], relevant: Relevance, k: number): number {
  if (relevant.size === 0) return 0;
  const seen = new Set<string>();
  const gains = ranked.slice(0, k).map((id) => {
    if (seen.has(id)) return 0;
    seen.add(id);
    return relevant.get(id) ?? 0;
  });
  const ideal = [...relevant.values()].sort((a, b) => b - a).slice(0, k);
  const best = dcg(ideal);
  return best > 0 ? dcg(gains) / best : 0;
}
