/**
 * @module rag/vector/usearch-store
 * The usearch index file is derived data: vectors live in the database. Beside `<file>` sits
 * `<file>.manifest.json` with the format, the index settings, the id table and the manifest of the
 * source rows. `openUsearchIndex` loads the file when the manifest matches the database and
 * rebuilds it from the stored vectors when it is missing, unreadable or stale.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { VectorRecord } from '../../spec/vector-index.js';
import { type SourceManifest, sameSource } from './source-manifest.js';
import {
  createUsearchIndex,
  type UsearchIndexOptions,
  type UsearchVectorIndex,
} from './usearch-vector-index.js';

const format = 1;

interface ManifestFile {
  format: number;
  dimensions: number;
  quantization: 'f16' | 'f32';
  connectivity: number;
  source: SourceManifest;
  keys: (string | null)[];
}

export interface OpenUsearchOptions extends UsearchIndexOptions {
  /** The index file. */
  file: string;
  /** The manifest of the rows the index must reflect now. */
  source: SourceManifest;
  /** Streams the stored vectors in batches, for a rebuild. */
  vectors: () => AsyncIterable<readonly VectorRecord[]>;
}

export interface OpenedUsearchIndex {
  index: UsearchVectorIndex;
  rebuilt: boolean;
  /** Why it was rebuilt: `missing`, `unreadable`, `settings`, `stale`; absent when loaded. */
  reason?: 'missing' | 'unreadable' | 'settings' | 'stale';
}

const manifestPath = (file: string) => `${file}.manifest.json`;

/** Writes the index and its manifest; the old pair is replaced only once both are written. */
export async function saveUsearchIndex(
  index: UsearchVectorIndex,
  file: string,
  source: SourceManifest,
): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const manifest: ManifestFile = {
    format,
    dimensions: index.dimensions,
    quantization: index.options.quantization,
    connectivity: index.options.connectivity,
    source,
    keys: index.keyTable(),
  };
  const temporary = `${file}.${process.pid}.tmp`;
  index.native.save(temporary);
  await writeFile(`${temporary}.manifest`, JSON.stringify(manifest));
  // The manifest goes last: a crash in between leaves an old manifest that no longer matches.
  await rm(manifestPath(file), { force: true });
  await rename(temporary, file);
  await rename(`${temporary}.manifest`, manifestPath(file));
}

async function readManifest(file: string): Promise<ManifestFile | undefined> {
  try {
    const manifest = JSON.parse(await readFile(manifestPath(file), 'utf8')) as ManifestFile;
    return manifest.format === format && Array.isArray(manifest.keys) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Loads the index file if it matches `source`, otherwise rebuilds it from `vectors()` and saves it.
 *
 * @example
 * const { index, rebuilt } = await openUsearchIndex({
 *   file: 'data/rag/c1.usearch', dimensions: 512, source: await manifestFromDb(), vectors: () => streamVectors(),
 * });
 */
export async function openUsearchIndex(options: OpenUsearchOptions): Promise<OpenedUsearchIndex> {
  const { file, source, vectors, ...settings } = options;
  let reason: OpenedUsearchIndex['reason'];
  if (!existsSync(file) || !existsSync(manifestPath(file))) reason = 'missing';
  const manifest = reason ? undefined : await readManifest(file);
  if (!reason && !manifest) reason = 'unreadable';
  const wanted = createUsearchIndex(settings);
  if (manifest && !reason) {
    if (
      manifest.dimensions !== wanted.dimensions ||
      manifest.quantization !== wanted.options.quantization ||
      manifest.connectivity !== wanted.options.connectivity
    ) {
      reason = 'settings';
    } else if (!sameSource(manifest.source, source)) reason = 'stale';
    else {
      try {
        wanted.native.load(file);
        wanted.restoreKeyTable(manifest.keys);
        if ((await wanted.count()) === source.count && wanted.native.size() === source.count) {
          return { index: wanted, rebuilt: false };
        }
        reason = 'stale';
      } catch {
        reason = 'unreadable';
      }
    }
  }
  const index = createUsearchIndex(settings);
  for await (const batch of vectors()) index.addSync(batch);
  await saveUsearchIndex(index, file, source);
  return { index, rebuilt: true, ...(reason ? { reason } : {}) };
}
