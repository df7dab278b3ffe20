/**
 * @module evals/eval-service
 * The one evaluation service of a Keel instance: datasets and runs (the `evals.run` job kind is
 * registered when it is built). HTTP, CLI and SDK all call it.
 */
import { DatasetService } from './datasets/dataset-service.js';
import type { EvalsDeps } from './index.js';
import { RunService } from './runs/run-service.js';

export class EvalService {
  readonly datasets: DatasetService;
  readonly runs: RunService;

  constructor(readonly deps: EvalsDeps) {
    this.datasets = new DatasetService(deps.db, deps.audit);
    this.runs = new RunService({
      db: deps.db,
      jobs: deps.jobs,
      audit: deps.audit,
      datasets: this.datasets.store,
      prompts: deps.prompts,
      rag: deps.rag,
      generation: deps.generation,
    });
  }
}
