import { describe, expect, it } from 'vitest';
import { NdjsonParser, parseNdjson } from './ndjson-parser.js';

function feed(chunks: string[]): unknown[] {
  const parser = new NdjsonParser();
  return [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
}

describe('NdjsonParser', () => {
  const text = '{"message":{"content":"한"},"done":false}\r\n\n{"done":true,"eval_count":3}\n';
  const expected = [
    { message: { content: '한' }, done: false },
    { done: true, eval_count: 3 },
  ];

  it('parses one value per line, tolerating CRLF and blank lines', () => {
    expect(feed([text])).toEqual(expected);
  });

  it('gives the same values however the text is split', () => {
    for (let cut = 1; cut < text.length; cut++)
      expect(feed([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    expect(feed([...text])).toEqual(expected);
  });

  it('parses a last line without a newline', () => {
    expect(feed(['{"a":1}\n{"b":2}'])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('throws a SyntaxError naming a malformed line', () => {
    expect(() => feed(['{"a":1}\nnot json\n'])).toThrow(/Malformed NDJSON line: not json/);
  });

  it('reads an async stream of chunks', async () => {
    async function* chunks() {
      yield '{"a"';
      yield ':1}\n{"b":2}\n';
    }
    const values: unknown[] = [];
    for await (const value of parseNdjson(chunks())) values.push(value);
    expect(values).toEqual([{ a: 1 }, { b: 2 }]);
  });
});
