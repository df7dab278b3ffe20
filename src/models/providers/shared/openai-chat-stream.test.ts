import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../../../spec/language-model.js';
import { OpenAIStreamDecoder } from './openai-chat-stream.js';
import type { SseEvent } from './sse-parser.js';

const context = { provider: 'p', displayURL: 'http://h', secrets: [] };
const message = (data: unknown): SseEvent => ({
  event: 'message',
  data: typeof data === 'string' ? data : JSON.stringify(data),
});

function decode(events: SseEvent[], endpoint: 'chat' | 'completion' = 'chat') {
  const decoder = new OpenAIStreamDecoder(endpoint, context, 'm', undefined);
  const parts: StreamPart[] = [];
  let complete = false;
  for (const event of events) {
    complete = decoder.next(event, parts);
    if (complete) break;
  }
  decoder.finish(parts, complete);
  return parts;
}

describe('OpenAIStreamDecoder', () => {
  it('assembles tool calls from fragments and emits them before the finish', () => {
    const parts = decode([
      message({ choices: [{ index: 0, delta: { role: 'assistant', content: '' } }] }),
      message({
        choices: [
          {
            delta: { tool_calls: [{ index: 0, id: 'c1', function: { name: 'weather', arguments: '{"ci' } }] },
          },
        ],
      }),
      message({
        choices: [
          { delta: { tool_calls: [{ index: 0, function: { name: 'weather', arguments: 'ty":"Seoul"}' } }] } },
        ],
      }),
      message({
        choices: [
          { delta: { tool_calls: [{ index: 1, id: 'c2', function: { name: 'time', arguments: '{}' } }] } },
        ],
      }),
      message({ choices: [{ delta: {}, finish_reason: 'tool_calls' }] }),
      message({ choices: [], usage: { prompt_tokens: 7, completion_tokens: 12 } }),
      message('[DONE]'),
    ]);
    expect(parts).toEqual([
      { type: 'tool-call', toolCall: { id: 'c1', name: 'weather', arguments: '{"city":"Seoul"}' } },
      { type: 'tool-call', toolCall: { id: 'c2', name: 'time', arguments: '{}' } },
      { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 7, outputTokens: 12 } },
    ]);
  });

  it('counts deltas as output tokens when the server sends no usage, and accepts a missing [DONE]', () => {
    const parts = decode(
      [
        message({ choices: [{ text: 'a' }] }),
        message({ choices: [{ text: ' b' }] }),
        message({ choices: [{ text: '', finish_reason: 'length' }] }),
      ],
      'completion',
    );
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'max_tokens',
      usage: { inputTokens: 0, outputTokens: 2 },
    });
  });

  it('ignores events other than messages, and turns error events and error chunks into errors', () => {
    expect(
      decode([
        message({ choices: [{ delta: { content: 'x' }, finish_reason: 'stop' }] }),
        { event: 'close', data: 'bye' },
      ]).at(-1),
    ).toMatchObject({
      type: 'finish',
    });
    expect(() =>
      decode([{ event: 'error', data: '{"errors":[{"code":"x","message":"boom"}],"status_code":500}' }]),
    ).toThrow(/boom/);
    expect(() => decode([message({ error: { message: 'overloaded', type: 'server_error' } })])).toThrow(
      /overloaded/,
    );
  });

  it('refuses a stream that ends before any finish', () => {
    expect(() => decode([message({ choices: [{ delta: { content: 'x' } }] })])).toThrow(
      /before the answer was complete/,
    );
  });
});
