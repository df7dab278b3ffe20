import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './cost.js';
import { computeMetric } from './index.js';

describe('cost summaries', () => {
  it('matches numpy.percentile (linear interpolation)', () => {
    // Computed with numpy.percentile: [10,7,4,3,2,1] → p50 3.5, p95 9.25;
    // [1..9, 100] → p95 59.049999999999905.
    expect(percentile([10, 7, 4, 3, 2, 1], 50)).toBe(3.5);
    expect(Math.abs(percentile([10, 7, 4, 3, 2, 1], 95) - 9.25)).toBeLessThan(1e-12);
    expect(Math.abs(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 95) - 59.049999999999905)).toBeLessThan(
      1e-9,
    );
  });

  it('summarises latency values', () => {
    expect(summarize([1, 2, 3])).toMatchObject({ count: 3, sum: 6, mean: 2, min: 1, max: 3, p50: 2 });
    const result = computeMetric('latency', { predictions: [120, 80, '100'] });
    expect(result.score).toBe(100);
    expect(result.details?.sum).toBe(300);
  });
});
