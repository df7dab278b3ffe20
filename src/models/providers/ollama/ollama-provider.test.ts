/**
 * The Ollama provider against the fake Ollama server: what goes over the wire, model facts from
 * /api/tags and /api/show, and what Ollama cannot do. Port-level behaviour is covered by
 * test/conformance/providers.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { type FakeUpstream, startFakeOllama } from '../../../testing/fake-upstreams/index.js';
import { createOllamaProvider } from './index.js';

let upstream: FakeUpstream;
let ollama: ReturnType<typeof createOllamaProvider>;

beforeAll(async () => {
  upstream = await startFakeOllama({
    models: ['granite3.3:2b'],
    embeddingModels: ['nomic-embed-text'],
    contextLength: 131_072,
  });
  ollama = createOllamaProvider({ name: 'ollama', baseURL: upstream.url });
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  await ollama.close();
  await upstream.close();
});

describe('createOllamaProvider', () => {
  it('sends chat prompts to /api/chat with options, and reads the counts', async () => {
    const result = await ollama.languageModel('granite3.3:2b').doGenerate({
      prompt: {
        type: 'chat',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hi there' },
        ],
      },
      parameters: { decodingMethod: 'greedy', maxNewTokens: 3, repetitionPenalty: 1.1 },
    });
    expect(upstream.requests[0]).toMatchObject({
      path: '/api/chat',
      body: {
        model: 'granite3.3:2b',
        stream: false,
        options: { temperature: 0, num_predict: 3, repeat_penalty: 1.1 },
      },
    });
    expect(result).toMatchObject({
      text: 'Hello from the',
      finishReason: 'max_tokens',
      usage: { inputTokens: 4, outputTokens: 3 },
    });
  });

  it('streams text prompts from /api/generate, raw, as NDJSON', async () => {
    const { stream } = await ollama
      .languageModel('granite3.3:2b')
      .doStream({ prompt: { type: 'text', text: 'Once' } });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(upstream.requests[0]).toMatchObject({
      path: '/api/generate',
      body: { prompt: 'Once', raw: true, stream: true },
    });
    expect(parts.at(-1)).toMatchObject({
      type: 'finish',
      finishReason: 'eos_token',
      usage: { inputTokens: 1, outputTokens: 6 },
    });
  });

  it('returns tool calls with their arguments as JSON text', async () => {
    const result = await ollama.languageModel('granite3.3:2b').doGenerate({
      prompt: { type: 'chat', messages: [{ role: 'user', content: 'Weather in Seoul?' }] },
      tools: [{ name: 'weather', parameters: { type: 'object', properties: { query: { type: 'string' } } } }],
    });
    expect(result.finishReason).toBe('tool_calls');
    expect(result.toolCalls).toEqual([
      { id: 'call_0', name: 'weather', arguments: '{"query":"Weather in Seoul?"}' },
    ]);
  });

  it('embeds through /api/embed', async () => {
    const result = await ollama.embeddingModel('nomic-embed-text').doEmbed({ values: ['a', 'b c'] });
    expect(result.embeddings).toHaveLength(2);
    expect(result.usage.inputTokens).toBe(3);
    expect(upstream.requests[0]).toMatchObject({
      path: '/api/embed',
      body: { model: 'nomic-embed-text', input: ['a', 'b c'] },
    });
  });

  it('lists models with kinds and context windows from /api/show', async () => {
    const models = await ollama.listModels();
    expect(models).toMatchObject([
      {
        id: 'ollama:granite3.3:2b',
        kinds: ['language'],
        contextLength: 131_072,
        details: { family: 'llama', parameterCount: '3.3b' },
      },
      { id: 'ollama:nomic-embed-text', kinds: ['embedding'], tasks: ['embed'] },
    ]);
    expect(await ollama.languageModel('granite3.3:2b').contextLength()).toBe(131_072);
    expect(await ollama.status()).toMatchObject({ reachable: true, message: 'Ollama 0.12.6' });
  });

  it('maps a missing model to model_not_found with Ollama’s message', async () => {
    const error = await ollama
      .languageModel('llama9:70b')
      .doGenerate({ prompt: { type: 'text', text: 'x' } })
      .catch((caught: unknown) => caught as KeelError);
    expect(error).toBeInstanceOf(KeelError);
    expect((error as KeelError).code).toBe('model_not_found');
    expect((error as KeelError).message).toContain('try pulling it first');
  });

  it('has no tokenizer and no reranker', async () => {
    await expect(ollama.languageModel('granite3.3:2b').tokenize('x')).rejects.toMatchObject({
      code: 'not_implemented',
    });
    expect(() => ollama.rerankModel('x')).toThrow(KeelError);
  });
});
