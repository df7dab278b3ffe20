/**
 * @module evals/metrics/types
 * The one shape every metric takes and returns. Inputs are plain arrays, one entry per item;
 * which of them a metric reads (and what an entry holds: a string, a list of ids, a number, a
 * JSON object) is in its registry entry.
 */

/** What `computeMetric` receives. Arrays are aligned by item. */
export interface MetricInput {
  predictions: readonly unknown[];
  /** One reference per item (a string) or several (an array of strings); ids for retrieval. */
  references?: readonly unknown[];
  /** Source texts (SARI). */
  sources?: readonly unknown[];
  /** Retrieved contexts, when a metric reads them. */
  contexts?: readonly unknown[];
  /** Gold labels (classification, fairness ground truth). */
  labels?: readonly unknown[];
  /** Protected-attribute value per item (fairness). */
  groups?: readonly unknown[];
  options?: Record<string, unknown>;
}

/** What every metric returns. */
export interface MetricResult {
  metric: string;
  /** The aggregate score (a corpus-level score where the metric defines one, else the mean). */
  score: number;
  /** One score per item, same order as the predictions. */
  per_item: number[];
  details?: Record<string, unknown>;
}

/** What the registry knows about a metric. */
export interface MetricInfo {
  name: string;
  family: 'generation' | 'qa' | 'extraction' | 'classification' | 'retrieval' | 'fairness' | 'cost';
  description: string;
  needsReferences: boolean;
  needsSources: boolean;
  needsGroups: boolean;
  higherIsBetter: boolean;
  range: [number, number];
}

export interface MetricDefinition extends MetricInfo {
  compute(input: MetricInput): MetricResult;
}
