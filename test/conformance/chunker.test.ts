import { describe, expect, it } from 'vitest';
import { createProvidedChunker, getChunker } from '../../src/rag/chunking/chunkers.js';
import { splitSentences } from '../../src/rag/chunking/sentences.js';
import { csvToDocument } from '../../src/rag/loading/structured-loaders.js';
import { runChunkerSuite, sampleDocument } from './chunker.suite.js';

for (const name of ['fixed', 'recursive', 'sentence', 'markdown', 'records'])
  runChunkerSuite(name, () => getChunker(name));

describe('strategy specifics', () => {
  it('splits Korean and English sentences', () => {
    const text =
      '서울에 갔다. 비가 왔어요! 왜 그랬을까? 그렇죠\n다음 줄이다 Dr. Kim paid 3.14 dollars. Done.';
    const sentences = splitSentences(text).map((span) => text.slice(span.start, span.end));
    expect(sentences).toEqual([
      '서울에 갔다.',
      '비가 왔어요!',
      '왜 그랬을까?',
      '그렇죠',
      '다음 줄이다 Dr. Kim paid 3.14 dollars.',
      'Done.',
    ]);
  });

  it('sentence chunks end at sentence boundaries', () => {
    const chunks = getChunker('sentence').chunk(sampleDocument, { size: 60 });
    const prose = chunks.filter((chunk) => chunk.kind === 'text' && chunk.text.includes('보증'));
    expect(prose[0]!.text.endsWith('.') || prose[0]!.text.endsWith('!') || prose[0]!.text.endsWith('?')).toBe(
      true,
    );
  });

  it('markdown chunks carry their heading path and do not cross headings', () => {
    const chunks = getChunker('markdown').chunk(sampleDocument, { size: 500 });
    const english = chunks.find((chunk) => chunk.text.includes('Dr. Kim'))!;
    expect(english.headingPath).toEqual(['제품 안내', 'English section']);
    expect(
      chunks.every(
        (chunk) =>
          chunk.kind === 'table' || !chunk.text.includes('## 가격표') || chunk.text.startsWith('## 가격표'),
      ),
    ).toBe(true);
  });

  it('overlaps consecutive fixed chunks', () => {
    const document = {
      ...sampleDocument,
      text: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' '),
      pages: [],
    };
    const chunks = getChunker('fixed').chunk(document, { size: 50, overlap: 12 });
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.start).toBeLessThan(chunks[i - 1]!.end);
  });

  it('makes one chunk per CSV row, each with the header', () => {
    const document = csvToDocument('name,city\n김철수,서울\nJane,"Paris, France"\n');
    const chunks = getChunker('records').chunk(document, { size: 500 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      '| name | city |\n| --- | --- |\n| 김철수 | 서울 |',
      '| name | city |\n| --- | --- |\n| Jane | Paris, France |',
    ]);
    expect(
      chunks.every(
        (chunk) =>
          chunk.kind === 'record' &&
          document.text.slice(chunk.start, chunk.end) === chunk.text.split('\n')[2],
      ),
    ).toBe(true);
  });

  it('locates bring-your-own chunks in the document', () => {
    const chunks = createProvidedChunker([
      { text: '보증 기간은 2년이에요!' },
      { text: 'not in the document' },
    ]).chunk(sampleDocument, { size: 1 });
    expect(sampleDocument.text.slice(chunks[0]!.start, chunks[0]!.end)).toBe('보증 기간은 2년이에요!');
    expect(chunks[0]!.pages).toEqual([1]);
    expect(chunks[1]!.derived).toBe(true);
  });

  it('refuses unknown strategies', () => {
    expect(() => getChunker('magic')).toThrow(/Unknown chunking strategy/);
  });
});
