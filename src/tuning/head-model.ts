/**
 * @module tuning/head-model
 * A trained head of any kind, and classification with it: texts are encoded with the head's own
 * frozen encoder (the embedding model through the registry when the head was trained on one).
 */
import { KeelError } from '../core/errors.js';
import type { SparseVector } from '../core/text/char-ngram-features.js';
import type { HeadPrediction } from './head-core.js';
import { type Embedder, encodeTexts } from './head-features.js';
import { classifyLogisticVector, type LogisticHeadModel } from './logistic-head.js';
import { classifyMlpVector, type MlpHeadModel } from './mlp-head.js';
import type { TaggerModel } from './token-tagger.js';

/** A head that labels whole texts. */
export type ClassifierModel = LogisticHeadModel | MlpHeadModel;
export type HeadModel = ClassifierModel | TaggerModel;
export type HeadKind = HeadModel['kind'];
export const headKinds = ['logistic', 'mlp', 'tagger'] as const satisfies readonly HeadKind[];

export function classifyVector(model: ClassifierModel, x: SparseVector): HeadPrediction {
  return model.kind === 'mlp' ? classifyMlpVector(model, x) : classifyLogisticVector(model, x);
}

/** Calibrated predictions for texts, best class first in each. */
export async function classifyTexts(
  model: HeadModel,
  texts: string[],
  embedder?: Embedder,
  signal?: AbortSignal,
): Promise<HeadPrediction[]> {
  if (model.kind === 'tagger') {
    throw new KeelError(
      'invalid_request',
      'This head is a token tagger: it tags texts, it does not classify them.',
      {
        issues: [{ code: 'head_is_tagger', path: ['name'], message: 'use the tag endpoint for a tagger' }],
      },
    );
  }
  // The spec is copied: encoding an embedding head must not relearn its dimensions.
  const vectors = await encodeTexts(texts, { ...model.features }, embedder, signal);
  return vectors.map((x) => classifyVector(model, x));
}
