/**
 * @module tuning/head-file
 * A head version as it is stored: its lineage and metrics (`HeadVersionInfo`) and the
 * `keel.head.v2` JSON text that holds them with the weights (float32 little-endian, base64). The
 * text's SHA-256 is what the store checks before the weights are used.
 */
import { createHash } from 'node:crypto';
import { KeelError } from '../core/errors.js';
import type { ClassificationReport } from './classification-metrics.js';
import type { Calibration, OperatingPoint } from './head-core.js';
import type { FeatureSpec } from './head-features.js';
import type { HeadKind, HeadModel } from './head-model.js';
import type { EpochRecord } from './head-trainer.js';
import type { SpanReport, Tokenization } from './token-tagger.js';

export const HEAD_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Lineage and metrics of one stored version (what the list shows). */
export interface HeadVersionInfo {
  name: string;
  version: number;
  createdAt: string;
  kind: HeadKind;
  labels: string[];
  features: FeatureSpec;
  /** The frozen encoder, in words (`char-ngram 1-3 x 2^18`, or the embedding model's id). */
  baseEncoder: string;
  hyperParameters: Record<string, unknown>;
  dataset: {
    sha256: string;
    count: number;
    trainCount: number;
    validationCount: number;
    source: string | null;
  };
  metrics: ClassificationReport;
  curve: EpochRecord[];
  bestEpoch: number;
  /** The calibration temperature (1 when Platt scaling calibrates instead). */
  temperature: number;
  calibration: Calibration;
  operatingPoint: OperatingPoint | null;
  jobId: string | null;
  /** Training time in milliseconds. */
  trainingMs?: number;
  /** SHA-256 of the stored text, checked before the weights are used. */
  fileSha256?: string;
  /** Taggers: the span-level report on validation. */
  spans?: SpanReport | null;
  /** The governance asset that tracks this version, when one was registered. */
  governanceAssetId?: string | null;
}

export type NewHeadVersion = Omit<HeadVersionInfo, 'version' | 'createdAt' | 'fileSha256'>;

interface HeadFile {
  format: 'keel.head.v2';
  info: Omit<HeadVersionInfo, 'fileSha256'>;
  /** Float32 little-endian arrays, base64 (logistic: weights, bias; mlp: w1, b1, w2, b2). */
  tensors: Record<string, string>;
}

const TENSORS: Record<HeadKind, string[]> = {
  logistic: ['weights', 'bias'],
  mlp: ['w1', 'b1', 'w2', 'b2'],
  tagger: ['weights', 'bias'],
};

const encode = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function decode(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** The stored text of a version: its info (without the hash of this text) and its weights. */
export function headText(info: Omit<HeadVersionInfo, 'fileSha256'>, model: HeadModel): string {
  const tensors = Object.fromEntries(
    TENSORS[model.kind].map((key) => [
      key,
      encode((model as unknown as Record<string, Float32Array>)[key] as Float32Array),
    ]),
  );
  return JSON.stringify({ format: 'keel.head.v2', info, tensors } satisfies HeadFile);
}

/** The model a version's stored text holds. */
export function modelOf(info: HeadVersionInfo, text: string): HeadModel {
  const name = info.name;
  const file = JSON.parse(text) as HeadFile | { format: 'keel.head.v1'; bias: number[]; weights: string };
  const common = {
    labels: info.labels,
    features: info.features,
    // Versions stored before calibration choices existed have only a temperature.
    calibration: info.calibration ?? { method: 'temperature' as const, temperature: info.temperature },
    operatingPoint: info.operatingPoint,
  };
  if (file.format === 'keel.head.v1') {
    return { kind: 'logistic', ...common, weights: decode(file.weights), bias: Float32Array.from(file.bias) };
  }
  const t = (key: string) => {
    const value = file.tensors[key];
    if (value === undefined)
      throw new KeelError('checksum_mismatch', `Head ${name} lacks its ${key} weights.`);
    return decode(value);
  };
  const model: HeadModel =
    info.kind === 'mlp'
      ? {
          kind: 'mlp',
          ...common,
          hiddenUnits: Number(info.hyperParameters.hiddenUnits),
          w1: t('w1'),
          b1: t('b1'),
          w2: t('w2'),
          b2: t('b2'),
        }
      : info.kind === 'tagger'
        ? {
            kind: 'tagger',
            ...common,
            features: info.features,
            operatingPoint: null,
            window: Number(info.hyperParameters.window),
            tokenization: info.hyperParameters.tokenization as Tokenization,
            weights: t('weights'),
            bias: t('bias'),
          }
        : { kind: 'logistic', ...common, weights: t('weights'), bias: t('bias') };
  return model;
}
