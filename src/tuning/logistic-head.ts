/**
 * @module tuning/logistic-head
 * A multinomial logistic-regression head on frozen, sparse features. Training is seeded SGD with
 * class weights, a stratified train/validation split, early stopping on validation loss (the best
 * epoch's weights are kept) and temperature calibration fitted on the validation set.
 */
import { KeelError } from '../core/errors.js';
import { type CharNgramSpec, featurise, type SparseVector } from './char-ngram-features.js';
import { type ClassificationReport, classificationReport } from './classification-metrics.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

export interface LabelledText {
  text: string;
  label: string;
}

export interface HeadTrainingOptions {
  seed?: number;
  /** Share of each class held out for validation when no validation set is given. Default 0.2. */
  validationFraction?: number;
  maxEpochs?: number;
  /** Epochs without a better validation loss before stopping. Default 3. */
  patience?: number;
  learningRate?: number;
  l2?: number;
  classWeights?: 'balanced' | 'none';
  /**
   * An operating point for a detector: with `positiveLabel`, the head flags that label when its
   * calibrated probability reaches a threshold chosen on validation so that the false-positive
   * rate there stays at or under `maxFalsePositiveRate` (default: plain argmax).
   */
  positiveLabel?: string | null;
  maxFalsePositiveRate?: number | null;
}

export interface LogisticHeadModel {
  kind: 'logistic';
  labels: string[];
  features: CharNgramSpec;
  /** Row-major [feature][class]. */
  weights: Float32Array;
  bias: Float32Array;
  temperature: number;
  operatingPoint: { positiveLabel: string; threshold: number } | null;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
}

export interface HeadTrainingResult {
  model: LogisticHeadModel;
  curve: EpochRecord[];
  bestEpoch: number;
  validation: ClassificationReport;
  trainCount: number;
  validationCount: number;
  hyperParameters: Required<HeadTrainingOptions>;
}

const DEFAULTS: Required<HeadTrainingOptions> = {
  seed: 42,
  validationFraction: 0.2,
  maxEpochs: 30,
  patience: 3,
  learningRate: 0.5,
  l2: 1e-5,
  classWeights: 'balanced',
  positiveLabel: null,
  maxFalsePositiveRate: null,
};

interface Encoded {
  x: SparseVector;
  y: number;
}

function invalid(message: string, path: string, code: string): KeelError {
  return new KeelError('invalid_dataset', message, { issues: [{ code, path: [path], message }] });
}

/** Scores (logits) of one example. */
function logits(
  model: Pick<LogisticHeadModel, 'weights' | 'bias' | 'labels'>,
  x: SparseVector,
): Float64Array {
  const k = model.labels.length;
  const out = Float64Array.from(model.bias);
  for (let i = 0; i < x.indices.length; i++) {
    const row = (x.indices[i] as number) * k;
    const v = x.values[i] as number;
    for (let c = 0; c < k; c++) out[c] = (out[c] as number) + (model.weights[row + c] as number) * v;
  }
  return out;
}

function softmax(scores: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s / temperature);
  const out = scores.map((s) => Math.exp(s / temperature - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}

function meanLoss(model: LogisticHeadModel, data: Encoded[], weights: number[], temperature = 1): number {
  let total = 0;
  let weightSum = 0;
  for (const { x, y } of data) {
    const p = softmax(logits(model, x), temperature)[y] as number;
    const w = weights[y] as number;
    total -= w * Math.log(Math.max(p, 1e-12));
    weightSum += w;
  }
  return weightSum === 0 ? 0 : total / weightSum;
}

/** Stratified, seeded split; every class must reach both sides. */
function split(examples: Encoded[], labels: string[], fraction: number, random: () => number) {
  const byClass = labels.map(() => [] as Encoded[]);
  for (const e of examples) byClass[e.y]?.push(e);
  const train: Encoded[] = [];
  const validation: Encoded[] = [];
  byClass.forEach((items, c) => {
    if (items.length < 2) {
      throw invalid(
        `Label "${labels[c]}" has ${items.length} example; it needs at least 2 to appear in validation.`,
        'label',
        'label_missing_in_validation',
      );
    }
    shuffleInPlace(items, random);
    const held = Math.min(items.length - 1, Math.max(1, Math.round(items.length * fraction)));
    validation.push(...items.slice(0, held));
    train.push(...items.slice(held));
  });
  return { train: shuffleInPlace(train, random), validation };
}

/** Fits the temperature that minimises validation log-loss (log-spaced grid, then refined). */
function fitTemperature(model: LogisticHeadModel, validation: Encoded[], ones: number[]): number {
  let best = 1;
  let bestLoss = meanLoss(model, validation, ones, 1);
  for (let step = -20; step <= 20; step++) {
    const t = 2 ** (step / 8);
    const loss = meanLoss(model, validation, ones, t);
    if (loss < bestLoss - 1e-12) {
      bestLoss = loss;
      best = t;
    }
  }
  return best;
}

export async function trainLogisticHead(
  examples: LabelledText[],
  features: CharNgramSpec,
  options: HeadTrainingOptions = {},
  extra: {
    validation?: LabelledText[] | undefined;
    onEpoch?: (record: EpochRecord, maxEpochs: number) => Promise<void> | void;
    signal?: AbortSignal;
  } = {},
): Promise<HeadTrainingResult> {
  const hp: Required<HeadTrainingOptions> = { ...DEFAULTS, ...options };
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (hp.positiveLabel != null && !labels.includes(hp.positiveLabel)) {
    throw invalid(
      `Positive label "${hp.positiveLabel}" is not in the dataset.`,
      'positiveLabel',
      'unknown_label',
    );
  }
  if (labels.length < 2) {
    throw invalid(
      `A head needs at least two classes; the dataset has ${labels.length === 0 ? 'none' : `only "${labels[0]}"`}.`,
      'label',
      'single_class',
    );
  }
  const index = new Map(labels.map((l, i) => [l, i]));
  const encode = (e: LabelledText): Encoded => ({
    x: featurise(e.text, features),
    y: index.get(e.label) as number,
  });
  const random = seededRandom(hp.seed);
  let train: Encoded[];
  let validation: Encoded[];
  if (extra.validation) {
    const present = new Set(extra.validation.map((e) => e.label));
    const missing = labels.filter((l) => !present.has(l));
    if (missing.length > 0) {
      throw invalid(
        `Labels missing in validation: ${missing.join(', ')}.`,
        'validation',
        'label_missing_in_validation',
      );
    }
    const unknown = [...present].filter((l) => !index.has(l));
    if (unknown.length > 0) {
      throw invalid(
        `Validation has labels not in training: ${unknown.join(', ')}.`,
        'validation',
        'unknown_label',
      );
    }
    train = shuffleInPlace(examples.map(encode), random);
    validation = extra.validation.map(encode);
  } else {
    ({ train, validation } = split(examples.map(encode), labels, hp.validationFraction, random));
  }

  const k = labels.length;
  const counts = labels.map((_, c) => train.filter((e) => e.y === c).length);
  const classWeights =
    hp.classWeights === 'balanced'
      ? counts.map((n) => (n === 0 ? 0 : train.length / (k * n)))
      : counts.map(() => 1);
  const ones = labels.map(() => 1);
  const model: LogisticHeadModel = {
    kind: 'logistic',
    labels,
    features,
    weights: new Float32Array(features.dimensions * k),
    bias: new Float32Array(k),
    temperature: 1,
    operatingPoint: null,
  };
  let best = { weights: model.weights.slice(), bias: model.bias.slice(), loss: Infinity, epoch: 0 };
  const curve: EpochRecord[] = [];
  let sinceBest = 0;
  for (let epoch = 1; epoch <= hp.maxEpochs; epoch++) {
    extra.signal?.throwIfAborted();
    const lr = hp.learningRate / Math.sqrt(epoch);
    shuffleInPlace(train, random);
    let trainLoss = 0;
    let weightSum = 0;
    for (const { x, y } of train) {
      const p = softmax(logits(model, x));
      const w = classWeights[y] as number;
      trainLoss -= w * Math.log(Math.max(p[y] as number, 1e-12));
      weightSum += w;
      for (let c = 0; c < k; c++) {
        const g = w * ((p[c] as number) - (c === y ? 1 : 0));
        model.bias[c] = (model.bias[c] as number) - lr * g;
        for (let i = 0; i < x.indices.length; i++) {
          const at = (x.indices[i] as number) * k + c;
          const current = model.weights[at] as number;
          model.weights[at] = current - lr * (g * (x.values[i] as number) + hp.l2 * current);
        }
      }
    }
    const validationLoss = meanLoss(model, validation, ones);
    const record = { epoch, trainLoss: weightSum === 0 ? 0 : trainLoss / weightSum, validationLoss };
    curve.push(record);
    await extra.onEpoch?.(record, hp.maxEpochs);
    if (validationLoss < best.loss - 1e-6) {
      best = { weights: model.weights.slice(), bias: model.bias.slice(), loss: validationLoss, epoch };
      sinceBest = 0;
    } else if (++sinceBest >= hp.patience) {
      break;
    }
  }
  model.weights = best.weights;
  model.bias = best.bias;
  model.temperature = fitTemperature(model, validation, ones);
  if (hp.positiveLabel != null) {
    model.operatingPoint = {
      positiveLabel: hp.positiveLabel,
      threshold: chooseThreshold(
        model,
        validation,
        index.get(hp.positiveLabel) as number,
        hp.maxFalsePositiveRate,
      ),
    };
  }
  const predicted = validation.map(({ x }) => decide(model, softmax(logits(model, x), model.temperature)));
  return {
    model,
    curve,
    bestEpoch: best.epoch,
    validation: classificationReport(
      labels,
      validation.map((e) => e.y),
      predicted,
    ),
    trainCount: train.length,
    validationCount: validation.length,
    hyperParameters: hp,
  };
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/** The lowest threshold whose validation FPR stays within the limit (0.5 when there is none). */
function chooseThreshold(
  model: LogisticHeadModel,
  validation: Encoded[],
  positive: number,
  maxFpr: number | null,
) {
  if (maxFpr == null) return 0.5;
  const negatives = validation
    .filter((e) => e.y !== positive)
    .map(({ x }) => softmax(logits(model, x), model.temperature)[positive] as number)
    .sort((a, b) => b - a);
  const allowed = Math.floor(maxFpr * negatives.length);
  // Flag p >= threshold: at most `allowed` negatives may score at or above it.
  const above = negatives[allowed];
  return above === undefined ? 0 : Math.min(1, above + 1e-9);
}

function decide(model: LogisticHeadModel, p: Float64Array): number {
  const op = model.operatingPoint;
  if (!op) return argmax(p);
  const positive = model.labels.indexOf(op.positiveLabel);
  if ((p[positive] as number) >= op.threshold) return positive;
  const rest = Array.from(p, (v, c) => (c === positive ? -1 : v));
  return argmax(rest);
}

export interface HeadPrediction {
  label: string;
  scores: { label: string; probability: number }[];
}

/** Calibrated class probabilities of one text, best first. */
export function classifyWithHead(model: LogisticHeadModel, text: string): HeadPrediction {
  const p = softmax(logits(model, featurise(text, model.features)), model.temperature);
  const scores = model.labels
    .map((label, c) => ({ label, probability: p[c] as number }))
    .sort((a, b) => b.probability - a.probability);
  return { label: model.labels[decide(model, p)] as string, scores };
}
