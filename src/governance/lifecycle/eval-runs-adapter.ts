/**
 * @module governance/lifecycle/eval-runs-adapter
 * The evaluation module's runs seen through the `spec/evaluation-runs` port: a run's status and
 * each metric's score, its own thresholds, what it evaluated, and the dataset version it ran on
 * with the version's content digest. A run or dataset of another project, or none, is null.
 */
import { KeelError } from '../../core/errors.js';
import type { DatasetRow, DatasetVersionRow, RunRow } from '../../evals/index.js';
import type { EvaluationDatasetV1, EvaluationRunsV1 } from '../../spec/evaluation-runs.js';

export interface RunReader {
  get(projectId: string, id: string): Promise<RunRow>;
}

/** The evaluation module's datasets, as far as factsheets read them. */
export interface DatasetReader {
  get(
    projectId: string,
    idOrName: string,
  ): Promise<{ dataset: DatasetRow; version: DatasetVersionRow | null }>;
  versions(projectId: string, idOrName: string): Promise<DatasetVersionRow[]>;
}

async function orNull<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof KeelError && error.code === 'not_found') return null;
    throw error;
  }
}

function targetRef(target: RunRow['target']): { kind: string; ref: string } {
  if (target.kind === 'template') return { kind: 'template', ref: target.prompt };
  if (target.kind === 'rag') return { kind: 'rag', ref: target.collection };
  if (target.kind === 'model') return { kind: 'model', ref: target.model };
  return { kind: 'deployment', ref: target.deployment };
}

export function evaluationRunsFrom(runs: RunReader, datasets?: DatasetReader): EvaluationRunsV1 {
  const datasetAt = async (
    projectId: string,
    ref: string,
    version: number | null,
  ): Promise<EvaluationDatasetV1 | null> => {
    if (!datasets) return null;
    const found = await orNull(() => datasets.get(projectId, ref));
    if (!found) return null;
    const row =
      version === null
        ? found.version
        : (await datasets.versions(projectId, found.dataset.id)).find((entry) => entry.version === version);
    if (!row) return null;
    return {
      id: found.dataset.id,
      name: found.dataset.name,
      version: row.version,
      contentHash: row.content_hash,
      rows: Number(row.row_count),
    };
  };
  return {
    specificationVersion: 'v1',
    async getRun(projectId, runId) {
      const run = await orNull(() => runs.get(projectId, runId));
      if (!run) return null;
      const metrics: Record<string, number> = {};
      for (const [name, aggregate] of Object.entries(run.aggregates?.metrics ?? {}))
        metrics[name] = aggregate.score;
      return {
        id: run.id,
        status: run.status,
        metrics,
        thresholds: (run.aggregates?.thresholds ?? []).map((threshold) => ({ ...threshold })),
        passed: run.passed,
        dataset: await datasetAt(projectId, run.dataset_id, run.dataset_version),
        target: targetRef(run.target),
        finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
      };
    },
    ...(datasets ? { getDataset: datasetAt } : {}),
  };
}
