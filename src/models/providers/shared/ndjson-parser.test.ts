import { describe, expect, it } from 'vitest';
import { NdjsonParser } from './ndjson-parser.js';

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

  it('holds a value split across chunks until its line is whole', () => {
    const parser = new NdjsonParser();
    expect(parser.push('{"a"')).toEqual([]);
    expect(parser.push(':1}\n{"b":2}\n')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(parser.end()).toEqual([]);
  });
});
