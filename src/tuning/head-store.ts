/**
 * @module tuning/head-store
 * Trained heads as versioned JSON files in the data directory: `heads/<project>/<name>/v<N>.json`
 * plus one `heads/<project>/index.json` listing every head's versions and metrics. A version file
 * is written (temporary file, then rename) before the index names it, and removed again if the
 * index cannot be updated, so a failed save leaves no half-registered head. The index keeps each
 * file's SHA-256: a file changed on disk is refused when loaded (`checksum_mismatch`).
 */
import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files.js';
import type { ClassificationReport } from './classification-metrics.js';
import type { Calibration, OperatingPoint } from './head-core.js';
import type { FeatureSpec } from './head-features.js';
import type { HeadKind, HeadModel } from './head-model.js';
import type { EpochRecord } from './head-trainer.js';
import type { SpanReport, Tokenization } from './token-tagger.js';

export const HEAD_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Lineage and metrics of one stored version (what the index lists). */
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
  /** SHA-256 of the version file, checked on every load. */
  fileSha256?: string;
  /** Taggers: the span-level report on validation. */
  spans?: SpanReport | null;
  /** The governance asset that tracks this version, when one was registered. */
  governanceAssetId?: string | null;
}

interface HeadIndex {
  heads: Record<string, HeadVersionInfo[]>;
}

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
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export type NewHeadVersion = Omit<HeadVersionInfo, 'version' | 'createdAt' | 'fileSha256'>;

export class HeadStore {
  readonly #root: string;
  /** Saves in one process are serialised per project so index updates never interleave. */
  readonly #queue = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'heads');
  }

  #projectDir(projectId: string): string {
    if (!/^[A-Za-z0-9_-]+$/.test(projectId)) throw new KeelError('invalid_request', 'Bad project id.');
    return path.join(this.#root, projectId);
  }

  async #readIndex(projectId: string): Promise<HeadIndex> {
    try {
      return JSON.parse(
        await readFile(path.join(this.#projectDir(projectId), 'index.json'), 'utf8'),
      ) as HeadIndex;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { heads: {} };
      throw error;
    }
  }

  async #writeAtomic(file: string, text: string): Promise<void> {
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, text, { mode: PRIVATE_FILE_MODE });
    await rename(tmp, file);
  }

  #serial<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queue.get(projectId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(work);
    this.#queue.set(projectId, next);
    return next;
  }

  async list(projectId: string): Promise<HeadVersionInfo[]> {
    const index = await this.#readIndex(projectId);
    return Object.values(index.heads)
      .map((versions) => versions[versions.length - 1] as HeadVersionInfo)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async versions(projectId: string, name: string): Promise<HeadVersionInfo[]> {
    const versions = (await this.#readIndex(projectId)).heads[name];
    if (!versions) throw new KeelError('not_found', `Head ${name} not found.`);
    return versions;
  }

  /** Stores a new version of `name` and returns its info (version numbers start at 1). */
  save(projectId: string, info: NewHeadVersion, model: HeadModel): Promise<HeadVersionInfo> {
    return this.#serial(projectId, () => this.#save(projectId, info, model));
  }

  /** Records facts learnt after the save (the governance asset id) on one version. */
  annotate(
    projectId: string,
    name: string,
    version: number,
    patch: Pick<HeadVersionInfo, 'governanceAssetId'>,
  ): Promise<HeadVersionInfo> {
    return this.#serial(projectId, async () => {
      const index = await this.#readIndex(projectId);
      const versions = index.heads[name] ?? [];
      const at = versions.findIndex((v) => v.version === version);
      if (at < 0) throw new KeelError('not_found', `Head ${name} has no version ${version}.`);
      const updated = { ...(versions[at] as HeadVersionInfo), ...patch };
      versions[at] = updated;
      await this.#writeAtomic(path.join(this.#projectDir(projectId), 'index.json'), JSON.stringify(index));
      return updated;
    });
  }

  /** Removes one version (a job that failed after saving it); the head goes when its last version does. */
  remove(projectId: string, name: string, version: number): Promise<void> {
    return this.#serial(projectId, async () => {
      const dir = this.#projectDir(projectId);
      const index = await this.#readIndex(projectId);
      const rest = (index.heads[name] ?? []).filter((v) => v.version !== version);
      if (rest.length > 0) index.heads[name] = rest;
      else delete index.heads[name];
      await this.#writeAtomic(path.join(dir, 'index.json'), JSON.stringify(index));
      await rm(path.join(dir, name, `v${version}.json`), { force: true });
    });
  }

  async #save(projectId: string, partial: NewHeadVersion, model: HeadModel): Promise<HeadVersionInfo> {
    if (!HEAD_NAME.test(partial.name))
      throw new KeelError('invalid_request', `Bad head name ${partial.name}.`);
    const dir = this.#projectDir(projectId);
    const headDir = path.join(dir, partial.name);
    await makePrivateDir(headDir);
    const index = await this.#readIndex(projectId);
    const versions = index.heads[partial.name] ?? [];
    const info: HeadVersionInfo = {
      ...partial,
      version: (versions[versions.length - 1]?.version ?? 0) + 1,
      createdAt: new Date().toISOString(),
    };
    const tensors = Object.fromEntries(
      TENSORS[model.kind].map((key) => [
        key,
        encode((model as unknown as Record<string, Float32Array>)[key] as Float32Array),
      ]),
    );
    const text = JSON.stringify({ format: 'keel.head.v2', info, tensors } satisfies HeadFile);
    info.fileSha256 = sha256(text);
    const versionFile = path.join(headDir, `v${info.version}.json`);
    await this.#writeAtomic(versionFile, text);
    try {
      index.heads[partial.name] = [...versions, info];
      await this.#writeAtomic(path.join(dir, 'index.json'), JSON.stringify(index));
    } catch (error) {
      await rm(versionFile, { force: true });
      throw error;
    }
    return info;
  }

  /** Loads a version (default: the latest) as a model ready to classify; refuses a changed file. */
  async load(
    projectId: string,
    name: string,
    version?: number,
  ): Promise<{ info: HeadVersionInfo; model: HeadModel }> {
    const versions = await this.versions(projectId, name);
    const info =
      version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (!info) throw new KeelError('not_found', `Head ${name} has no version ${version}.`);
    const text = await readFile(
      path.join(this.#projectDir(projectId), name, `v${info.version}.json`),
      'utf8',
    );
    if (info.fileSha256 && sha256(text) !== info.fileSha256) {
      throw new KeelError(
        'checksum_mismatch',
        `Head ${name} version ${info.version} was changed on disk; refusing it.`,
        {
          data: { head: name, version: info.version },
        },
      );
    }
    const file = JSON.parse(text) as HeadFile | { format: 'keel.head.v1'; bias: number[]; weights: string };
    const common = {
      labels: info.labels,
      features: info.features,
      // Versions stored before calibration choices existed have only a temperature.
      calibration: info.calibration ?? { method: 'temperature' as const, temperature: info.temperature },
      operatingPoint: info.operatingPoint,
    };
    if (file.format === 'keel.head.v1') {
      return {
        info,
        model: {
          kind: 'logistic',
          ...common,
          weights: decode(file.weights),
          bias: Float32Array.from(file.bias),
        },
      };
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
    return { info, model };
  }

  /** For tests and tools: the directory of one project's heads. */
  directory(projectId: string): string {
    return this.#projectDir(projectId);
  }
}
