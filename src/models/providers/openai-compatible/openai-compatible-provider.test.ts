/**
 * The OpenAI-compatible provider against the fake OpenAI server: what goes over the wire (paths,
 * headers, mapped parameters), dialect endpoints, Azure, model lists and cancellation. The
 * port-level behaviour is covered by test/conformance/providers.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { type FakeUpstream, startFakeOpenAI } from '../../../testing/fake-upstreams/index.js';
import { createOpenAICompatibleProvider, type OpenAICompatibleProviderSettings } from './index.js';

let vllm: FakeUpstream;
let plain: FakeUpstream;
const providers: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  vllm = await startFakeOpenAI({ flavour: 'vllm', apiKey: 'sk-test', contextLength: 32_768 });
  plain = await startFakeOpenAI({ apiKey: 'sk-test' });
});
afterEach(() => {
  vllm.requests.length = 0;
  plain.requests.length = 0;
});
afterAll(async () => {
  await Promise.all(providers.map((provider) => provider.close()));
  await vllm.close();
  await plain.close();
});

function provider(settings: Partial<OpenAICompatibleProviderSettings> & { baseURL: string }) {
  const created = createOpenAICompatibleProvider({ name: 'remote', apiKey: 'sk-test', ...settings });
  providers.push(created);
  return created;
}

async function keelError(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('createOpenAICompatibleProvider', () => {
  it('sends mapped parameters to /v1/chat/completions with a bearer key', async () => {
    const model = provider({ baseURL: vllm.url, dialect: 'vllm' }).languageModel('fake-model');
    await model.doGenerate({
      prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
      parameters: { decodingMethod: 'sample', temperature: 0.5, topK: 10, minNewTokens: 2, maxNewTokens: 20 },
    });
    const request = vllm.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test');
    expect(request.body).toMatchObject({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.5,
      top_k: 10,
      min_tokens: 2,
      max_tokens: 20,
    });
  });

  it('streams with stream_options.include_usage and reads the usage chunk', async () => {
    const model = provider({ baseURL: `${vllm.url}/v1`, dialect: 'vllm' }).languageModel('fake-model');
    const { stream } = await model.doStream({ prompt: { type: 'text', text: 'one two three' } });
    let finish: unknown;
    for await (const part of stream) if (part.type === 'finish') finish = part;
    expect(vllm.requests[0]).toMatchObject({
      path: '/v1/completions',
      body: { stream: true, stream_options: { include_usage: true }, prompt: 'one two three' },
    });
    expect(finish).toMatchObject({ usage: { inputTokens: 3, outputTokens: 6 } });
  });

  it('reuses keep-alive connections for calls and completed streams', async () => {
    const upstream = await startFakeOpenAI({ chunks: 20 });
    try {
      const model = provider({ baseURL: upstream.url, apiKey: undefined }).languageModel('fake-model');
      for (let round = 0; round < 5; round++) {
        const { stream } = await model.doStream({
          prompt: { type: 'chat', messages: [{ role: 'user', content: 'x' }] },
        });
        let deltas = 0;
        for await (const part of stream) if (part.type === 'text-delta') deltas++;
        expect(deltas).toBe(20); // the six-word reply, split by characters into 20 frames
        await model.doGenerate({ prompt: { type: 'text', text: 'x' } });
      }
      // Ten calls, not ten connections (undici may open a second while the first is finishing).
      expect(upstream.connections).toBeLessThanOrEqual(2);
    } finally {
      await upstream.close();
    }
  });

  it('closes the upstream connection when the consumer breaks out', async () => {
    const slow = await startFakeOpenAI({ chunkDelayMs: 20, reply: 'a b c d e f g h i j k l m n o p' });
    try {
      const model = provider({ baseURL: slow.url }).languageModel('fake-model');
      const { stream } = await model.doStream({ prompt: { type: 'text', text: 'go' } });
      for await (const part of stream) if (part.type === 'text-delta') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(slow.abandoned).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('keeps the key out of errors when the upstream rejects it', async () => {
    const model = provider({ baseURL: plain.url, apiKey: 'sk-leaky-key-123' }).languageModel('fake-model');
    const error = await keelError(model.doGenerate({ prompt: { type: 'text', text: 'x' } }));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain("rejected Keel's credentials");
    expect(JSON.stringify(error.toJSON())).not.toContain('sk-leaky-key-123');
  });

  it('tokenizes with each dialect’s /tokenize shape', async () => {
    for (const flavour of ['vllm', 'llamacpp-server', 'tgi'] as const) {
      const upstream = await startFakeOpenAI({ flavour });
      try {
        const model = provider({ baseURL: upstream.url, dialect: flavour, apiKey: undefined }).languageModel(
          'fake-model',
        );
        expect(model.capabilities.tokenize).toBe(true);
        const result = await model.tokenize('Hello big world');
        expect(result.tokens).toHaveLength(3);
        expect(result.strings).toEqual(['Hello', ' big', ' world']);
        expect(upstream.requests[0]!.path).toBe('/tokenize');
      } finally {
        await upstream.close();
      }
    }
    const plainModel = provider({ baseURL: plain.url }).languageModel('fake-model');
    expect(plainModel.capabilities.tokenize).toBe(false);
    expect((await keelError(plainModel.tokenize('x'))).code).toBe('not_implemented');
  });

  it('reranks through /v1/rerank on vLLM, and says not_implemented elsewhere', async () => {
    const rerank = provider({ baseURL: vllm.url, dialect: 'vllm' }).rerankModel('fake-rerank');
    const result = await rerank.doRerank({
      query: 'fake server',
      documents: ['nothing here', 'a fake server', 'server only'],
      topN: 2,
    });
    expect(result.results).toEqual([
      { index: 1, score: 1 },
      { index: 2, score: 0.5 },
    ]);
    expect(vllm.requests[0]).toMatchObject({ path: '/v1/rerank', body: { query: 'fake server', top_n: 2 } });
    expect(() => provider({ baseURL: plain.url }).rerankModel('x')).toThrow(KeelError);
  });

  it('asks for float embeddings and passes vLLM truncation', async () => {
    const embedder = provider({ baseURL: vllm.url, dialect: 'vllm' }).embeddingModel('fake-embed');
    const result = await embedder.doEmbed({ values: ['a', 'b'], truncateInputTokens: 16 });
    expect(result.embeddings).toHaveLength(2);
    expect(vllm.requests[0]!.body).toMatchObject({
      encoding_format: 'float',
      truncate_prompt_tokens: 16,
      input: ['a', 'b'],
    });
    expect(await embedder.dimensions()).toBe(8);
  });

  it('lists models (with vLLM context lengths) and reports status', async () => {
    const remote = provider({ baseURL: vllm.url, dialect: 'vllm' });
    const models = await remote.listModels();
    expect(models.map((model) => [model.id, model.kinds[0]])).toEqual([
      ['remote:fake-model', 'language'],
      ['remote:fake-embed', 'embedding'],
      ['remote:fake-rerank', 'rerank'],
    ]);
    expect(models[0]!.contextLength).toBe(32_768);
    expect(await remote.languageModel('fake-model').contextLength()).toBe(32_768);
    expect(await remote.status()).toMatchObject({ reachable: true, message: 'vLLM, 3 models' });
    const down = await provider({ baseURL: 'http://127.0.0.1:9/v1' }).status();
    expect(down.reachable).toBe(false);
    expect(down.message).toContain('http://127.0.0.1:9/v1');
  });

  it('serves only the configured models, without asking the server', async () => {
    const remote = provider({ baseURL: vllm.url, models: ['fake-model'] });
    expect(await remote.listModels()).toMatchObject([
      { id: 'remote:fake-model', details: { source: 'keel.yaml' } },
    ]);
    expect(vllm.requests).toEqual([]);
    expect(() => remote.languageModel('other')).toThrow(/offers only fake-model/);
  });

  it('rejects a bad configuration as invalid_config', () => {
    expect(() => createOpenAICompatibleProvider({ name: 'x', baseURL: 'not a url' })).toThrow(KeelError);
    expect(() =>
      createOpenAICompatibleProvider({ name: 'x', baseURL: 'http://h', apiVersion: '2024-10-21' }),
    ).toThrow(/apiVersion applies only to dialect: azure/);
  });
});

describe('Azure OpenAI', () => {
  it('calls deployments with api-version and the api-key header', async () => {
    const azure = provider({ baseURL: plain.url, dialect: 'azure', models: ['fake-model'] });
    const result = await azure.languageModel('fake-model').doGenerate({
      prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(result.text).toBe('Hello from the fake upstream server.');
    const request = plain.requests[0]!;
    expect(request.path).toBe('/openai/deployments/fake-model/chat/completions');
    expect(request.query['api-version']).toBe('2024-10-21');
    expect(request.headers['api-key']).toBe('sk-test');
    expect(request.headers.authorization).toBeUndefined();
  });

  it('sends every model to a configured deployment', async () => {
    const azure = provider({
      baseURL: `${plain.url}/openai`,
      dialect: 'azure',
      deployment: 'fake-model',
      apiVersion: '2024-06-01',
    });
    await azure.languageModel('gpt-4o').doGenerate({ prompt: { type: 'text', text: 'x' } });
    expect(plain.requests[0]).toMatchObject({
      path: '/openai/deployments/fake-model/completions',
      query: { 'api-version': '2024-06-01' },
    });
    expect(await azure.listModels()).toMatchObject([{ modelId: 'fake-model' }]);
  });

  it('cannot list deployments without a models list', async () => {
    const azure = provider({ baseURL: plain.url, dialect: 'azure' });
    expect((await keelError(azure.listModels())).code).toBe('invalid_config');
  });
});
