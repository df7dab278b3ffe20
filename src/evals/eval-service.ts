/**
 * @module evals/eval-service
 * The one evaluation service of a Keel instance: datasets and runs.
 */
import type { EvalsDeps } from './index.js';

export class EvalService {
  constructor(readonly deps: EvalsDeps) {}
}
