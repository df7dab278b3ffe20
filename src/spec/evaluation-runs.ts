/**
 * @module spec/evaluation-runs
 * The port governance reads evaluation runs through (version 1). The evaluation module implements
 * it; governance only asks for a run's state and its aggregate metrics, by id, in one project.
 */

export interface EvaluationRunSummaryV1 {
  id: string;
  /** Only a `succeeded` run counts as evidence. */
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  /** Aggregate metric values by metric name (e.g. `faithfulness: 0.91`). */
  metrics: Record<string, number>;
}

export interface EvaluationRunsV1 {
  readonly specificationVersion: 'v1';
  /** The run in `projectId`, or null when there is none (another project's run is none). */
  getRun(projectId: string, runId: string): Promise<EvaluationRunSummaryV1 | null>;
}
