/**
 * The chunker conformance suite: every strategy keeps exact offsets, pages and heading paths,
 * stays within its size, and keeps tables whole or repeats their header when it must split them.
 */
import { describe, expect, it } from 'vitest';
import type { ChunkerV1 } from '../../src/spec/chunker.js';
import type { LoadedDocument } from '../../src/spec/loader.js';

const table = [
  '| 제품 | 가격 | 재고 |',
  '| --- | --- | --- |',
  ...Array.from({ length: 12 }, (_, i) => `| 상품${i} | ${1000 * i} | ${i} |`),
].join('\n');

export const sampleDocument: LoadedDocument = (() => {
  const text = [
    '# 제품 안내',
    '',
    '이 문서는 제품을 설명한다. 보증 기간은 2년이에요! 수리는 어떻게 받나요? 고객센터에 문의하면 됩니다.',
    '',
    '## 가격표',
    '',
    table,
    '',
    '## English section',
    '',
    'Dr. Kim wrote this part. It costs 3.14 dollars. Is that cheap? Yes it is.',
  ].join('\n');
  const middle = text.indexOf('## 가격표');
  return {
    text,
    mediaType: 'text/markdown',
    metadata: {},
    warnings: [],
    pages: [
      { page: 1, start: 0, end: middle },
      { page: 2, start: middle, end: text.length },
    ],
  };
})();

export function runChunkerSuite(name: string, makeChunker: () => ChunkerV1): void {
  describe(`chunker conformance: ${name}`, () => {
    const chunker = makeChunker();
    for (const size of [60, 200, 2000]) {
      it(`keeps exact spans, pages and order at size ${size}`, () => {
        const chunks = chunker.chunk(sampleDocument, { size, overlap: Math.floor(size / 10) });
        expect(chunks.length).toBeGreaterThan(0);
        chunks.forEach((chunk, i) => {
          expect(chunk.index).toBe(i);
          if (!chunk.derived) expect(sampleDocument.text.slice(chunk.start, chunk.end)).toBe(chunk.text);
          expect(chunk.end).toBeGreaterThan(chunk.start);
          expect(chunk.pages?.length).toBeGreaterThan(0);
          if (chunk.kind === 'text') expect(chunk.text.length).toBeLessThanOrEqual(size);
        });
        expect(chunks.map((chunk) => chunk.start)).toEqual(
          [...chunks.map((chunk) => chunk.start)].sort((a, b) => a - b),
        );
      });
    }

    it('keeps a table whole when it fits and repeats its header row when split', () => {
      const whole = chunker.chunk(sampleDocument, { size: 2000 }).filter((chunk) => chunk.kind === 'table');
      expect(whole).toHaveLength(1);
      expect(whole[0]!.text).toBe(table);
      expect(whole[0]!.headingPath).toEqual(['제품 안내', '가격표']);
      const parts = chunker.chunk(sampleDocument, { size: 90 }).filter((chunk) => chunk.kind === 'table');
      expect(parts.length).toBeGreaterThan(2);
      for (const part of parts) {
        expect(part.text.startsWith('| 제품 | 가격 | 재고 |\n| --- | --- | --- |')).toBe(true);
        expect(part.text.length).toBeLessThanOrEqual(90);
      }
      expect(parts.slice(1).every((part) => part.derived)).toBe(true);
      const rows = parts.flatMap((part) => part.text.split('\n').slice(2));
      expect(rows).toEqual(table.split('\n').slice(2));
      for (const part of parts.slice(1))
        expect(part.text.endsWith(sampleDocument.text.slice(part.start, part.end))).toBe(true);
    });

    it('measures in tokens when asked', () => {
      const chunks = chunker.chunk(sampleDocument, {
        size: 30,
        unit: 'tokens',
        countTokens: (text) => text.split(/\s+/).length,
      });
      for (const chunk of chunks.filter((c) => c.kind === 'text'))
        expect(chunk.text.split(/\s+/).length).toBeLessThanOrEqual(30);
    });

    it('rejects a size of zero or an overlap as large as the size', () => {
      expect(() => chunker.chunk(sampleDocument, { size: 0 })).toThrow(/size/);
      expect(() => chunker.chunk(sampleDocument, { size: 10, overlap: 10 })).toThrow(/overlap/);
    });
  });
}
