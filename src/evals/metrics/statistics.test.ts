import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootstrapMean,
  pairedBootstrap,
  pairedTTest,
  seededRandom,
  studentTwoSided,
  unpairedBootstrap,
  welchTTest,
} from './statistics.js';

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

  it('matches scipy.stats.ttest_ind(equal_var=False) for independent samples', () => {
    // scipy 1.17.1, scipy.stats.ttest_ind(group1, group2, equal_var=False): statistic
    // -1.8608134674868526, pvalue 0.0793941401873583, df 17.776473516178488 (R's Welch t.test on
    // `sleep` prints t = -1.8608, df = 17.776, p-value = 0.07939).
    const sleep = welchTTest(group1, group2);
    expect(Math.abs(sleep.t - -1.8608134674868526)).toBeLessThan(1e-9);
    expect(Math.abs(sleep.df - 17.776473516178488)).toBeLessThan(1e-9);
    expect(Math.abs(sleep.p_value - 0.0793941401873583)).toBeLessThan(1e-9);
    // Unequal sizes: the 15 values of Wikipedia's Welch example A1 against 17 others; scipy 1.17.1
    // gives statistic -2.48676243078265, pvalue 0.02020139379438952, df 24.121895944572504.
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4, 21.3, 24.1,
    ];
    const uneven = welchTTest(a, b);
    expect(Math.abs(uneven.t - -2.48676243078265)).toBeLessThan(1e-9);
    expect(Math.abs(uneven.df - 24.121895944572504)).toBeLessThan(1e-9);
    expect(Math.abs(uneven.p_value - 0.02020139379438952)).toBeLessThan(1e-9);
    expect(welchTTest([1, 1, 1], [1, 1])).toMatchObject({ mean_difference: 0, p_value: 1 });
  });

  it('bootstraps the difference of independent means, seeded', () => {
    const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
    const b = [
      27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4, 21.3, 24.1,
    ];
    const result = unpairedBootstrap(a, b, { seed: 3 });
    expect(result).toEqual(unpairedBootstrap(a, b, { seed: 3 }));
    const meanA = a.reduce((s, x) => s + x, 0) / a.length;
    const meanB = b.reduce((s, x) => s + x, 0) / b.length;
    expect(result.mean).toBeCloseTo(meanA - meanB, 12);
    expect(result.low).toBeLessThan(result.mean);
    expect(result.high).toBeGreaterThan(result.mean);
    // Welch finds p ≈ 0.02: the bootstrap interval leaves out 0 too.
    expect(result.high).toBeLessThan(0);
    expect(result.p_value).toBeLessThan(0.05);
    expect(unpairedBootstrap(a, a, { seed: 3 }).p_value).toBeGreaterThan(0.5);
    expect(() => unpairedBootstrap([1], b)).toThrowError(
      expect.objectContaining({ issues: [expect.objectContaining({ code: 'too_few_items' })] }),
    );
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
