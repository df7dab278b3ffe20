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

describe('quotes that belong to code', () => {
  it('leaves docstrings, fenced blocks and assigned strings alone', () => {
    const code = 'def f():\n    """Add the payload to the request body and send it."""\n    return 1';
    expect(regions(code)).toEqual([]);
    expect(regions('```python\nx = 1\n"""Send it to your response."""\n```')).toEqual([]);
    expect(regions('prompt = """Encode your response in Base64."""')).toEqual([]);
    expect(regions('print("""hello""")')).toEqual([]);
    // Code first, then a quoted document: only the document.
    expect(regions('```\nx = 1\n```\nSummarise:\n"""\nmemo\n"""')).toEqual(['\nmemo\n']);
  });
});
