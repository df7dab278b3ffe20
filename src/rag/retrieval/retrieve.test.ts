import { describe, expect, it } from 'vitest';
import { HashingEmbeddingModel } from '../../models/providers/hashing/index.js';
import type { RerankModelV1 } from '../../spec/rerank-model.js';
import { createUsearchIndex } from '../vector/usearch-vector-index.js';
import { fuse } from './fusion.js';
import { MemoryCollection } from './memory-collection.js';

async function collection() {
  const embedder = new HashingEmbeddingModel({ dimensions: 256 });
  const result = new MemoryCollection({
    embedder,
    vector: createUsearchIndex({ dimensions: 256, quantization: 'f32' }),
  });
  await result.upsertDocument(
    'guide',
    [
      { text: '1장. 설치 방법을 설명한다.' },
      { text: '보증 기간은 구매일로부터 2년이다.' },
      { text: '보증 기간이 지나면 유상 수리를 받는다.' },
      { text: '부록: 고객센터 연락처.' },
    ],
    { lang: 'ko', kind: 'manual' },
  );
  await result.upsertDocument(
    'faq',
    [{ text: 'The warranty lasts two years from purchase.' }, { text: 'Shipping takes five days.' }],
    {
      lang: 'en',
    },
  );
  return result;
}

describe('retrieve', () => {
  it('answers in keyword, vector and hybrid modes with per-side scores', async () => {
    const rag = await collection();
    for (const mode of ['keyword', 'vector', 'hybrid'] as const) {
      const result = await rag.retrieve({ query: '보증 기간은 얼마인가?', mode, topK: 2 });
      expect(result.mode).toBe(mode);
      expect(result.hits[0]!.chunk.id).toBe('guide#1');
      expect(result.hits.length).toBeLessThanOrEqual(2);
    }
    const hybrid = await rag.retrieve({ query: '보증 기간', mode: 'hybrid' });
    expect(hybrid.hits[0]!.scores).toMatchObject({
      keyword: expect.any(Number),
      vector: expect.any(Number),
      fused: expect.any(Number),
    });
    expect(hybrid.hits[0]!.ranks.keyword).toBe(1);
    const rrf = await rag.retrieve({
      query: 'warranty years',
      mode: 'hybrid',
      fusion: { method: 'rrf', k: 60 },
    });
    expect(rrf.hits[0]!.chunk.id).toBe('faq#0');
    expect(rrf.hits[0]!.score).toBeCloseTo(2 / 61, 5);
  });

  it('warns when the keyword side finds nothing but the vector side does', async () => {
    const rag = await collection();
    const result = await rag.retrieve({ query: 'warranties', mode: 'hybrid' });
    expect(result.warnings).toEqual([]);
    const nothing = await rag.retrieve({ query: 'xqzv wrnty', mode: 'hybrid' });
    expect(nothing.warnings.map((warning) => warning.code)).toEqual(['keyword_no_match']);
    expect(nothing.hits.length).toBeGreaterThan(0);
  });

  it('filters by metadata on both sides, applies a score threshold and expands windows', async () => {
    const rag = await collection();
    const english = await rag.retrieve({ query: 'warranty 보증', mode: 'hybrid', filter: { lang: 'en' } });
    expect(english.hits.every((hit) => hit.chunk.metadata?.lang === 'en')).toBe(true);
    const vectorOnly = await rag.retrieve({
      query: '보증',
      mode: 'vector',
      filter: { lang: { $in: ['en'] } },
    });
    expect(vectorOnly.hits.every((hit) => hit.chunk.documentId === 'faq')).toBe(true);
    const strict = await rag.retrieve({ query: '보증 기간', mode: 'vector', minScore: 0.99 });
    expect(strict.hits).toEqual([]);
    const windowed = await rag.retrieve({ query: '구매일로부터 2년', mode: 'keyword', topK: 1, window: 1 });
    expect(windowed.hits[0]!.window!.map((chunk) => chunk.id)).toEqual(['guide#0', 'guide#1', 'guide#2']);
  });

  it('reranks candidates with a rerank model', async () => {
    const rag = await collection();
    const calls: string[][] = [];
    const firstStage: (number[] | undefined)[] = [];
    const reranker: RerankModelV1 = {
      specificationVersion: 'v1',
      provider: 'test',
      modelId: 'shortest-first',
      async doRerank({ documents, topN, firstStageScores }) {
        calls.push(documents);
        firstStage.push(firstStageScores);
        const results = documents
          .map((document, index) => ({ index, score: 1 / document.length }))
          .sort((a, b) => b.score - a.score)
          .slice(0, topN);
        return { results, usage: { inputTokens: 0 } };
      },
    };
    const result = await rag.retrieve({
      query: '보증 기간',
      mode: 'keyword',
      topK: 1,
      rerank: { model: reranker, candidates: 3 },
    });
    expect(calls[0]!.length).toBeGreaterThan(1);
    expect(result.hits).toHaveLength(1);
    expect(result.hits[0]!.scores.rerank).toBe(result.hits[0]!.score);
    // The reranker is given the first stage's BM25 scores, one per candidate, best first.
    const keyword = await rag.retrieve({ query: '보증 기간', mode: 'keyword', topK: 3 });
    expect(firstStage[0]).toEqual(keyword.hits.map((hit) => hit.score));
    expect(result.hits[0]!.scores.keyword).toBeGreaterThan(0);
  });

  it('rejects over-long queries, bad top_k and malformed filters with invalid_request', async () => {
    const rag = await collection();
    await expect(rag.retrieve({ query: 'a'.repeat(100_000) })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    await expect(rag.retrieve({ query: 'x', topK: 0 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(
      rag.retrieve({ query: 'x', filter: { lang: { $regex: 'a' } } as never }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });

  it('replaces and removes documents everywhere', async () => {
    const rag = await collection();
    await rag.upsertDocument('guide', [{ text: '새 버전의 안내서' }]);
    expect(rag.chunks.size).toBe(3);
    expect(
      (await rag.retrieve({ query: '보증 기간', mode: 'keyword' })).hits.every(
        (hit) => hit.chunk.documentId === 'faq',
      ),
    ).toBe(true);
    expect(await rag.removeDocument('faq')).toBe(2);
    expect(await rag.vector.count()).toBe(1);
    expect(rag.lexical.size).toBe(1);
  });
});

describe('fuse', () => {
  it('combines ranks with RRF and normalised scores with weights', () => {
    const keyword = [
      { id: 'a', score: 10 },
      { id: 'b', score: 5 },
    ];
    const vector = [
      { id: 'b', score: 0.9 },
      { id: 'c', score: 0.1 },
    ];
    expect(fuse(keyword, vector, { method: 'rrf' }).map((hit) => hit.id)).toEqual(['b', 'a', 'c']);
    const weighted = fuse(keyword, vector, { method: 'weighted', vectorWeight: 0.5 });
    expect(weighted[0]).toMatchObject({ id: 'a', score: 0.5, keywordRank: 1 });
    expect(weighted.find((hit) => hit.id === 'b')).toMatchObject({
      score: 0.5,
      keywordRank: 2,
      vectorRank: 1,
    });
  });
});
