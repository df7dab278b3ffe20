import { describe, expect, it } from 'vitest';
import { pairedTTest, welchTTest } from '../metrics/index.js';
import { compareRuns } from './compare-runs.js';
import type { RunItemRow, RunRow } from './run-types.js';

// R's `sleep` data as per-item scores of two runs (a metric where higher is better) and a latency.
const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

function run(id: string, dataset: { id: string; version: number }, scores: number[]) {
  const aggregate = (higher: boolean) => ({ score: 0, higher_is_better: higher });
  const row = {
    id,
    dataset_id: dataset.id,
    dataset_version: dataset.version,
    aggregates: { metrics: { score: aggregate(true), latency: aggregate(false) } },
  } as unknown as RunRow;
  const items = scores.map(
    (score, ordinal) =>
      ({
        run_id: id,
        ordinal,
        status: 'succeeded',
        output: `out ${ordinal}`,
        scores: { score, latency: 100 + ordinal * (id === 'b' ? 2 : 1) },
      }) as unknown as RunItemRow,
  );
  return { run: row, items };
}

describe('compareRuns', () => {
  it('pairs the items of one dataset version: paired t-test and paired bootstrap, per metric', () => {
    const dataset = { id: 'ds', version: 1 };
    const comparison = compareRuns(run('a', dataset, group1), run('b', dataset, group2), { seed: 1 });
    expect(comparison.same_dataset).toBe(true);
    const score = comparison.metrics.find((metric) => metric.metric === 'score')!;
    // scipy.stats.ttest_rel(group2, group1): statistic 4.062127683382037, pvalue 0.002832890197384273.
    expect(score).toMatchObject({ method: 'paired', n: 10, n_a: 10, n_b: 10, verdict: 'better' });
    expect(score.difference).toBeCloseTo(1.58, 12);
    expect(Math.abs(score.p_value - 0.002832890197384273)).toBeLessThan(1e-9);
    expect(score.ci.low).toBeGreaterThan(0);
    expect(score.ci.high).toBeGreaterThan(score.ci.low);
    // Every metric both runs report is compared, cost ones too (lower latency is better).
    const latency = comparison.metrics.find((metric) => metric.metric === 'latency')!;
    expect(latency).toMatchObject({ method: 'paired', verdict: 'worse' });
    expect(latency.difference).toBeCloseTo(4.5, 12);
    expect(comparison.items[0]).toMatchObject({ ordinal: 8, a: { output: 'out 8' }, b: { output: 'out 8' } });
  });

  it('compares runs on different dataset versions as independent samples (Welch, bootstrap per run)', () => {
    const comparison = compareRuns(
      run('a', { id: 'ds', version: 1 }, group1),
      run('b', { id: 'ds', version: 2 }, group2.slice(0, 8)),
      { seed: 1 },
    );
    expect(comparison.same_dataset).toBe(false);
    const score = comparison.metrics.find((metric) => metric.metric === 'score')!;
    const welch = welchTTest(group2.slice(0, 8), group1);
    expect(score).toMatchObject({ method: 'unpaired', n: 18, n_a: 10, n_b: 8 });
    expect(score.difference).toBeCloseTo(welch.mean_difference, 12);
    expect(score.p_value).toBeCloseTo(welch.p_value, 12);
    expect(score.p_value).not.toBeCloseTo(pairedTTest(group2.slice(0, 8), group1.slice(0, 8)).p_value, 3);
    expect(score.ci.low).toBeLessThan(score.difference);
    expect(score.ci.high).toBeGreaterThan(score.difference);
    expect(score.significant).toBe(score.p_value < 0.05);
    // Ordinal 0 of one version is not ordinal 0 of the other: items are never set side by side.
    expect(comparison.items.every((item) => item.a === null || item.b === null)).toBe(true);
  });

  it('falls back to unpaired when the samples share fewer than two items', () => {
    const dataset = { id: 'ds', version: 1 };
    const a = run('a', dataset, group1);
    const b = run('b', dataset, group2);
    b.items = b.items.map((item) => ({ ...item, ordinal: item.ordinal + 9 }));
    const score = compareRuns(a, b).metrics.find((metric) => metric.metric === 'score')!;
    expect(score.method).toBe('unpaired');
    expect(score.p_value).toBeCloseTo(0.0793941401873583, 9);
  });
});
