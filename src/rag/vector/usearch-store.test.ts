import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { VectorRecord } from '../../spec/vector-index.js';
import { sourceManifest } from './source-manifest.js';
import { openUsearchIndex } from './usearch-store.js';

function records(count: number, offset = 0): VectorRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const vector = new Float32Array(8);
    vector[(i + offset) % 8] = 1;
    vector[(i * 3 + 1) % 8]! += 0.5;
    return { id: `c${i + offset}`, vector };
  });
}

describe('usearch index file', () => {
  let dir: string;
  let builds = 0;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'keel-usearch-'));
    builds = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const open = (rows: VectorRecord[], settings: { quantization?: 'f16' | 'f32' } = {}) =>
    openUsearchIndex({
      file: path.join(dir, 'index.usearch'),
      dimensions: 8,
      ...settings,
      source: sourceManifest(rows.map((row) => [row.id, row.vector.join(',')])),
      vectors: async function* () {
        builds++;
        yield rows;
      },
    });

  it('builds when missing, loads when current, rebuilds when stale or changed', async () => {
    const rows = records(20);
    const first = await open(rows);
    expect(first).toMatchObject({ rebuilt: true, reason: 'missing' });
    const query = rows[3]!.vector;
    const expected = await first.index.search(query, { topK: 3 });

    const second = await open(rows);
    expect(second.rebuilt).toBe(false);
    expect(await second.index.count()).toBe(20);
    expect(await second.index.search(query, { topK: 3 })).toEqual(expected);

    const changed = [...rows.slice(0, 19), ...records(2, 100)];
    const third = await open(changed);
    expect(third).toMatchObject({ rebuilt: true, reason: 'stale' });
    expect(await third.index.count()).toBe(21);
    expect((await third.index.search(changed[20]!.vector, { topK: 1 }))[0]!.id).toBe('c101');

    expect(await open(changed, { quantization: 'f32' })).toMatchObject({ rebuilt: true, reason: 'settings' });
    expect(builds).toBe(3 + 0);
  });

  it('rebuilds an unreadable file', async () => {
    const rows = records(5);
    await open(rows);
    await writeFile(path.join(dir, 'index.usearch.manifest.json'), '{ broken');
    expect(await open(rows)).toMatchObject({ rebuilt: true, reason: 'unreadable' });
    await writeFile(path.join(dir, 'index.usearch'), 'garbage');
    expect((await open(rows)).rebuilt).toBe(true);
  });

  it('computes the same manifest whatever the row order', () => {
    expect(
      sourceManifest([
        ['a', 1],
        ['b', 2],
      ]),
    ).toEqual(
      sourceManifest([
        ['b', 2],
        ['a', 1],
      ]),
    );
    expect(sourceManifest([['a', 1]]).checksum).not.toBe(sourceManifest([['a', 2]]).checksum);
  });
});
