/**
 * @module evals/runs/compare-runs
 * Two runs, metric by metric. On the same dataset version the per-item scores pair by ordinal (a
 * failed item at the metric's worst value) and the mean difference (B − A) gets a paired t-test
 * and a paired bootstrap interval over the shared items. Runs with fewer than two items in common
 * (other datasets, disjoint samples) are compared as independent samples: Welch's t-test and a
 * bootstrap that resamples each run on its own. Every metric both runs report is compared, with
 * the method used; and the items whose scores differ most are listed.
 */
import type { RunDifferenceV1 } from '../../spec/evaluation-recorder.js';
import { metricInfo, pairedBootstrap, pairedTTest, unpairedBootstrap, welchTTest } from '../metrics/index.js';
import type { RunItemRow, RunRow } from './run-types.js';
import { safetyMetrics } from './scoring.js';

/** One metric of run B against run A: the shape the recorder port declares. */
export type MetricComparison = RunDifferenceV1;

export interface ItemComparison {
  ordinal: number;
  a: { status: string; output: string | null; scores: Record<string, number> } | null;
  b: { status: string; output: string | null; scores: Record<string, number> } | null;
}

export interface RunComparison {
  a: string;
  b: string;
  same_dataset: boolean;
  metrics: MetricComparison[];
  items: ItemComparison[];
}

const worstOf = (metric: string) => {
  const info = metricInfo(metric.replace(/_lexical$/, ''));
  // Safety rates (hap_rate …) are worst at 1; hit_rate is a ranking metric, worst at 0.
  if ((safetyMetrics as readonly string[]).includes(metric)) return 1;
  return info ? (info.higherIsBetter ? info.range[0] : info.range[1]) : 0;
};

/** Compares run B against run A. `limit` bounds the items listed (largest differences first). */
export function compareRuns(
  a: { run: RunRow; items: RunItemRow[] },
  b: { run: RunRow; items: RunItemRow[] },
  options: { limit?: number; seed?: number } = {},
): RunComparison {
  const byA = new Map(a.items.map((item) => [item.ordinal, item]));
  const byB = new Map(b.items.map((item) => [item.ordinal, item]));
  const shared = [...byA.keys()].filter((ordinal) => byB.has(ordinal)).sort((x, y) => x - y);
  const names = Object.keys(a.run.aggregates?.metrics ?? {}).filter(
    (name) => b.run.aggregates?.metrics[name],
  );
  const metrics: MetricComparison[] = [];
  const value = (item: RunItemRow, metric: string) =>
    item.status === 'failed' ? worstOf(metric) : item.scores[metric];
  const sameDataset =
    a.run.dataset_id === b.run.dataset_id && a.run.dataset_version === b.run.dataset_version;
  // Ordinals name the same item only within one dataset version.
  const pairable = sameDataset ? shared : [];
  const finite = (values: (number | undefined)[]) =>
    values.filter((score): score is number => Number.isFinite(score));
  for (const metric of names) {
    const pairs = pairable
      .map((ordinal) => [value(byA.get(ordinal)!, metric), value(byB.get(ordinal)!, metric)] as const)
      .filter(
        (pair): pair is readonly [number, number] => Number.isFinite(pair[0]) && Number.isFinite(pair[1]),
      );
    const seed = options.seed ?? 0;
    let xs: number[];
    let ys: number[];
    let test: { mean_difference: number; p_value: number };
    let interval: MetricComparison['ci'];
    let method: MetricComparison['method'];
    if (pairs.length >= 2) {
      method = 'paired';
      xs = pairs.map((pair) => pair[0]);
      ys = pairs.map((pair) => pair[1]);
      test = pairedTTest(ys, xs);
      interval = pairedBootstrap(ys, xs, { seed, resamples: 1000 });
    } else {
      method = 'unpaired';
      xs = finite(a.items.map((item) => value(item, metric)));
      ys = finite(b.items.map((item) => value(item, metric)));
      if (xs.length < 2 || ys.length < 2) continue;
      test = welchTTest(ys, xs);
      interval = unpairedBootstrap(ys, xs, { seed, resamples: 1000 });
    }
    const pValue = Number.isFinite(test.p_value) ? test.p_value : test.mean_difference === 0 ? 1 : 0;
    const significant = pValue < 0.05;
    const higherIsBetter = a.run.aggregates!.metrics[metric]!.higher_is_better;
    const improved = higherIsBetter ? test.mean_difference > 0 : test.mean_difference < 0;
    metrics.push({
      metric,
      method,
      n: method === 'paired' ? pairs.length : xs.length + ys.length,
      n_a: xs.length,
      n_b: ys.length,
      mean_a: xs.reduce((sum, x) => sum + x, 0) / xs.length,
      mean_b: ys.reduce((sum, y) => sum + y, 0) / ys.length,
      difference: test.mean_difference,
      ci: { low: interval.low, high: interval.high, confidence: interval.confidence },
      p_value: pValue,
      significant,
      verdict: !significant ? 'no_difference' : improved ? 'better' : 'worse',
    });
  }
  const ordinals = [...new Set([...byA.keys(), ...byB.keys()])];
  const spread = (ordinal: number) => {
    const x = byA.get(ordinal);
    const y = byB.get(ordinal);
    if (!sameDataset) return Number.POSITIVE_INFINITY;
    if (!x || !y) return Number.POSITIVE_INFINITY;
    return names.reduce((sum, metric) => {
      const d = (value(y, metric) ?? 0) - (value(x, metric) ?? 0);
      return sum + (Number.isFinite(d) ? Math.abs(d) : 0);
    }, 0);
  };
  const view = (item: RunItemRow | undefined) =>
    item ? { status: item.status, output: item.output, scores: item.scores } : null;
  const items = ordinals
    .map((ordinal) => ({ ordinal, spread: spread(ordinal) }))
    .sort((x, y) => y.spread - x.spread || x.ordinal - y.ordinal)
    .slice(0, options.limit ?? 100)
    .flatMap(({ ordinal }) =>
      sameDataset
        ? [{ ordinal, a: view(byA.get(ordinal)), b: view(byB.get(ordinal)) }]
        : // Different items under the same ordinal: listed apart, never side by side.
          [
            ...(byA.has(ordinal) ? [{ ordinal, a: view(byA.get(ordinal)), b: null }] : []),
            ...(byB.has(ordinal) ? [{ ordinal, a: null, b: view(byB.get(ordinal)) }] : []),
          ],
    )
    .slice(0, options.limit ?? 100);
  return {
    a: a.run.id,
    b: b.run.id,
    same_dataset: sameDataset,
    metrics,
    items,
  };
}
