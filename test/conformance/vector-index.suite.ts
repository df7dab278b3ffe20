/**
 * The vector index conformance suite: every adapter of `VectorIndexV1` (usearch, pgvector) must
 * give exact answers on small data and high recall on random data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { VectorIndexV1 } from '../../src/spec/vector-index.js';

export interface VectorIndexFixture {
  index: VectorIndexV1;
  dispose: () => Promise<void>;
}

function normalise(values: number[]): Float32Array {
  const norm = Math.hypot(...values) || 1;
  return Float32Array.from(values.map((value) => value / norm));
}

/** Deterministic pseudo-random unit vectors (mulberry32). */
export function randomVectors(count: number, dimensions: number, seed = 7): Float32Array[] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => normalise(Array.from({ length: dimensions }, next)));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

export function runVectorIndexSuite(
  name: string,
  makeIndex: (dimensions: number) => Promise<VectorIndexFixture>,
): void {
  describe(`vector index conformance: ${name}`, () => {
    let fixture: VectorIndexFixture | undefined;
    const open = async (dimensions: number) => {
      fixture = await makeIndex(dimensions);
      return fixture.index;
    };
    afterEach(async () => {
      await fixture?.dispose();
      fixture = undefined;
    });

    it('reports the port version, dimensions and metric', async () => {
      const index = await open(4);
      expect(index.specificationVersion).toBe('v1');
      expect(index.dimensions).toBe(4);
      expect(index.metric).toBe('cosine');
      expect(await index.count()).toBe(0);
      expect(await index.search(normalise([1, 0, 0, 0]), { topK: 3 })).toEqual([]);
    });

    it('finds exact nearest neighbours by cosine similarity on small data', async () => {
      const index = await open(4);
      await index.add([
        { id: 'east', vector: normalise([1, 0, 0, 0]) },
        { id: 'north', vector: normalise([0, 1, 0, 0]) },
        { id: 'north-east', vector: normalise([1, 1, 0, 0]) },
        { id: 'up', vector: normalise([0, 0, 1, 0]) },
      ]);
      expect(await index.count()).toBe(4);
      const hits = await index.search(normalise([1, 0.2, 0, 0]), { topK: 3 });
      expect(hits.map((hit) => hit.id)).toEqual(['east', 'north-east', 'north']);
      expect(hits[0]!.score).toBeCloseTo(cosine(normalise([1, 0.2, 0, 0]), normalise([1, 0, 0, 0])), 2);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
    });

    it('replaces a vector added again under the same id, and removes by id', async () => {
      const index = await open(3);
      await index.add([
        { id: 'a', vector: normalise([1, 0, 0]) },
        { id: 'b', vector: normalise([0, 1, 0]) },
      ]);
      await index.add([{ id: 'a', vector: normalise([0, 0, 1]) }]);
      expect(await index.count()).toBe(2);
      expect((await index.search(normalise([0, 0, 1]), { topK: 1 }))[0]!.id).toBe('a');
      expect((await index.search(normalise([1, 0, 0]), { topK: 2 })).map((hit) => hit.id)).not.toContain(
        undefined,
      );
      expect(await index.remove(['a', 'missing'])).toBe(1);
      expect(await index.count()).toBe(1);
      expect((await index.search(normalise([0, 0, 1]), { topK: 5 })).map((hit) => hit.id)).toEqual(['b']);
    });

    it('filters by an id set and by a minimum score', async () => {
      const index = await open(8);
      const vectors = randomVectors(200, 8, 11);
      await index.add(vectors.map((vector, i) => ({ id: `v${i}`, vector })));
      const allowed = new Set(['v3', 'v50', 'v199']);
      const hits = await index.search(vectors[0]!, { topK: 10, ids: allowed });
      expect(hits.map((hit) => hit.id).sort()).toEqual(['v199', 'v3', 'v50']);
      const expected = [...allowed].sort(
        (a, b) =>
          cosine(vectors[Number(b.slice(1))]!, vectors[0]!) -
          cosine(vectors[Number(a.slice(1))]!, vectors[0]!),
      );
      expect(hits.map((hit) => hit.id)).toEqual(expected);
      expect(await index.search(vectors[0]!, { topK: 10, ids: new Set() })).toEqual([]);
      const strict = await index.search(vectors[5]!, { topK: 10, minScore: 0.99 });
      expect(strict.map((hit) => hit.id)).toEqual(['v5']);
    });

    it('rejects vectors of the wrong length', async () => {
      const index = await open(4);
      await expect(index.add([{ id: 'x', vector: new Float32Array(3) }])).rejects.toMatchObject({
        code: 'invalid_request',
      });
      await expect(index.search(new Float32Array(5), { topK: 1 })).rejects.toMatchObject({
        code: 'invalid_request',
      });
    });

    it('reaches recall@10 ≥ 0.9 against brute force on random data', async () => {
      const index = await open(32);
      const vectors = randomVectors(1500, 32, 3);
      await index.add(vectors.map((vector, i) => ({ id: String(i), vector })));
      const queries = randomVectors(25, 32, 99);
      let found = 0;
      for (const query of queries) {
        const truth = vectors
          .map((vector, i) => ({ id: String(i), score: cosine(vector, query) }))
          .sort((a, b) => b.score - a.score)
          .slice(0, 10)
          .map((hit) => hit.id);
        const hits = await index.search(query, { topK: 10 });
        found += hits.filter((hit) => truth.includes(hit.id)).length;
      }
      expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.9);
    });
  });
}
