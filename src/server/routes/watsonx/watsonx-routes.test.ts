import type { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import type { TestKeel } from '../../../testing/test-keel.js';
import { startWatsonxTestKeel, type WatsonxTestKeel } from '../../../testing/watsonx-sdk.js';

let keel: TestKeel;
let wx: WatsonxTestKeel;
let watsonx: WatsonXAI;
let projectId: string;

beforeAll(async () => {
  wx = await startWatsonxTestKeel({
    providers: [createEchoProvider(), createEchoProvider({ name: 'slow', delayMs: 40 })],
  });
  ({ keel, projectId } = wx);
  watsonx = wx.sdk();
});
afterAll(() => wx?.close());

describe('watsonx.ai-compatible API through the official @ibm-cloud/watsonx-ai SDK', () => {
  it('generates text with watsonx parameters', async () => {
    const response = await watsonx.generateText({
      input: 'first second third fourth',
      modelId: 'echo:reverse',
      projectId,
      parameters: { max_new_tokens: 3, decoding_method: 'greedy', return_options: { input_text: true } },
    });
    const result = response.result.results[0]!;
    expect(result.generated_text).toBe('fourth third second');
    expect(result.stop_reason).toBe('max_tokens');
    expect(result.generated_token_count).toBe(3);
    expect(result.input_token_count).toBe(4);
    expect((result as { input_text?: string }).input_text).toBe('first second third fourth');
  });

  it('streams text as SSE results', async () => {
    const stream = await watsonx.generateTextStream({
      input: '가 나 다',
      modelId: 'echo:reverse',
      projectId,
      returnObject: true,
    });
    let text = '';
    let stopReason = '';
    for await (const chunk of stream) {
      const result = (chunk as { data: { results: { generated_text: string; stop_reason: string }[] } }).data
        .results[0]!;
      text += result.generated_text;
      stopReason = result.stop_reason;
    }
    expect(text).toBe('다 나 가');
    expect(stopReason).toBe('eos_token');
  });

  it('honours stop sequences and include_stop_sequence', async () => {
    const response = await watsonx.generateText({
      input: 'a b STOP c d',
      modelId: 'echo:reverse',
      projectId,
      parameters: { stop_sequences: ['STOP'], include_stop_sequence: true },
    });
    expect(response.result.results[0]!.generated_text).toBe('d c STOP');
    expect(response.result.results[0]!.stop_reason).toBe('stop_sequence');
  });

  it('returns the partial output with stop_reason time_limit when the time limit is hit', async () => {
    const response = await watsonx.generateText({
      input: 'a b c d e f g h i j k l m n o p',
      modelId: 'slow:reverse',
      projectId,
      parameters: { time_limit: 150, max_new_tokens: 50 },
    });
    const result = response.result.results[0]!;
    expect(result.stop_reason).toBe('time_limit');
    expect(result.generated_text.length).toBeGreaterThan(0);
    expect(result.generated_text.split(' ').length).toBeLessThan(16);
  });

  it('chats, streams chat, and reports usage', async () => {
    const chat = await watsonx.textChat({
      modelId: 'echo:reverse',
      projectId,
      messages: [
        { role: 'system', content: 'short' },
        { role: 'user', content: 'hello there' },
      ],
    });
    expect(chat.result.choices[0]!.message?.content).toBe('there hello');
    expect(chat.result.usage?.total_tokens).toBe(4);
    const stream = await watsonx.textChatStream({
      modelId: 'echo:reverse',
      projectId,
      messages: [{ role: 'user', content: 'one two' }],
      returnObject: true,
    });
    let text = '';
    for await (const chunk of stream)
      text +=
        (chunk as { data: { choices: { delta?: { content?: string } }[] } }).data.choices[0]?.delta
          ?.content ?? '';
    expect(text).toBe('two one');
  });

  it('embeds and tokenizes', async () => {
    const embeddings = await watsonx.embedText({
      modelId: 'echo:embed',
      projectId,
      inputs: ['abc', '한국어'],
      parameters: { return_options: { input_text: true } },
    });
    expect(embeddings.result.results).toHaveLength(2);
    expect(embeddings.result.results[1]!.input).toBe('한국어');
    expect(embeddings.result.results[1]!.embedding[3]).toBeCloseTo(1);
    const tokens = await watsonx.tokenizeText({
      modelId: 'echo:reverse',
      projectId,
      input: 'a b c',
      parameters: { return_tokens: true },
    });
    expect(tokens.result.result.token_count).toBe(3);
    expect(tokens.result.result.tokens).toEqual(['a', 'b', 'c']);
  });

  it('lists foundation model specs with filters', async () => {
    const specs = await watsonx.listFoundationModelSpecs({ filters: 'function_embedding' });
    expect(specs.result.resources?.map((model) => model.model_id)).toEqual(['echo:embed', 'slow:embed']);
    const all = await watsonx.listFoundationModelSpecs({ limit: 1 });
    expect(all.result.resources).toHaveLength(1);
    expect(all.result.total_count).toBe(4);
    expect(all.result.next?.href).toContain('start=1');
  });

  it('rejects a bad parameter with a watsonx error body naming the path', async () => {
    const res = await keel.call('/ml/v1/text/generation?version=2024-05-31', {
      json: { input: 'x', model_id: 'echo:reverse', parameters: { max_new_tokens: -1 } },
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.status_code).toBe(400);
    expect(body.errors[0].code).toBe('invalid_request');
    expect(body.issues[0].path).toEqual(['parameters', 'max_new_tokens']);
    expect(body.trace).toMatch(/^req_/);
  });
});
