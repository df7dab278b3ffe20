/**
 * @module spec/evaluation-runs
 * The port governance reads evaluation runs through (version 1). The evaluation module implements
 * it; governance asks for a run's state, its aggregate metrics and — for factsheets — the run's
 * own thresholds and the dataset version it evaluated (with the dataset's content digest), by id,
 * in one project.
 */

/** A dataset version as evaluation stores it: the digest is sha256 over its items in order. */
export interface EvaluationDatasetV1 {
  id: string;
  name: string;
  version: number;
  /** sha256 (hex) over the version's items: equal content, equal digest. */
  contentHash: string;
  rows: number;
}

/** A threshold the run itself was given, and whether the run met it. */
export interface EvaluationThresholdV1 {
  metric: string;
  min?: number | undefined;
  max?: number | undefined;
  value: number | null;
  passed: boolean;
}

export interface EvaluationRunSummaryV1 {
  id: string;
  /** Only a `succeeded` run counts as evidence. */
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Aggregate metric values by metric name (e.g. `faithfulness: 0.91`). */
  metrics: Record<string, number>;
  /** The run's own thresholds with its values (absent: not read). */
  thresholds?: EvaluationThresholdV1[] | undefined;
  /** Whether every threshold of the run held (null: none given, or not finished). */
  passed?: boolean | null | undefined;
  /** The dataset version the run evaluated (null: it is gone). */
  dataset?: EvaluationDatasetV1 | null | undefined;
  /** What the run evaluated (`template`, `rag`, `model`, `deployment`) and its reference. */
  target?: { kind: string; ref: string } | undefined;
  finishedAt?: string | null | undefined;
}

export interface EvaluationRunsV1 {
  readonly specificationVersion: 'v1';
  /** The run in `projectId`, or null when there is none (another project's run is none). */
  getRun(projectId: string, runId: string): Promise<EvaluationRunSummaryV1 | null>;
  /**
   * A dataset of the project by id or name at `version` (the latest when null), or null when there
   * is none. Optional: an implementation without datasets leaves it out.
   */
  getDataset?(projectId: string, ref: string, version: number | null): Promise<EvaluationDatasetV1 | null>;
}
