/**
 * @module tuning/head-store
 * Trained heads as versioned JSON files in the data directory: `heads/<project>/<name>/v<N>.json`
 * plus one `heads/<project>/index.json` listing every head's versions and metrics. A version file
 * is written (temporary file, then rename) before the index names it, and removed again if the
 * index cannot be updated, so a failed save leaves no half-registered head.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { KeelError } from '../core/errors.js';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../core/private-files.js';
import type { CharNgramSpec } from './char-ngram-features.js';
import type { ClassificationReport } from './classification-metrics.js';
import type { EpochRecord, HeadTrainingOptions, LogisticHeadModel } from './logistic-head.js';

export const HEAD_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** Lineage and metrics of one stored version (what the index lists). */
export interface HeadVersionInfo {
  name: string;
  version: number;
  createdAt: string;
  kind: 'logistic';
  labels: string[];
  features: CharNgramSpec;
  hyperParameters: Required<HeadTrainingOptions>;
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
  temperature: number;
  operatingPoint: LogisticHeadModel['operatingPoint'];
  jobId: string | null;
}

interface HeadIndex {
  heads: Record<string, HeadVersionInfo[]>;
}

interface HeadFile {
  format: 'keel.head.v1';
  info: HeadVersionInfo;
  bias: number[];
  /** Float32 little-endian, row-major [feature][class], base64. */
  weights: string;
}

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
  save(
    projectId: string,
    info: Omit<HeadVersionInfo, 'version' | 'createdAt'>,
    model: LogisticHeadModel,
  ): Promise<HeadVersionInfo> {
    const previous = this.#queue.get(projectId) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => this.#save(projectId, info, model));
    this.#queue.set(projectId, next);
    return next;
  }

  async #save(
    projectId: string,
    partial: Omit<HeadVersionInfo, 'version' | 'createdAt'>,
    model: LogisticHeadModel,
  ): Promise<HeadVersionInfo> {
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
    const file: HeadFile = {
      format: 'keel.head.v1',
      info,
      bias: Array.from(model.bias),
      weights: Buffer.from(model.weights.buffer, model.weights.byteOffset, model.weights.byteLength).toString(
        'base64',
      ),
    };
    const versionFile = path.join(headDir, `v${info.version}.json`);
    await this.#writeAtomic(versionFile, JSON.stringify(file));
    try {
      index.heads[partial.name] = [...versions, info];
      await this.#writeAtomic(path.join(dir, 'index.json'), JSON.stringify(index));
    } catch (error) {
      await rm(versionFile, { force: true });
      throw error;
    }
    return info;
  }

  /** Loads a version (default: the latest) as a model ready to classify. */
  async load(
    projectId: string,
    name: string,
    version?: number,
  ): Promise<{ info: HeadVersionInfo; model: LogisticHeadModel }> {
    const versions = await this.versions(projectId, name);
    const info =
      version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
    if (!info) throw new KeelError('not_found', `Head ${name} has no version ${version}.`);
    const text = await readFile(
      path.join(this.#projectDir(projectId), name, `v${info.version}.json`),
      'utf8',
    );
    const file = JSON.parse(text) as HeadFile;
    const bytes = Buffer.from(file.weights, 'base64');
    const weights = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    return {
      info,
      model: {
        kind: 'logistic',
        labels: info.labels,
        features: info.features,
        weights,
        bias: Float32Array.from(file.bias),
        temperature: info.temperature,
        operatingPoint: info.operatingPoint,
      },
    };
  }

  /** For tests and tools: the directory of one project's heads. */
  directory(projectId: string): string {
    return this.#projectDir(projectId);
  }
}
