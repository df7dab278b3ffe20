/**
 * @module tuning/head-model
 * A trained head of any kind, and classification with it: texts are encoded with the head's own
 * frozen encoder (the embedding model through the registry when the head was trained on one).
 */
import type { SparseVector } from './char-ngram-features.js';
import type { HeadPrediction } from './head-core.js';
import { type Embedder, encodeTexts } from './head-features.js';
import { classifyLogisticVector, type LogisticHeadModel } from './logistic-head.js';
import { classifyMlpVector, type MlpHeadModel } from './mlp-head.js';

export type HeadModel = LogisticHeadModel | MlpHeadModel;
export type HeadKind = HeadModel['kind'];
export const headKinds = ['logistic', 'mlp'] as const satisfies readonly HeadKind[];

export function classifyVector(model: HeadModel, x: SparseVector): HeadPrediction {
  return model.kind === 'mlp' ? classifyMlpVector(model, x) : classifyLogisticVector(model, x);
}

/** Calibrated predictions for texts, best class first in each. */
export async function classifyTexts(
  model: HeadModel,
  texts: string[],
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<HeadPrediction[]> {
  // The spec is copied: encoding an embedding head must not relearn its dimensions.
  const vectors = await encodeTexts(texts, { ...model.features }, embedder, signal);
  return vectors.map((x) => classifyVector(model, x));
}
