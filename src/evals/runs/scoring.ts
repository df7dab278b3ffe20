/**
 * @module evals/runs/scoring
 * The metrics of a run, in four kinds: registry metrics (`computeMetric`, scored over the run's
 * items at the end), LLM-judged metrics (per item, as it finishes; `<name>_lexical` without a
 * judge model), safety rates (the guardrail detectors on each output) and cost (latency, tokens,
 * cost per item). Aggregation counts a failed item at the metric's worst value, so a failure
 * never helps a run pass.
 */
import { KeelError } from '../../core/errors.js';
import { defaultPolicy, evaluate } from '../../guardrails/index.js';
import type { StoredItem } from '../datasets/dataset-store.js';
import { type JudgeMetric, judge, judgedName, judgeMetrics } from '../judge/judge.js';
import { bootstrapMean, computeMetric, metricInfo } from '../metrics/index.js';
import type { MetricAggregate, TargetOutput } from './run-types.js';

export const safetyMetrics = ['hap_rate', 'pii_rate', 'injection_rate'] as const;
export const costMetrics = ['latency', 'tokens', 'cost'] as const;
type SafetyMetric = (typeof safetyMetrics)[number];

const isJudged = (name: string): name is JudgeMetric => (judgeMetrics as readonly string[]).includes(name);
const isSafety = (name: string): name is SafetyMetric => (safetyMetrics as readonly string[]).includes(name);
const isCost = (name: string) => (costMetrics as readonly string[]).includes(name);

/** Metrics that need reference outputs or labels (from the registry). */
export function needsReferences(metric: string): boolean {
  return metricInfo(metric)?.needsReferences ?? false;
}

const usesLabels = (metric: string) => {
  const family = metricInfo(metric)?.family;
  return family === 'classification' || family === 'fairness';
};

/** Refuses unknown metric names, and reference metrics on a dataset without references. */
export function checkMetrics(
  metrics: readonly string[],
  dataset: { references: boolean; labels: boolean },
): void {
  const issues = [];
  for (const [index, metric] of metrics.entries()) {
    if (!isJudged(metric) && !isSafety(metric) && !metricInfo(metric)) {
      issues.push({ code: 'unknown_metric', path: ['metrics', index], message: `unknown metric ${metric}` });
    } else if (needsReferences(metric) && !(usesLabels(metric) ? dataset.labels : dataset.references)) {
      issues.push({
        code: 'references_required',
        path: ['metrics', index],
        message: `${metric} needs ${usesLabels(metric) ? 'a label column' : 'reference outputs'}; the dataset has none`,
      });
    }
  }
  if (issues.length)
    throw new KeelError('invalid_request', 'Some metrics cannot run on this dataset.', { issues });
}

/** The name a metric's results are reported under (judged ones become `_lexical` without a judge). */
export function reportedName(metric: string, judgeModel: string | undefined): string {
  return isJudged(metric) ? judgedName(metric, judgeModel) : metric;
}

const safetyPolicy = (() => {
  const output = defaultPolicy().output;
  return { ...output, injection: { ...output.injection, enabled: true } };
})();

/** Per-item scores known as soon as the item finished: judged, safety and cost metrics. */
export async function itemScores(
  metrics: readonly string[],
  item: StoredItem,
  output: TargetOutput,
  judging: Omit<Parameters<typeof judge>[2], never>,
): Promise<Record<string, number>> {
  const scores: Record<string, number> = {};
  const question = String(Object.values(item.input)[0] ?? '');
  const contexts = output.contexts ?? item.contexts;
  let safety: Set<string> | undefined;
  for (const metric of metrics) {
    if (isJudged(metric)) {
      scores[judgedName(metric, judging.model)] = await judge(
        metric,
        { question, answer: output.text, contexts },
        judging,
      );
    } else if (isSafety(metric)) {
      safety ??= new Set(
        output.text
          ? evaluate(output.text, safetyPolicy, { direction: 'output' }).decisions.map((d) => d.detector)
          : [],
      );
      scores[metric] = safety.has(metric.replace('_rate', '')) ? 1 : 0;
    } else if (metric === 'latency') scores.latency = output.latencyMs;
    else if (metric === 'tokens') scores.tokens = output.inputTokens + output.outputTokens;
    else if (metric === 'cost' && output.cost !== null) scores.cost = output.cost;
  }
  return scores;
}

export interface ScoredItem {
  item: StoredItem;
  status: 'succeeded' | 'failed';
  output: string | null;
  scores: Record<string, number>;
}

/** Registry metrics over the succeeded items: per-item scores by ordinal, and details. */
export function corpusScores(metrics: readonly string[], items: readonly ScoredItem[]) {
  const succeeded = items.filter((entry) => entry.status === 'succeeded');
  const perItem = new Map<number, Record<string, number>>();
  const details: Record<string, { score: number; details?: Record<string, unknown> | undefined }> = {};
  if (succeeded.length === 0) return { perItem, details };
  for (const metric of metrics) {
    if (isJudged(metric) || isSafety(metric) || isCost(metric)) continue;
    const labels = usesLabels(metric);
    const result = computeMetric(metric, {
      predictions: succeeded.map((entry) => entry.output ?? ''),
      references: succeeded.map((entry) => (labels ? (entry.item.label ?? '') : entry.item.references)),
      labels: succeeded.map((entry) => entry.item.label ?? ''),
      contexts: succeeded.map((entry) => entry.item.contexts),
      groups: succeeded.map((entry) => String(Object.values(entry.item.metadata)[0] ?? '')),
    });
    details[metric] = { score: result.score, details: result.details };
    result.per_item.forEach((score, index) => {
      const ordinal = succeeded[index]!.item.ordinal;
      perItem.set(ordinal, { ...perItem.get(ordinal), [metric]: score });
    });
  }
  return { perItem, details };
}

/** Aggregates one reported metric over all items, failures at the worst value. */
export function aggregate(
  metric: string,
  items: readonly { status: 'succeeded' | 'failed'; scores: Record<string, number> }[],
  corpus: { score: number; details?: Record<string, unknown> | undefined } | undefined,
  seed: number,
): MetricAggregate | undefined {
  const base = metric.replace(/_lexical$/, '');
  const info = metricInfo(base);
  const higherIsBetter = isSafety(metric) || isCost(metric) ? false : (info?.higherIsBetter ?? true);
  const worst = isCost(metric) ? undefined : higherIsBetter ? (info?.range[0] ?? 0) : (info?.range[1] ?? 1);
  const values: number[] = [];
  let n = 0;
  for (const item of items) {
    const value = item.scores[metric];
    if (item.status === 'succeeded' && value !== undefined && Number.isFinite(value)) {
      values.push(value);
      n += 1;
    } else if (item.status === 'failed' && worst !== undefined && Number.isFinite(worst)) {
      values.push(worst);
    }
  }
  if (values.length === 0) return undefined;
  const ci = bootstrapMean(values, { seed, resamples: 1000 });
  // A corpus-level score (BLEU, chrF …) is kept as the score, weighted down by the failed share.
  const failedShare = n === values.length ? 0 : (values.length - n) / values.length;
  const score =
    corpus !== undefined && worst !== undefined
      ? corpus.score * (1 - failedShare) + worst * failedShare
      : ci.mean;
  return {
    metric,
    score,
    ci: { mean: ci.mean, low: ci.low, high: ci.high, confidence: ci.confidence },
    n,
    higher_is_better: higherIsBetter,
    ...(corpus?.details ? { details: corpus.details } : {}),
  };
}
