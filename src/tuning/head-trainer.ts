/**
 * @module tuning/head-trainer
 * The training loop every head shares: encode the texts with the frozen encoder, split (stratified
 * and seeded) or check the given validation set, then seeded SGD epochs with class weights, early
 * stopping on validation loss (the best epoch's parameters are kept), calibration fitted on
 * validation, an optional detector operating point, and the metrics report. A head kind supplies
 * only its network: logits, one SGD step, and a snapshot of its parameters.
 */
import type { SparseVector } from '../core/text/char-ngram-features.js';
import { type ClassificationReport, classificationReport } from './classification-metrics.js';
import {
  type Calibration,
  checkValidationLabels,
  chooseThreshold,
  classWeights,
  decide,
  type Encoded,
  fitCalibration,
  type LabelledText,
  labelsOf,
  meanLoss,
  type OperatingPoint,
  probabilities,
  softmax,
  stratifiedSplit,
} from './head-core.js';
import { type Embedder, encodeTexts, type FeatureSpec } from './head-features.js';
import { seededRandom, shuffleInPlace } from './seeded-random.js';

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
  /** `temperature` (any number of classes) or `platt` (the positive label's margin; two classes best). */
  calibration?: 'temperature' | 'platt';
  /**
   * An operating point for a detector: with `positiveLabel`, the head flags that label when its
   * calibrated probability reaches a threshold chosen on validation so that the false-positive
   * rate there stays at or under `maxFalsePositiveRate` (default: plain argmax).
   */
  positiveLabel?: string | null;
  maxFalsePositiveRate?: number | null;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  validationLoss: number;
}

/** A head's parameters as the trainer drives them. */
export interface HeadNetwork<Snapshot> {
  logits(x: SparseVector): Float64Array;
  /** One SGD step on one example; returns nothing, updates in place. */
  step(x: SparseVector, y: number, weight: number, learningRate: number, l2: number): void;
  snapshot(): Snapshot;
  restore(snapshot: Snapshot): void;
}

export interface TrainExtra {
  validation?: LabelledText[] | undefined;
  onEpoch?: (record: EpochRecord, maxEpochs: number) => Promise<void> | void;
  signal?: AbortSignal | undefined;
  /** For embedding features: the registry's embed. */
  embedder?: Embedder | undefined;
}

export interface TrainedHead<Snapshot> {
  labels: string[];
  parameters: Snapshot;
  calibration: Calibration;
  operatingPoint: OperatingPoint | null;
  curve: EpochRecord[];
  bestEpoch: number;
  validation: ClassificationReport;
  trainCount: number;
  validationCount: number;
}

/** What a trainer returns: the model, its curve and its validation report. */
export interface HeadTrainingResult<Model> {
  model: Model;
  curve: EpochRecord[];
  bestEpoch: number;
  validation: ClassificationReport;
  trainCount: number;
  validationCount: number;
  hyperParameters: Record<string, unknown> & Required<HeadTrainingOptions>;
}

/**
 * Wraps a trained network as a head of `kind`: its parameters and `own` fields beside the fields
 * every head stores (labels, features, calibration, operating point), and the training report.
 */
export function headTrainingResult<Kind extends string, Snapshot extends object, Own extends object, HP>(
  kind: Kind,
  trained: TrainedHead<Snapshot>,
  features: FeatureSpec,
  hyperParameters: HP & Required<HeadTrainingOptions>,
  own: Own,
) {
  return {
    model: {
      kind,
      labels: trained.labels,
      features,
      ...own,
      ...trained.parameters,
      calibration: trained.calibration,
      operatingPoint: trained.operatingPoint,
    },
    curve: trained.curve,
    bestEpoch: trained.bestEpoch,
    validation: trained.validation,
    trainCount: trained.trainCount,
    validationCount: trained.validationCount,
    hyperParameters,
  };
}

export const TRAINING_DEFAULTS: Required<HeadTrainingOptions> = {
  seed: 42,
  validationFraction: 0.2,
  maxEpochs: 30,
  patience: 3,
  learningRate: 0.5,
  l2: 1e-5,
  classWeights: 'balanced',
  calibration: 'temperature',
  positiveLabel: null,
  maxFalsePositiveRate: null,
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function trainHead<Snapshot>(
  examples: LabelledText[],
  features: FeatureSpec,
  hp: Required<HeadTrainingOptions>,
  extra: TrainExtra,
  makeNetwork: (k: number, dimensions: number, random: () => number) => HeadNetwork<Snapshot>,
): Promise<TrainedHead<Snapshot>> {
  const labels = labelsOf(examples, hp.positiveLabel);
  if (extra.validation) checkValidationLabels(labels, extra.validation);
  const index = new Map(labels.map((l, i) => [l, i]));
  const encode = async (items: LabelledText[]): Promise<Encoded[]> => {
    const vectors = await encodeTexts(
      items.map((e) => e.text),
      features,
      extra.embedder,
      extra.signal,
    );
    return vectors.map((x, i) => ({ x, y: index.get((items[i] as LabelledText).label) as number }));
  };
  const random = seededRandom(hp.seed);
  let train: Encoded[];
  let validation: Encoded[];
  if (extra.validation) {
    train = shuffleInPlace(await encode(examples), random);
    validation = await encode(extra.validation);
  } else {
    ({ train, validation } = stratifiedSplit(await encode(examples), labels, hp.validationFraction, random));
  }
  return trainEncoded(labels, train, validation, features.dimensions, hp, extra, random, makeNetwork);
}

/**
 * The loop on encoded examples (a token tagger encodes and splits its own: one token is one
 * example, and sentences, not tokens, are split).
 */
export async function trainEncoded<Snapshot>(
  labels: string[],
  train: Encoded[],
  validation: Encoded[],
  dimensions: number,
  hp: Required<HeadTrainingOptions>,
  extra: Pick<TrainExtra, 'onEpoch' | 'signal'>,
  random: () => number,
  makeNetwork: (k: number, dimensions: number, random: () => number) => HeadNetwork<Snapshot>,
): Promise<TrainedHead<Snapshot>> {
  const index = new Map(labels.map((l, i) => [l, i]));
  const k = labels.length;
  const weights = classWeights(train, k, hp.classWeights);
  const ones = labels.map(() => 1);
  const plain: Calibration = { method: 'temperature', temperature: 1 };
  const network = makeNetwork(k, dimensions, random);
  const validationLoss = () =>
    meanLoss(
      validation.map(({ x }) => network.logits(x)),
      validation.map((e) => e.y),
      ones,
      plain,
    );
  let best = { parameters: network.snapshot(), loss: Infinity, epoch: 0 };
  const curve: EpochRecord[] = [];
  let sinceBest = 0;
  for (let epoch = 1; epoch <= hp.maxEpochs; epoch++) {
    extra.signal?.throwIfAborted();
    const lr = hp.learningRate / Math.sqrt(epoch);
    shuffleInPlace(train, random);
    let trainLoss = 0;
    let weightSum = 0;
    for (const [i, { x, y }] of train.entries()) {
      const w = weights[y] as number;
      trainLoss -= w * Math.log(Math.max(softmax(network.logits(x))[y] as number, 1e-12));
      weightSum += w;
      network.step(x, y, w, lr, hp.l2);
      // Long epochs share the event loop with the server (job heartbeats, requests).
      if (i % 2048 === 2047) await yieldToEventLoop();
    }
    const record = {
      epoch,
      trainLoss: weightSum === 0 ? 0 : trainLoss / weightSum,
      validationLoss: validationLoss(),
    };
    curve.push(record);
    await extra.onEpoch?.(record, hp.maxEpochs);
    if (record.validationLoss < best.loss - 1e-6) {
      best = { parameters: network.snapshot(), loss: record.validationLoss, epoch };
      sinceBest = 0;
    } else if (++sinceBest >= hp.patience) {
      break;
    }
  }
  network.restore(best.parameters);
  const ys = validation.map((e) => e.y);
  const logits = validation.map(({ x }) => network.logits(x));
  const positive = hp.positiveLabel == null ? k - 1 : (index.get(hp.positiveLabel) as number);
  const calibration = fitCalibration(logits, ys, hp.calibration, positive);
  const calibrated = logits.map((l) => probabilities(l, calibration));
  const operatingPoint =
    hp.positiveLabel == null
      ? null
      : {
          positiveLabel: hp.positiveLabel,
          threshold: chooseThreshold(calibrated, ys, positive, hp.maxFalsePositiveRate),
        };
  return {
    labels,
    parameters: best.parameters,
    calibration,
    operatingPoint,
    curve,
    bestEpoch: best.epoch,
    validation: classificationReport(
      labels,
      ys,
      calibrated.map((p) => decide(labels, operatingPoint, p)),
    ),
    trainCount: train.length,
    validationCount: validation.length,
  };
}
