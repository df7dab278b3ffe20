/**
 * @module evals/eval-service
 * The one evaluation service of a Keel instance: datasets and runs (the `evals.run` job kind is
 * registered when it is built), and the recorder through which RAG experiments and Prompt Lab
 * compare store what they produce as runs. HTTP, CLI and SDK all call it.
 */

import type { EvaluationRecorderV1 } from '../spec/evaluation-recorder.js';
import { DATASET_UPLOAD_LIMIT_BYTES, DatasetService } from './datasets/dataset-service.js';
import { formatOf } from './datasets/parse-file.js';
import type { EvalsDeps } from './evals-deps.js';
import { evaluationRecorder } from './runs/evaluation-recorder.js';
import { RunService } from './runs/run-service.js';

export class EvalService {
  readonly datasets: DatasetService;
  readonly runs: RunService;
  /** Records outputs other features produced (RAG experiments, Prompt Lab compare) as finished runs. */
  readonly recorder: EvaluationRecorderV1;
  /** The largest dataset upload, in bytes (256 MB unless the module is built with another limit). */
  readonly uploadLimitBytes: number;
  readonly formatOf = formatOf;

  constructor(
    readonly deps: EvalsDeps,
    options: { uploadLimitBytes?: number } = {},
  ) {
    this.uploadLimitBytes = options.uploadLimitBytes ?? DATASET_UPLOAD_LIMIT_BYTES;
    this.datasets = new DatasetService(deps.db, deps.audit);
    this.runs = new RunService({
      db: deps.db,
      jobs: deps.jobs,
      audit: deps.audit,
      datasets: this.datasets.store,
      prompts: deps.prompts,
      rag: deps.rag,
      generation: deps.generation,
      // Deployments are built after this module: looked up when a run targets one.
      deployments: () => deps.deployments,
    });
    this.recorder = evaluationRecorder({
      db: deps.db,
      datasets: this.datasets,
      runs: this.runs.store,
      audit: deps.audit,
      compare: (projectId, a, b) => this.runs.compare(projectId, a, b),
    });
  }
}
