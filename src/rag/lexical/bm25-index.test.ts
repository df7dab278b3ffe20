import { describe, expect, it } from 'vitest';
import { createEnglishAnalyzer } from '../analysis/analyzers.js';
import { Bm25Index } from './bm25-index.js';
import { readBm25Meta } from './bm25-serialization.js';

const documents = [
  { id: 'seoul', text: '서울은 대한민국의 수도이며 가장 큰 도시이다.', metadata: { lang: 'ko', year: 2020 } },
  {
    id: 'busan',
    text: '부산은 대한민국 제2의 도시이자 최대의 항구 도시이다.',
    metadata: { lang: 'ko', year: 2021 },
  },
  {
    id: 'paris',
    text: 'Paris is the capital and largest city of France.',
    metadata: { lang: 'en', year: 2019 },
  },
  {
    id: 'lyon',
    text: 'Lyon is a city in France known for its cuisine.',
    metadata: { lang: 'en', year: 2022 },
  },
];

describe('Bm25Index', () => {
  it('ranks the matching document first, in Korean and English', () => {
    const index = new Bm25Index();
    index.add(documents);
    expect(index.size).toBe(4);
    expect(index.search('대한민국의 수도는?')[0]!.id).toBe('seoul');
    expect(index.search('항구 도시')[0]!.id).toBe('busan');
    expect(index.search('capital of France')[0]!.id).toBe('paris');
    expect(index.search('cuisines')[0]!.id).toBe('lyon');
    expect(index.search('zzz unknown')).toEqual([]);
    expect(index.languageOf('seoul')).toBe('ko');
    expect(index.languageOf('paris')).toBe('en');
  });

  it('filters by metadata and by id set, and honours topK and minScore', () => {
    const index = new Bm25Index();
    index.add(documents);
    expect(
      index.search('city', { filter: { lang: 'en', year: { $gte: 2020 } } }).map((hit) => hit.id),
    ).toEqual(['lyon']);
    expect(index.search('도시', { ids: new Set(['busan']) }).map((hit) => hit.id)).toEqual(['busan']);
    expect(index.search('city France', { topK: 1 })).toHaveLength(1);
    expect(index.search('city France', { minScore: 1e9 })).toEqual([]);
  });

  it('replaces a document added again and removes documents, before and after merging', () => {
    const index = new Bm25Index();
    index.add(documents);
    index.add([{ id: 'paris', text: 'Paris is also a city in Texas.' }]);
    expect(index.size).toBe(4);
    expect(index.search('Texas').map((hit) => hit.id)).toEqual(['paris']);
    expect(index.search('capital France').map((hit) => hit.id)).not.toContain('paris');
    expect(index.remove(['lyon', 'nope'])).toBe(1);
    expect(index.has('lyon')).toBe(false);
    expect(index.search('cuisine')).toEqual([]);
    index.optimize();
    expect(index.search('Texas').map((hit) => hit.id)).toEqual(['paris']);
    expect(index.search('서울 수도')[0]!.id).toBe('seoul');
  });

  it('weights a title field above the body', () => {
    const index = new Bm25Index({ fieldWeights: { title: 3 } });
    index.add([
      { id: 'a', text: 'notes about rivers and lakes', fields: { title: 'Geography' } },
      { id: 'b', text: 'geography notes about rivers', fields: { title: 'Misc' } },
      { id: 'c', text: 'geography', fields: { title: 'Geography of Korea' } },
    ]);
    expect(index.search('geography')[0]!.id).toBe('c');
  });

  it('round-trips through its binary snapshot with the same results and metadata', () => {
    const index = new Bm25Index();
    index.add(documents);
    index.remove(['busan']);
    index.add([{ id: 'late', text: '늦게 추가된 문서입니다', metadata: { lang: 'ko', year: 2024 } }]);
    const bytes = index.serialize({ source: { count: 4, checksum: 'abc' } });
    expect(readBm25Meta(bytes)).toEqual({ source: { count: 4, checksum: 'abc' } });
    const restored = Bm25Index.deserialize(bytes);
    expect(restored.size).toBe(4);
    for (const query of ['대한민국 수도', 'France city', '추가된 문서', '항구']) {
      expect(restored.search(query)).toEqual(index.search(query));
    }
    expect(restored.search('문서', { filter: { year: 2024 } }).map((hit) => hit.id)).toEqual(['late']);
    restored.add([{ id: 'more', text: 'Marseille is a port city in France.' }]);
    expect(restored.search('port city')[0]!.id).toBe('more');
  });

  it('refuses corrupt snapshots and snapshots of another analyser', () => {
    const index = new Bm25Index();
    index.add(documents);
    const bytes = index.serialize();
    expect(() => Bm25Index.deserialize(bytes.subarray(0, 40))).toThrow(/unreadable|truncated/);
    expect(() => Bm25Index.deserialize(new TextEncoder().encode('not an index'))).toThrow(
      /not a Keel BM25 snapshot/,
    );
    expect(() => Bm25Index.deserialize(bytes, { analyzer: createEnglishAnalyzer() })).toThrow(/analyser/);
  });

  it('merges large batches into one segment and still answers', () => {
    const index = new Bm25Index();
    const many = Array.from({ length: 3000 }, (_, i) => ({
      id: `d${i}`,
      text: `document number ${i} about topic${i % 50}`,
    }));
    index.add(many);
    index.remove(many.slice(0, 1500).map((doc) => doc.id));
    expect(index.size).toBe(1500);
    const hits = index.search('topic7', { topK: 100 });
    expect(hits.length).toBe(30);
    expect(hits.every((hit) => Number(hit.id.slice(1)) >= 1500)).toBe(true);
  });
});
