/**
 * @module tuning/logistic-head
 * A multinomial logistic-regression head on frozen features: one weight per feature and class,
 * trained by the shared loop (seeded SGD, class weights, early stopping, calibration).
 */
import { featurise, type SparseVector } from '../core/text/char-ngram-features.js';
import {
  type Calibration,
  calibratedPrediction,
  type HeadPrediction,
  type LabelledText,
  type OperatingPoint,
  outputGradient,
} from './head-core.js';
import type { FeatureSpec } from './head-features.js';
import {
  type HeadNetwork,
  type HeadTrainingOptions,
  type HeadTrainingResult,
  headTrainingResult,
  TRAINING_DEFAULTS,
  type TrainExtra,
  trainHead,
} from './head-trainer.js';

export type { HeadPrediction, LabelledText } from './head-core.js';
export type { EpochRecord, HeadTrainingOptions, HeadTrainingResult } from './head-trainer.js';

export interface LogisticHeadModel {
  kind: 'logistic';
  labels: string[];
  features: FeatureSpec;
  /** Row-major [feature][class]. */
  weights: Float32Array;
  bias: Float32Array;
  calibration: Calibration;
  operatingPoint: OperatingPoint | null;
}

/** Scores (logits) of one example. */
export function logisticLogits(
  model: Pick<LogisticHeadModel, 'weights' | 'bias'>,
  x: SparseVector,
): Float64Array {
  const k = model.bias.length;
  const out = Float64Array.from(model.bias);
  for (let i = 0; i < x.indices.length; i++) {
    const row = (x.indices[i] as number) * k;
    const v = x.values[i] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (model.weights[row + c] as number) * v;
  }
  return out;
}

export function logisticNetwork(
  k: number,
  dimensions: number,
): HeadNetwork<{ weights: Float32Array; bias: Float32Array }> {
  const params: { weights: Float32Array; bias: Float32Array } = {
    weights: new Float32Array(dimensions * k),
    bias: new Float32Array(k),
  };
  return {
    logits: (x) => logisticLogits(params, x),
    step(x, y, w, lr, l2) {
      const gradient = outputGradient(logisticLogits(params, x), y, w);
      for (let c = 0; c < k; c++) {
        const g = gradient[c] as number;
        params.bias[c] = (params.bias[c] as number) - lr * g;
        for (let i = 0; i < x.indices.length; i++) {
          const at = (x.indices[i] as number) * k + c;
          const current = params.weights[at] as number;
          params.weights[at] = current - lr * (g * (x.values[i] as number) + l2 * current);
        }
      }
    },
    snapshot: () => ({ weights: params.weights.slice(), bias: params.bias.slice() }),
    restore(snapshot) {
      params.weights = snapshot.weights;
      params.bias = snapshot.bias;
    },
  };
}

export async function trainLogisticHead(
  examples: LabelledText[],
  features: FeatureSpec,
  options: HeadTrainingOptions = {},
  extra: TrainExtra = {},
): Promise<HeadTrainingResult<LogisticHeadModel>> {
  const hp = { ...TRAINING_DEFAULTS, ...options };
  const trained = await trainHead(examples, features, hp, extra, (k, dimensions) =>
    logisticNetwork(k, dimensions),
  );
  return headTrainingResult('logistic', trained, features, hp, {});
}

/** Calibrated class probabilities of one encoded text, best first. */
export function classifyLogisticVector(model: LogisticHeadModel, x: SparseVector): HeadPrediction {
  return calibratedPrediction(model, logisticLogits(model, x));
}

/** Calibrated class probabilities of one text (character n-gram heads), best first. */
export function classifyWithHead(model: LogisticHeadModel, text: string): HeadPrediction {
  if (model.features.kind !== 'char-ngram') throw new TypeError('classifyWithHead needs a char-ngram head');
  return classifyLogisticVector(model, featurise(text, model.features));
}
