/**
 * @module rag/vector/source-manifest
 * What a derived index file was built from: the number of source rows and a checksum over their
 * ids and versions. An index whose manifest differs from the database's is stale and rebuilt.
 */
import { createHash } from 'node:crypto';

export interface SourceManifest {
  /** Rows the index was built from. */
  count: number;
  /** Checksum over the rows' ids and versions (e.g. content hashes or update stamps). */
  checksum: string;
}

/**
 * A manifest for rows given as `[id, version]` pairs, in any order (they are sorted first).
 *
 * @example
 * sourceManifest([['c1', 'sha:ab12'], ['c2', 'sha:cd34']]) // { count: 2, checksum: '…' }
 */
export function sourceManifest(rows: Iterable<readonly [string, string | number]>): SourceManifest {
  const entries = [...rows].map(([id, version]) => `${id}\u0000${version}`).sort();
  const hash = createHash('sha256');
  for (const entry of entries) hash.update(entry).update('\n');
  return { count: entries.length, checksum: hash.digest('hex') };
}

export function sameSource(a: SourceManifest | undefined, b: SourceManifest): boolean {
  return a !== undefined && a.count === b.count && a.checksum === b.checksum;
}
