/**
 * @module tuning/head-core
 * What every head trainer shares: the stratified seeded split (or a given validation set, checked
 * for missing and unknown labels), class weights, softmax, calibration (a temperature, or Platt
 * scaling of the positive-against-rest margin for two classes), the detector operating point and
 * the decision rule. Trainers produce logits; everything after the logits lives here.
 */
import { KeelError } from '../core/errors.js';
import type { SparseVector } from '../core/text/char-ngram-features.js';
import { shuffleInPlace } from './seeded-random.js';

export interface LabelledText {
  text: string;
  label: string;
}

export interface Encoded {
  x: SparseVector;
  y: number;
}

/** How probabilities are read from logits. */
export type Calibration =
  | { method: 'temperature'; temperature: number }
  | { method: 'platt'; positive: number; a: number; b: number };

export interface OperatingPoint {
  positiveLabel: string;
  threshold: number;
}

export function invalidDataset(message: string, path: string, code: string): KeelError {
  return new KeelError('invalid_dataset', message, { issues: [{ code, path: [path], message }] });
}

/** The sorted label set; refuses one class and an unknown positive label. */
export function labelsOf(examples: LabelledText[], positiveLabel: string | null): string[] {
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  if (positiveLabel != null && !labels.includes(positiveLabel)) {
    throw invalidDataset(
      `Positive label "${positiveLabel}" is not in the dataset.`,
      'positiveLabel',
      'unknown_label',
    );
  }
  if (labels.length < 2) {
    throw invalidDataset(
      `A head needs at least two classes; the dataset has ${labels.length === 0 ? 'none' : `only "${labels[0]}"`}.`,
      'label',
      'single_class',
    );
  }
  return labels;
}

/** Refuses a validation set that misses a training label or has one training lacks. */
export function checkValidationLabels(labels: string[], validation: LabelledText[]): void {
  const present = new Set(validation.map((e) => e.label));
  const missing = labels.filter((l) => !present.has(l));
  if (missing.length > 0) {
    throw invalidDataset(
      `Labels missing in validation: ${missing.join(', ')}.`,
      'validation',
      'label_missing_in_validation',
    );
  }
  const known = new Set(labels);
  const unknown = [...present].filter((l) => !known.has(l));
  if (unknown.length > 0) {
    throw invalidDataset(
      `Validation has labels not in training: ${unknown.join(', ')}.`,
      'validation',
      'unknown_label',
    );
  }
}

/** Stratified, seeded split; every class must reach both sides. */
export function stratifiedSplit(
  examples: Encoded[],
  labels: string[],
  fraction: number,
  random: () => number,
): { train: Encoded[]; validation: Encoded[] } {
  const byClass = labels.map(() => [] as Encoded[]);
  for (const e of examples) byClass[e.y]?.push(e);
  const train: Encoded[] = [];
  const validation: Encoded[] = [];
  byClass.forEach((items, c) => {
    if (items.length < 2) {
      throw invalidDataset(
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

export function classWeights(train: Encoded[], k: number, mode: 'balanced' | 'none'): number[] {
  const counts = new Array<number>(k).fill(0);
  for (const e of train) counts[e.y] = (counts[e.y] as number) + 1;
  return mode === 'balanced'
    ? counts.map((n) => (n === 0 ? 0 : train.length / (k * n)))
    : counts.map(() => 1);
}

export function softmax(scores: ArrayLike<number>, temperature = 1): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) max = Math.max(max, (scores[i] as number) / temperature);
  const out = new Float64Array(scores.length);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    out[i] = Math.exp((scores[i] as number) / temperature - max);
    sum += out[i] as number;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The positive class's margin over the best other class. */
function margin(logits: ArrayLike<number>, positive: number): number {
  let other = -Infinity;
  for (let c = 0; c < logits.length; c++) if (c !== positive) other = Math.max(other, logits[c] as number);
  return (logits[positive] as number) - other;
}

/** Calibrated class probabilities from logits. */
export function probabilities(logits: ArrayLike<number>, calibration: Calibration): Float64Array {
  if (calibration.method === 'temperature') return softmax(logits, calibration.temperature);
  const p = sigmoid(calibration.a * margin(logits, calibration.positive) + calibration.b);
  const k = logits.length;
  if (k === 2) {
    const out = new Float64Array(2);
    out[calibration.positive] = p;
    out[1 - calibration.positive] = 1 - p;
    return out;
  }
  // More than two classes: the rest share 1 - p in proportion to their softmax.
  const rest = softmax(logits);
  const restSum = 1 - (rest[calibration.positive] as number);
  return rest.map((v, c) => (c === calibration.positive ? p : restSum > 0 ? ((1 - p) * v) / restSum : 0));
}

/** Mean (class-weighted) negative log-likelihood of the true classes. */
export function meanLoss(
  logitsList: ArrayLike<number>[],
  ys: number[],
  weights: number[],
  calibration: Calibration,
): number {
  let total = 0;
  let weightSum = 0;
  logitsList.forEach((logits, i) => {
    const y = ys[i] as number;
    const w = weights[y] as number;
    total -= w * Math.log(Math.max(probabilities(logits, calibration)[y] as number, 1e-12));
    weightSum += w;
  });
  return weightSum === 0 ? 0 : total / weightSum;
}

/**
 * Fits the calibration on validation logits: the temperature minimising log-loss over a
 * log-spaced grid, or Platt's sigmoid on the positive margin (Newton steps, Platt's smoothed
 * targets so a separable validation set does not push the slope to infinity).
 */
export function fitCalibration(
  logitsList: ArrayLike<number>[],
  ys: number[],
  method: 'temperature' | 'platt',
  positive: number,
): Calibration {
  const ones = new Array<number>(Math.max(...ys, positive) + 1).fill(1);
  if (method === 'temperature') {
    let best = 1;
    let bestLoss = meanLoss(logitsList, ys, ones, { method: 'temperature', temperature: 1 });
    for (let step = -20; step <= 20; step++) {
      const temperature = 2 ** (step / 8);
      const loss = meanLoss(logitsList, ys, ones, { method: 'temperature', temperature });
      if (loss < bestLoss - 1e-12) {
        bestLoss = loss;
        best = temperature;
      }
    }
    return { method: 'temperature', temperature: best };
  }
  const z = logitsList.map((l) => margin(l, positive));
  const positives = ys.filter((y) => y === positive).length;
  const negatives = ys.length - positives;
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (negatives + 2);
  const t = ys.map((y) => (y === positive ? hi : lo));
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-9;
    let hab = 0;
    let hbb = 1e-9;
    z.forEach((zi, i) => {
      const p = sigmoid(a * zi + b);
      const d = p - (t[i] as number);
      const w = p * (1 - p);
      ga += d * zi;
      gb += d;
      haa += w * zi * zi;
      hab += w * zi;
      hbb += w;
    });
    const det = haa * hbb - hab * hab;
    if (Math.abs(det) < 1e-18) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { method: 'platt', positive, a, b };
}

/** The lowest threshold whose validation FPR stays within the limit (0.5 when there is none). */
export function chooseThreshold(
  validationProbabilities: Float64Array[],
  ys: number[],
  positive: number,
  maxFpr: number | null,
): number {
  if (maxFpr == null) return 0.5;
  const negatives = validationProbabilities
    .filter((_, i) => ys[i] !== positive)
    .map((p) => p[positive] as number)
    .sort((a, b) => b - a);
  const allowed = Math.floor(maxFpr * negatives.length);
  // Flag p >= threshold: at most `allowed` negatives may score at or above it.
  const above = negatives[allowed];
  return above === undefined ? 0 : Math.min(1, above + 1e-9);
}

/** Argmax, or the positive label whenever its probability reaches the operating point. */
export function decide(labels: string[], operatingPoint: OperatingPoint | null, p: Float64Array): number {
  if (!operatingPoint) return argmax(p);
  const positive = labels.indexOf(operatingPoint.positiveLabel);
  if ((p[positive] as number) >= operatingPoint.threshold) return positive;
  return argmax(Array.from(p, (v, c) => (c === positive ? -1 : v)));
}

export interface HeadPrediction {
  label: string;
  scores: { label: string; probability: number }[];
}

export function prediction(
  labels: string[],
  operatingPoint: OperatingPoint | null,
  p: Float64Array,
): HeadPrediction {
  const scores = labels
    .map((label, c) => ({ label, probability: p[c] as number }))
    .sort((a, b) => b.probability - a.probability);
  return { label: labels[decide(labels, operatingPoint, p)] as string, scores };
}

/** What every stored head decides with: its labels, calibration and operating point. */
export interface HeadDecision {
  labels: string[];
  calibration: Calibration;
  operatingPoint: OperatingPoint | null;
}

/** The calibrated prediction of a head for one example's logits. */
export function calibratedPrediction(head: HeadDecision, logits: ArrayLike<number>): HeadPrediction {
  return prediction(head.labels, head.operatingPoint, probabilities(logits, head.calibration));
}

/** The weighted cross-entropy gradient at the logits (softmax minus the one-hot target), in place. */
export function outputGradient(logits: Float64Array, y: number, weight: number): Float64Array {
  const p = softmax(logits);
  for (let c = 0; c < logits.length; c++) logits[c] = weight * ((p[c] as number) - (c === y ? 1 : 0));
  return logits;
}
