/**
 * @module evals/metrics/cost
 * Plain numeric summaries for latency, tokens and cost: count, sum, mean, min, max, p50, p95
 * (percentiles by linear interpolation between the closest ranks, NumPy's default method).
 */

export interface NumericSummary {
  count: number;
  sum: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
}

/** The q-th percentile (0..100) of values, linear interpolation (NumPy `percentile` default). */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (q / 100) * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

export function summarize(values: readonly number[]): NumericSummary {
  let sum = 0;
  for (const value of values) sum += value;
  return {
    count: values.length,
    sum,
    mean: values.length ? sum / values.length : 0,
    min: values.length ? values.reduce((a, b) => Math.min(a, b)) : 0,
    max: values.length ? values.reduce((a, b) => Math.max(a, b)) : 0,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
  };
}
