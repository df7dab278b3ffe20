/**
 * @module evals/eval-service
 * The one evaluation service of a Keel instance: datasets and runs. HTTP, CLI and SDK all call it.
 */
import { DatasetService } from './datasets/dataset-service.js';
import type { EvalsDeps } from './index.js';

export class EvalService {
  readonly datasets: DatasetService;

  constructor(readonly deps: EvalsDeps) {
    this.datasets = new DatasetService(deps.db, deps.audit);
  }
}
