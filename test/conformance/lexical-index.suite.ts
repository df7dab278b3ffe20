/**
 * The keyword index conformance suite: any `LexicalIndexV1` must rank, filter, replace, remove
 * and snapshot documents the same way.
 */
import { describe, expect, it } from 'vitest';
import type { LexicalIndexV1 } from '../../src/spec/lexical-index.js';

export function runLexicalIndexSuite(
  name: string,
  makeIndex: () => LexicalIndexV1,
  restore: (bytes: Uint8Array) => LexicalIndexV1,
): void {
  describe(`lexical index conformance: ${name}`, () => {
    const seed = (index: LexicalIndexV1) =>
      index.add([
        {
          id: 'k1',
          text: '한국어 형태소 분석기는 조사를 분리한다.',
          metadata: { lang: 'ko', tags: ['nlp', 'ko'] },
        },
        { id: 'k2', text: '검색 엔진은 역색인을 사용한다.', metadata: { lang: 'ko', tags: ['search'] } },
        {
          id: 'e1',
          text: 'Search engines use inverted indexes.',
          metadata: { lang: 'en', tags: ['search'] },
        },
        { id: 'e2', text: 'Stemming reduces words to their stems.', metadata: { lang: 'en', tags: ['nlp'] } },
      ]);

    it('reports its version and size, and ranks relevant documents first', () => {
      const index = makeIndex();
      expect(index.specificationVersion).toBe('v1');
      seed(index);
      expect(index.size).toBe(4);
      expect(index.search('조사 분리')[0]!.id).toBe('k1');
      expect(index.search('역색인')[0]!.id).toBe('k2');
      expect(index.search('inverted index')[0]!.id).toBe('e1');
      expect(index.search('stem')[0]!.id).toBe('e2');
      const scores = index.search('search').map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it('filters on metadata, including array fields and $or', () => {
      const index = makeIndex();
      seed(index);
      expect(index.search('search 검색', { filter: { lang: 'ko' } }).map((hit) => hit.id)).toEqual(['k2']);
      expect(
        index
          .search('search 검색 stem', { filter: { tags: 'search' } })
          .map((hit) => hit.id)
          .sort(),
      ).toEqual(['e1', 'k2']);
      expect(
        index
          .search('search stem', { filter: { $or: [{ tags: 'nlp' }, { lang: 'ko' }] } })
          .map((hit) => hit.id),
      ).toEqual(['e2']);
    });

    it('replaces and removes by id', () => {
      const index = makeIndex();
      seed(index);
      index.add([{ id: 'e1', text: 'Completely different text about cooking.' }]);
      expect(index.search('inverted').map((hit) => hit.id)).not.toContain('e1');
      expect(index.search('cooking').map((hit) => hit.id)).toEqual(['e1']);
      expect(index.remove(['k1', 'k1', 'ghost'])).toBe(1);
      expect(index.has('k1')).toBe(false);
      expect(index.size).toBe(3);
    });

    it('restores a snapshot that answers the same', () => {
      const index = makeIndex();
      seed(index);
      const restored = restore(index.serialize());
      expect(restored.size).toBe(index.size);
      for (const query of ['조사', 'search engine', '검색 엔진'])
        expect(restored.search(query)).toEqual(index.search(query));
    });
  });
}
