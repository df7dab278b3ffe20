import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse-parser.js';

function feed(chunks: string[]): SseEvent[] {
  const parser = new SseParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
}

describe('SseParser', () => {
  it('parses OpenAI-style data events and [DONE]', () => {
    expect(feed(['data: {"a":1}\n\ndata: [DONE]\n\n'])).toEqual([
      { event: 'message', data: '{"a":1}' },
      { event: 'message', data: '[DONE]' },
    ]);
  });

  it('parses watsonx-style id, event and data lines', () => {
    expect(
      feed(['id: 1\nevent: message\ndata: {"results":[]}\n\nid: 2\nevent: error\ndata: {"errors":[]}\n\n']),
    ).toEqual([
      { event: 'message', data: '{"results":[]}', id: '1' },
      { event: 'error', data: '{"errors":[]}', id: '2' },
    ]);
  });

  it('gives the same events however the bytes are split', () => {
    const text =
      'id: 7\r\nevent: message\r\ndata: {"x":"ä"}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\n\n';
    const whole = feed([text]);
    expect(whole).toEqual([
      { event: 'message', data: '{"x":"ä"}', id: '7' },
      { event: 'message', data: 'line one\nline two', id: '7' },
    ]);
    for (let cut = 1; cut < text.length; cut++) {
      expect(feed([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    }
    expect(feed([...text])).toEqual(whole);
  });

  it('treats a CR split from its LF across chunks as one line break', () => {
    expect(feed(['data: a\r', '\ndata: b\r', '\n\r', '\n'])).toEqual([{ event: 'message', data: 'a\nb' }]);
  });

  it('accepts bare CR line endings', () => {
    expect(feed(['data: a\r\rdata: b\r\r'])).toEqual([
      { event: 'message', data: 'a' },
      { event: 'message', data: 'b' },
    ]);
  });

  it('ignores comments, unknown fields and retry, and keeps a value without the space', () => {
    expect(feed([': ping\nretry: 3000\nfoo: bar\ndata:tight\n\n'])).toEqual([
      { event: 'message', data: 'tight' },
    ]);
  });

  it('does not dispatch events without data, and resets the event name', () => {
    expect(feed(['event: ping\n\ndata: x\n\n'])).toEqual([{ event: 'message', data: 'x' }]);
  });

  it('dispatches a last event that lacks its blank line', () => {
    expect(feed(['data: {"done":true}'])).toEqual([{ event: 'message', data: '{"done":true}' }]);
  });

  it('dispatches an event whose blank line comes in the next chunk', () => {
    const parser = new SseParser();
    expect(parser.push('data: 1\n')).toEqual([]);
    expect(parser.push('\ndata: 2\n\n').map((event) => event.data)).toEqual(['1', '2']);
    expect(parser.end()).toEqual([]);
  });
});
