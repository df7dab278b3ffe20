/**
 * @module governance/factsheets/evaluation-facts
 * What a factsheet records of the evaluations behind an approach, read from the evaluation module
 * (not typed in): each tracked Keel evaluation run's metrics, its own thresholds and verdict, and
 * the dataset version it ran on with the version's content digest; and for each tracked dataset
 * that is an evaluation dataset, the digest of the version tracked (the latest when none is).
 */
import type {
  EvaluationDatasetV1,
  EvaluationRunSummaryV1,
  EvaluationRunsV1,
} from '../../spec/evaluation-runs.js';
import type { AssetRow } from '../inventory/rows.js';

/** A dataset version the approach's evidence rests on. */
export interface DatasetFact {
  dataset: EvaluationDatasetV1;
  /** The tracked dataset asset it is, if any. */
  assetId: string | null;
  /** The ids of the tracked evaluation runs that evaluated it. */
  usedBy: string[];
}

export interface EvaluationFacts {
  /** Keel evaluation runs by the id of the asset that tracks them. */
  runs: Map<string, EvaluationRunSummaryV1>;
  datasets: DatasetFact[];
}

export async function gatherEvaluationFacts(
  projectId: string,
  assets: readonly AssetRow[],
  source: EvaluationRunsV1 | undefined,
): Promise<EvaluationFacts> {
  const runs = new Map<string, EvaluationRunSummaryV1>();
  const datasets = new Map<string, DatasetFact>();
  if (!source) return { runs, datasets: [] };
  const add = (dataset: EvaluationDatasetV1, assetId: string | null, run: string | null) => {
    const key = `${dataset.id}@${dataset.version}`;
    const fact = datasets.get(key) ?? { dataset, assetId: null, usedBy: [] };
    if (assetId) fact.assetId = assetId;
    if (run && !fact.usedBy.includes(run)) fact.usedBy.push(run);
    datasets.set(key, fact);
  };
  for (const asset of assets) {
    if (asset.kind === 'evaluation_run') {
      const run = await source.getRun(projectId, asset.ref);
      if (!run) continue;
      runs.set(asset.id, run);
      if (run.dataset) add(run.dataset, null, run.id);
    } else if (asset.kind === 'dataset' && source.getDataset) {
      const dataset = await source.getDataset(projectId, asset.ref, asset.ref_version);
      if (dataset) add(dataset, asset.id, null);
    }
  }
  return { runs, datasets: [...datasets.values()] };
}
