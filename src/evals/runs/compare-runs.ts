/**
 * @module evals/runs/compare-runs
 * Two runs item by item: for every metric both report, the per-item scores paired by dataset
 * ordinal (a failed item at the metric's worst value), the mean difference (B − A) with a paired
 * t-test and a paired bootstrap interval; and the items whose scores differ most.
 */
import { metricInfo, pairedBootstrap, pairedTTest } from '../metrics/index.js';
import type { RunItemRow, RunRow } from './run-types.js';
import { safetyMetrics } from './scoring.js';

export interface MetricComparison {
  metric: string;
  n: number;
  mean_a: number;
  mean_b: number;
  /** mean(B − A). */
  difference: number;
  ci: { low: number; high: number; confidence: number };
  p_value: number;
  /** p < 0.05 (paired t-test). */
  significant: boolean;
  /** B is better, worse or the difference is not significant. */
  verdict: 'better' | 'worse' | 'no_difference';
}

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
  for (const metric of names) {
    const pairs = shared
      .map((ordinal) => [value(byA.get(ordinal)!, metric), value(byB.get(ordinal)!, metric)] as const)
      .filter(
        (pair): pair is readonly [number, number] => Number.isFinite(pair[0]) && Number.isFinite(pair[1]),
      );
    if (pairs.length < 2) continue;
    const xs = pairs.map((pair) => pair[0]);
    const ys = pairs.map((pair) => pair[1]);
    const test = pairedTTest(ys, xs);
    const interval = pairedBootstrap(ys, xs, { seed: options.seed ?? 0, resamples: 1000 });
    const pValue = Number.isFinite(test.p_value) ? test.p_value : test.mean_difference === 0 ? 1 : 0;
    const significant = pValue < 0.05;
    const higherIsBetter = a.run.aggregates!.metrics[metric]!.higher_is_better;
    const improved = higherIsBetter ? test.mean_difference > 0 : test.mean_difference < 0;
    metrics.push({
      metric,
      n: pairs.length,
      mean_a: xs.reduce((s, x) => s + x, 0) / xs.length,
      mean_b: ys.reduce((s, y) => s + y, 0) / ys.length,
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
    .map(({ ordinal }) => ({ ordinal, a: view(byA.get(ordinal)), b: view(byB.get(ordinal)) }));
  return {
    a: a.run.id,
    b: b.run.id,
    same_dataset: a.run.dataset_id === b.run.dataset_id && a.run.dataset_version === b.run.dataset_version,
    metrics,
    items,
  };
}
