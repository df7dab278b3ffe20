import { describe, expect, it } from 'vitest';
import { computeMetric } from './index.js';
import { dcg } from './retrieval.js';

describe('retrieval metrics', () => {
  it('computes DCG and nDCG as in the worked example of Järvelin & Kekäläinen (Wikipedia "Discounted cumulative gain")', () => {
    // Gains 3, 2, 3, 0, 1, 2 → DCG6 ≈ 6.861; ideal 3, 3, 3, 2, 2, 2, 1 → IDCG6 ≈ 8.740 (3 places, as published).
    expect(dcg([3, 2, 3, 0, 1, 2]).toFixed(3)).toBe('6.861');
    const result = computeMetric('ndcg_at_k', {
      predictions: [['d1', 'd2', 'd3', 'd4', 'd5', 'd6']],
      references: [{ d1: 3, d2: 2, d3: 3, d4: 0, d5: 1, d6: 2, d7: 3, d8: 2 }],
      options: { k: 6 },
    });
    expect(result.score.toFixed(3)).toBe('0.785');
  });

  it('computes recall@k, hit rate and MRR', () => {
    const input = {
      predictions: [
        ['a', 'b', 'c'],
        ['x', 'y', 'z'],
      ],
      references: [['c', 'q'], ['y']],
    };
    expect(computeMetric('recall_at_k', { ...input, options: { k: 2 } }).per_item).toEqual([0, 1]);
    expect(computeMetric('recall_at_k', { ...input, options: { k: 3 } }).per_item).toEqual([0.5, 1]);
    expect(computeMetric('hit_rate', { ...input, options: { k: 1 } }).score).toBe(0);
    expect(computeMetric('mrr', input).per_item).toEqual([1 / 3, 1 / 2]);
  });
});
