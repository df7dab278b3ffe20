/**
 * @module governance/lifecycle/eval-runs-adapter
 * The evaluation module's runs seen through the `spec/evaluation-runs` port: a run's status and
 * each metric's score. A run of another project, or none, is null.
 */
import { KeelError } from '../../core/errors.js';
import type { RunRow } from '../../evals/index.js';
import type { EvaluationRunsV1 } from '../../spec/evaluation-runs.js';

export interface RunReader {
  get(projectId: string, id: string): Promise<RunRow>;
}

export function evaluationRunsFrom(runs: RunReader): EvaluationRunsV1 {
  return {
    specificationVersion: 'v1',
    async getRun(projectId, runId) {
      let run: RunRow;
      try {
        run = await runs.get(projectId, runId);
      } catch (error) {
        if (error instanceof KeelError && error.code === 'not_found') return null;
        throw error;
      }
      const metrics: Record<string, number> = {};
      for (const [name, aggregate] of Object.entries(run.aggregates?.metrics ?? {}))
        metrics[name] = aggregate.score;
      return { id: run.id, status: run.status, metrics };
    },
  };
}
