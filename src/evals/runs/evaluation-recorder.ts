/**
 * @module evals/runs/evaluation-recorder
 * The recorder port (`spec/evaluation-recorder`) as the evaluation module gives it to the features
 * below it (RAG experiments, Prompt Lab compare): outputs recorded as finished runs, metrics
 * checked before any output is produced, two runs compared with the run comparison's significance
 * test, and a stored dataset's items read for a feature that produces their outputs itself.
 */
import { KeelError } from '../../core/errors.js';
import type { DatasetItemsV1, EvaluationRecorderV1 } from '../../spec/evaluation-recorder.js';
import { metricInfo } from '../metrics/index.js';
import type { RunComparison } from './compare-runs.js';
import { checkRecordedMetrics, type RecordRunDeps, recordRun } from './record-run.js';

export interface EvaluationRecorderDeps extends RecordRunDeps {
  /** The run comparison of the run service (finished runs of the project, B against A). */
  compare(projectId: string, a: string, b: string): Promise<RunComparison>;
}

/** Retrieval needs ranked ids, SARI sources, fairness groups: none of which a text output has. */
function checkOutputMetrics(metrics: readonly string[]): void {
  checkRecordedMetrics(metrics);
  const unfit = metrics.filter((metric) => {
    const info = metricInfo(metric);
    return info && (info.family === 'retrieval' || info.needsSources || info.needsGroups);
  });
  if (unfit.length)
    throw new KeelError(
      'invalid_request',
      `${unfit.join(', ')} cannot score text outputs against references (they need retrieved ids, sources or groups).`,
      {
        issues: unfit.map((metric) => ({
          code: 'metric_not_applicable',
          path: ['metrics', metrics.indexOf(metric)],
          message: metric,
        })),
      },
    );
}

async function datasetItems(
  deps: RecordRunDeps,
  projectId: string,
  request: { name: string; version?: number | undefined; limit?: number | undefined },
): Promise<DatasetItemsV1> {
  const store = deps.datasets.store;
  const dataset = await store.get(projectId, request.name);
  const version = await store.version(dataset, request.version);
  const items = await store.items(dataset.id, version.version, { limit: request.limit });
  return {
    name: dataset.name,
    version: version.version,
    items: items.map((item) => ({ ordinal: item.ordinal, input: item.input, references: item.references })),
  };
}

/** The recorder port over the run store, the dataset path and the run comparison. */
export function evaluationRecorder(deps: EvaluationRecorderDeps): EvaluationRecorderV1 {
  return {
    specificationVersion: 'v1',
    record: (input) => recordRun(deps, input),
    checkOutputMetrics,
    compare: async (projectId, a, b) => (await deps.compare(projectId, a, b)).metrics,
    datasetItems: (projectId, dataset) => datasetItems(deps, projectId, dataset),
  };
}
