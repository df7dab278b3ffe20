/**
 * Shapes evaluation runs into what the metric charts draw: runs grouped by what they evaluated
 * (the target), and per metric one point per finished run, oldest first, with its bootstrap
 * interval and the threshold the newest run set for that metric.
 */
import type { EvaluationJson } from '@keel/api/evals';

export interface ScorePoint {
  runId: string;
  /** The run's name, or its id. */
  label: string;
  at: string;
  score: number;
  /** The bootstrap interval; null when the run has none for this metric (one item, or not sampled). */
  low: number | null;
  high: number | null;
  /** Items the score is over. */
  n: number;
}

export interface MetricTrend {
  metric: string;
  higherIsBetter: boolean;
  points: ScorePoint[];
  /** The newest run's threshold for this metric, drawn as a line. */
  threshold: { min?: number; max?: number } | null;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

/** What a run evaluated, in words: "model llamacpp:tiny", "template triage@3 · llamacpp:tiny" … */
export function targetLabel(run: Pick<EvaluationJson, 'target'>): string {
  const target = run.target;
  const kind = text(target.kind) ?? '?';
  const subject =
    kind === 'template'
      ? text(target.prompt)
      : kind === 'rag'
        ? text(target.collection)
        : kind === 'deployment'
          ? text(target.deployment)
          : text(target.model);
  const model = kind === 'model' ? null : text(target.model);
  return [kind, subject, model].filter(Boolean).join(' · ');
}

/** The targets the runs of one dataset evaluated, the most recently used first. */
export function targetsOf(runs: readonly EvaluationJson[]): string[] {
  const newestFirst = [...runs].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return [...new Set(newestFirst.map(targetLabel))];
}

/** Runs that ended with scores (a run whose thresholds failed has scores too). */
export function scored(run: EvaluationJson): boolean {
  return run.aggregates !== null && (run.status === 'succeeded' || run.status === 'failed');
}

/** Per metric, the scores of the runs of one target over time (oldest first). */
export function metricTrends(runs: readonly EvaluationJson[], target: string): MetricTrend[] {
  const chosen = runs
    .filter((run) => scored(run) && targetLabel(run) === target)
    .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
  const trends = new Map<string, MetricTrend>();
  for (const run of chosen) {
    for (const [metric, aggregate] of Object.entries(run.aggregates!.metrics)) {
      if (!Number.isFinite(aggregate.score)) continue;
      let trend = trends.get(metric);
      if (!trend) {
        trend = { metric, higherIsBetter: aggregate.higher_is_better, points: [], threshold: null };
        trends.set(metric, trend);
      }
      trend.points.push({
        runId: run.id,
        label: run.name ?? run.id,
        at: run.created_at,
        score: aggregate.score,
        low: aggregate.ci?.low ?? null,
        high: aggregate.ci?.high ?? null,
        n: aggregate.n,
      });
      // Runs are oldest first: the newest run's threshold wins.
      const threshold = run.thresholds.find((each) => each.metric === metric);
      trend.threshold = threshold
        ? {
            ...(threshold.min === undefined ? {} : { min: threshold.min }),
            ...(threshold.max === undefined ? {} : { max: threshold.max }),
          }
        : null;
    }
  }
  return [...trends.values()].sort((a, b) => a.metric.localeCompare(b.metric));
}
