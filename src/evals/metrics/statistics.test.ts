import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapMean, pairedBootstrap, pairedTTest, seededRandom, studentTwoSided } from './statistics.js';

// R's `sleep` data (extra, group 1 and group 2), the example of R's t.test(paired = TRUE).
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('statistics', () => {
  it('matches scipy.stats.ttest_rel', () => {
    // scipy.stats.ttest_rel(group1, group2): statistic -4.062127683382037, pvalue 0.002832890197384273, df 9.
    const result = pairedTTest(group1, group2);
    expect(Math.abs(result.t - -4.062127683382037)).toBeLessThan(1e-9);
    expect(result.df).toBe(9);
    expect(Math.abs(result.p_value - 0.002832890197384273)).toBeLessThan(1e-9);
    // scipy.stats.t.sf(2.5, 7) * 2 = 0.04099221858575289.
    expect(Math.abs(studentTwoSided(2.5, 7) - 0.04099221858575289)).toBeLessThan(1e-9);
  });

  it('gives seeded, repeatable bootstrap intervals that contain the mean', () => {
    const a = bootstrapMean(group1, { seed: 7 });
    const b = bootstrapMean(group1, { seed: 7 });
    expect(a).toEqual(b);
    expect(a.resamples).toBe(1000);
    expect(a.low).toBeLessThanOrEqual(a.mean);
    expect(a.high).toBeGreaterThanOrEqual(a.mean);
  });

  it('finds the sleep-data difference significant with the paired bootstrap', () => {
    const result = pairedBootstrap(group1, group2, { seed: 1 });
    expect(result.mean).toBeCloseTo(-1.58, 12);
    expect(result.high).toBeLessThan(0);
    expect(result.p_value).toBeLessThan(0.05);
    expect(pairedBootstrap(group1, group1).p_value).toBe(1);
  });

  it('keeps the PRNG in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        for (let i = 0; i < 20; i++) {
          const value = random();
          if (value < 0 || value >= 1) return false;
        }
        return true;
      }),
    );
  });

  it('rejects mismatched runs with a coded issue', () => {
    expect(() => pairedTTest([1, 2], [1])).toThrowError(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'length_mismatch' })] }),
    );
  });
});
