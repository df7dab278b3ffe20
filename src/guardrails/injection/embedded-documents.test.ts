import { describe, expect, it } from 'vitest';
import { embeddedDocuments } from './embedded-documents.js';

const regions = (text: string) => embeddedDocuments(text).map(({ start, end }) => text.slice(start, end));

describe('embedded documents', () => {
  it('finds triple-quoted blocks and document tags', () => {
    expect(regions('Summarise:\n"""\nbody one\n"""\nand \'\'\'two\'\'\'')).toEqual(['\nbody one\n', 'two']);
    expect(regions('<document id="7">A</document> then <CONTEXT>B</context> <email>C</email>')).toEqual([
      'A',
      'B',
      'C',
    ]);
    expect(regions('<문서>본문</문서>')).toEqual(['본문']);
  });

  it('runs an unclosed block to the end, and finds nothing in plain prompts', () => {
    expect(regions('Read this: """ never closed')).toEqual([' never closed']);
    expect(regions('<document>open')).toEqual(['open']);
    expect(regions('Is 3 < 4? Use <b>bold</b>.')).toEqual([]);
    expect(regions('서울의 인구는?')).toEqual([]);
  });
});
