/**
 * @module spec/evaluation-recorder
 * The port through which features that produce outputs themselves — RAG experiments (one grid
 * point's answers and retrievals), Prompt Lab compare (one column's cells) — record them as
 * evaluation runs (version 1). The evaluation module implements it and scores the items with its
 * own metric code, so a recorded run shows in `/api/v1/evaluations`, compares item by item with
 * any other run on the same dataset version, and feeds factsheets like a run it executed itself.
 *
 * The producing modules sit below the evaluation module (it imports them to run their targets),
 * so they receive this port when the evaluation module is created, and never import it.
 */

/** One item as the producing feature saw it. */
export interface RecordedItemV1 {
  /** What the target received (a question, template variables). */
  input: Record<string, unknown>;
  /** Accepted reference outputs (none: reference metrics skip the item). */
  references?: string[] | undefined;
  /** The output; null when the item failed. */
  output: string | null;
  error?: { code: string; message: string } | null | undefined;
  /** Retrieval: the ranked ids of what was retrieved, and those judged relevant. */
  retrieved?: string[] | undefined;
  relevant?: string[] | undefined;
  /** Passages the output was based on. */
  contexts?: string[] | undefined;
  latencyMs?: number | null | undefined;
  inputTokens?: number | null | undefined;
  outputTokens?: number | null | undefined;
  cost?: number | null | undefined;
  /**
   * Per-item values the feature measures as part of what it does and reports as they are (a RAG
   * answer's claim support): aggregated like any metric, not recomputed.
   */
  observed?: Record<string, number> | undefined;
  /** On a stored dataset version (`dataset.version`): the item's ordinal there (input and labels are read from it). */
  ordinal?: number | undefined;
}

export interface RecordRunV1 {
  projectId: string;
  actor: string | null;
  name: string;
  /**
   * The feature that produced the items, and its own id for them (an experiment, a comparison).
   * `cell` names the part of it this run covers (an experiment's grid point): a run is recorded
   * at most once per source and cell, and recording a cell again returns the run already there —
   * so a resumed job step that recorded before a crash does not record a second run.
   */
  source: {
    kind: 'rag.experiment' | 'prompts.compare' | 'tuning.prompt';
    id: string;
    cell?: string | undefined;
  };
  /** What was evaluated, in the evaluation API's target shape (`kind` and its fields). */
  target: { kind: 'template' | 'rag' | 'model' } & Record<string, unknown>;
  /**
   * The dataset the items are stored as (a version per distinct content, so reruns share one); or,
   * with `version`, a stored dataset version of the project whose items (by `ordinal`) were
   * answered: the run then sits on that version, scored against its labels and references like an
   * executed run, and pairs item by item with any other run on it.
   */
  dataset: { name: string; description: string } | { name: string; version: number };
  /**
   * Metrics the evaluation module computes: registry metrics (`exact_match`, `f1`, `hit_rate`,
   * `mrr`, `ndcg_at_k` …, retrieval ones over `retrieved`/`relevant`) and `latency`, `tokens`, `cost`.
   */
  metrics: string[];
  /** Options for the registry metrics (`k` for retrieval, `language` for QA). */
  metricOptions?: Record<string, unknown> | undefined;
  /** Checked like an executed run's (the run's `passed`). */
  thresholds?: { metric: string; min?: number | undefined; max?: number | undefined }[] | undefined;
  items: RecordedItemV1[];
}

/** A metric of a recorded run as the run stores it. */
export interface RecordedMetricV1 {
  score: number;
  /** Bootstrap interval of the mean (null with too few items). */
  ci: { low: number; high: number; confidence: number } | null;
  /** Items scored. */
  n: number;
  higher_is_better: boolean;
}

export interface RecordedRunV1 {
  id: string;
  /** Aggregate score per metric (observed values included). */
  metrics: Record<string, number>;
  /** The same metrics with their intervals and item counts. */
  aggregates: Record<string, RecordedMetricV1>;
  /** Per-item scores, in the order of `items`. */
  perItem: Record<string, number>[];
}

/**
 * One metric of run B against run A, as the evaluation module's run comparison gives it (B − A);
 * the comparison's own type is this one.
 */
export interface RunDifferenceV1 {
  metric: string;
  /** `paired`: over the items both runs scored (one dataset version); `unpaired`: each run's items as independent samples. */
  method: 'paired' | 'unpaired';
  /** Items compared: the pairs, or both runs' items together. */
  n: number;
  n_a: number;
  n_b: number;
  mean_a: number;
  mean_b: number;
  /** mean(B − A). */
  difference: number;
  ci: { low: number; high: number; confidence: number };
  p_value: number;
  /** p < 0.05 (paired t-test, or Welch's t-test when unpaired). */
  significant: boolean;
  /** B is better, worse or the difference is not significant. */
  verdict: 'better' | 'worse' | 'no_difference';
}

/** Items of a stored dataset version, for a feature that produces their outputs itself. */
export interface DatasetItemsV1 {
  name: string;
  version: number;
  items: { ordinal: number; input: Record<string, unknown>; references: string[] }[];
}

export interface EvaluationRecorderV1 {
  readonly specificationVersion: 'v1';
  /** Stores the items as a finished run (dataset version, per-item scores, aggregates with intervals). */
  record(run: RecordRunV1): Promise<RecordedRunV1>;
  /**
   * Refuses, before any output is produced, metrics a run of text outputs against references
   * cannot be scored with (`invalid_request`: `unknown_metric`, `metric_not_applicable`).
   */
  checkOutputMetrics(metrics: readonly string[]): void;
  /** Run B against run A, metric by metric, with the significance of each difference. */
  compare(projectId: string, a: string, b: string): Promise<RunDifferenceV1[]>;
  /** A stored dataset's items in order: the newest version unless one is named, at most `limit`. */
  datasetItems(
    projectId: string,
    dataset: { name: string; version?: number | undefined; limit?: number | undefined },
  ): Promise<DatasetItemsV1>;
}
