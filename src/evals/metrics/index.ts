/**
 * @module evals/metrics
 * The metrics every evaluation calls: one entry point, `computeMetric(name, input)`, and a
 * registry of what each metric needs and how to read its score. HTTP (`/api/v1/metrics/compute`),
 * evaluation runs and benchmarks all go through here. The statistics helpers for runs (bootstrap
 * intervals, paired tests) are re-exported from `statistics.ts`.
 */
import { generationMetrics } from './generation-metrics.js';
import { invalid, required } from './inputs.js';
import { otherMetrics } from './other-metrics.js';
import type { MetricDefinition, MetricInfo, MetricInput, MetricResult } from './types.js';

export { type NumericSummary, percentile, summarize } from './cost.js';
export {
  type BootstrapOptions,
  bootstrapMean,
  type Interval,
  type PairedBootstrapResult,
  pairedBootstrap,
  pairedTTest,
  seededRandom,
  type TTestResult,
  unpairedBootstrap,
  welchTTest,
} from './statistics.js';
export type { MetricInfo, MetricInput, MetricResult } from './types.js';

const registry = new Map<string, MetricDefinition>(
  [...generationMetrics, ...otherMetrics].map((definition) => [definition.name, definition]),
);

/** Every metric name, in registry order. */
export const metricNames: readonly string[] = [...registry.keys()];

/** What the registry knows about one metric (undefined for an unknown name). */
export function metricInfo(name: string): MetricInfo | undefined {
  const definition = registry.get(name);
  if (!definition) return undefined;
  const { compute: _compute, ...info } = definition;
  return info;
}

export function listMetrics(): MetricInfo[] {
  return metricNames.map((name) => metricInfo(name) as MetricInfo);
}

/**
 * Computes one metric. Throws `KeelError('invalid_request')` with a coded issue for an unknown
 * metric, missing references/sources/groups, misaligned arrays or bad options.
 */
export function computeMetric(name: string, input: MetricInput): MetricResult {
  const definition = registry.get(name);
  if (!definition) {
    throw invalid(
      'unknown_metric',
      ['metric'],
      `Unknown metric ${name}; known metrics: ${metricNames.join(', ')}.`,
    );
  }
  if (!Array.isArray(input.predictions)) {
    throw invalid('invalid_type', ['predictions'], 'predictions must be an array.');
  }
  if (input.predictions.length === 0) {
    throw invalid(
      'empty_predictions',
      ['predictions'],
      'predictions is empty; a metric needs at least one item.',
    );
  }
  if (definition.needsReferences && name !== 'accuracy' && name !== 'f1_macro' && name !== 'f1_micro') {
    required(name, 'references', input.references, input.predictions.length);
  }
  if (definition.needsSources) required(name, 'sources', input.sources, input.predictions.length);
  if (definition.needsGroups) required(name, 'groups', input.groups, input.predictions.length);
  return definition.compute(input);
}
