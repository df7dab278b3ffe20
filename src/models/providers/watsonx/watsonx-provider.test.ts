/**
 * The watsonx.ai provider against the fake watsonx (with its IAM): version and project on every
 * call, bearer tokens refreshed on 401, the native endpoints, and paged model specs. Port-level
 * behaviour is covered by test/conformance/providers.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { type FakeWatsonx, startFakeWatsonx } from '../../../testing/fake-upstreams/index.js';
import { createWatsonxProvider } from './index.js';

let upstream: FakeWatsonx;
let watsonx: ReturnType<typeof createWatsonxProvider>;

beforeAll(async () => {
  upstream = await startFakeWatsonx({
    apiKey: 'ibm-key',
    models: ['ibm/granite-3-8b-instruct', 'meta-llama/llama-3-3-70b-instruct'],
    embeddingModels: ['ibm/slate-125m-english-rtrvr'],
    rerankModels: ['cross-encoder/ms-marco-minilm-l-12-v2'],
    specsPageSize: 2,
  });
  watsonx = createWatsonxProvider(
    {
      name: 'watsonx',
      baseURL: upstream.url,
      iamURL: upstream.url,
      apiKeyEnv: 'TEST_WATSONX_KEY',
      projectId: 'project-1',
      apiVersion: '2025-02-11',
    },
    { env: { TEST_WATSONX_KEY: 'ibm-key' } },
  );
});
afterEach(() => {
  upstream.requests.length = 0;
});
afterAll(async () => {
  await watsonx.close();
  await upstream.close();
});

const granite = () => watsonx.languageModel('ibm/granite-3-8b-instruct');
const apiRequests = () => upstream.requests.filter((request) => request.path !== '/identity/token');

describe('createWatsonxProvider', () => {
  it('sends version, project and an IAM bearer token with every call', async () => {
    const result = await granite().doGenerate({
      prompt: { type: 'text', text: 'Summarise this' },
      parameters: { maxNewTokens: 2, stopSequences: ['zzz'] },
    });
    expect(result).toMatchObject({
      text: 'Hello from',
      finishReason: 'max_tokens',
      usage: { inputTokens: 2, outputTokens: 2 },
    });
    const [request] = apiRequests();
    expect(request).toMatchObject({
      path: '/ml/v1/text/generation',
      query: { version: '2025-02-11' },
      body: {
        model_id: 'ibm/granite-3-8b-instruct',
        input: 'Summarise this',
        project_id: 'project-1',
        parameters: { max_new_tokens: 2, stop_sequences: ['zzz'], include_stop_sequence: false },
      },
    });
    expect(request!.headers.authorization).toMatch(/^Bearer /);
  });

  it('renews the token once when watsonx answers 401, and carries on', async () => {
    await granite().doGenerate({ prompt: { type: 'text', text: 'x' } });
    const issued = upstream.tokensIssued;
    upstream.revokeTokens();
    const result = await granite().doGenerate({ prompt: { type: 'text', text: 'x' } });
    expect(result.text).toBe('Hello from the fake upstream server.');
    expect(upstream.tokensIssued).toBe(issued + 1);
    upstream.revokeTokens();
    const { stream } = await granite().doStream({
      prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
    });
    for await (const part of stream) expect(part.type).not.toBe('error');
    expect(upstream.tokensIssued).toBe(issued + 2);
  });

  it('streams text generation and chat as watsonx SSE', async () => {
    const generation = await granite().doStream({
      prompt: { type: 'text', text: 'a b' },
      parameters: { randomSeed: 9, decodingMethod: 'sample' },
    });
    const parts = [];
    for await (const part of generation.stream) parts.push(part);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'eos_token',
      usage: { inputTokens: 2, outputTokens: 6 },
      seed: 9,
    });
    const chat = await granite().doStream({
      prompt: { type: 'chat', messages: [{ role: 'user', content: 'Hi' }] },
      tools: [{ name: 'weather', parameters: { type: 'object' } }],
      toolChoice: 'required',
    });
    const chatParts = [];
    for await (const part of chat.stream) chatParts.push(part);
    expect(chatParts).toEqual([
      {
        type: 'tool-call',
        toolCall: { id: 'chatcmpl-tool-fake', name: 'weather', arguments: '{"query":"Hi"}' },
      },
      { type: 'finish', finishReason: 'tool_calls', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
    expect(apiRequests().map((request) => request.path)).toEqual([
      '/ml/v1/text/generation_stream',
      '/ml/v1/text/chat_stream',
    ]);
    expect(apiRequests()[1]!.body).toMatchObject({ tool_choice_option: 'required' });
  });

  it('counts tokens, embeds and reranks through the native endpoints', async () => {
    const tokens = await granite().tokenize('one two three');
    expect(tokens).toEqual({ tokens: [-1, -1, -1], strings: ['one', ' two', ' three'] });
    const embedded = await watsonx
      .embeddingModel('ibm/slate-125m-english-rtrvr')
      .doEmbed({ values: ['a b'], truncateInputTokens: 128 });
    expect(embedded).toMatchObject({ usage: { inputTokens: 2 }, warnings: [] });
    const reranked = await watsonx
      .rerankModel('cross-encoder/ms-marco-minilm-l-12-v2')
      .doRerank({ query: 'fake server', documents: ['x', 'fake server'], topN: 1 });
    expect(reranked).toEqual({ results: [{ index: 1, score: 1 }], usage: { inputTokens: 5 } });
    expect(apiRequests().map((request) => [request.path, request.body])).toEqual([
      [
        '/ml/v1/text/tokenization',
        {
          model_id: 'ibm/granite-3-8b-instruct',
          input: 'one two three',
          project_id: 'project-1',
          parameters: { return_tokens: true },
        },
      ],
      [
        '/ml/v1/text/embeddings',
        {
          inputs: ['a b'],
          model_id: 'ibm/slate-125m-english-rtrvr',
          project_id: 'project-1',
          parameters: { truncate_input_tokens: 128 },
        },
      ],
      [
        '/ml/v1/text/rerank',
        {
          model_id: 'cross-encoder/ms-marco-minilm-l-12-v2',
          query: 'fake server',
          inputs: [{ text: 'x' }, { text: 'fake server' }],
          project_id: 'project-1',
          parameters: { return_options: { top_n: 1 } },
        },
      ],
    ]);
  });

  it('lists foundation models across pages, with kinds and context windows', async () => {
    const models = await watsonx.listModels();
    expect(models.map((model) => [model.modelId, model.kinds])).toEqual([
      ['ibm/granite-3-8b-instruct', ['language']],
      ['meta-llama/llama-3-3-70b-instruct', ['language']],
      ['ibm/slate-125m-english-rtrvr', ['embedding']],
      ['cross-encoder/ms-marco-minilm-l-12-v2', ['rerank']],
    ]);
    expect(models[0]).toMatchObject({
      contextLength: 8192,
      details: { label: 'granite-3-8b-instruct', parameterCount: '8b' },
    });
    expect(apiRequests()).toHaveLength(2);
    expect(await granite().contextLength()).toBe(8192);
    expect(await watsonx.status()).toMatchObject({
      reachable: true,
      message: 'watsonx.ai API version 2025-02-11',
    });
  });

  it('maps watsonx errors: unknown model, and a missing project', async () => {
    const missing = await watsonx
      .languageModel('ibm/nope')
      .doGenerate({ prompt: { type: 'text', text: 'x' } })
      .catch((caught: unknown) => caught as KeelError);
    expect(missing).toMatchObject({ code: 'model_not_found' });
    expect((missing as KeelError).message).toContain("Model 'ibm/nope' is not supported");
    const unscoped = createWatsonxProvider({
      name: 'bare',
      baseURL: upstream.url,
      iamURL: upstream.url,
      apiKey: 'ibm-key',
    });
    try {
      await expect(
        unscoped
          .languageModel('ibm/granite-3-8b-instruct')
          .doGenerate({ prompt: { type: 'text', text: 'x' } }),
      ).rejects.toMatchObject({
        code: 'invalid_config',
      });
      expect((await unscoped.status()).message).toContain('no projectId or spaceId');
    } finally {
      await unscoped.close();
    }
  });

  it('uses space_id when that is what is configured', async () => {
    const spaced = createWatsonxProvider({
      name: 'spaced',
      baseURL: upstream.url,
      iamURL: upstream.url,
      apiKey: 'ibm-key',
      spaceId: 'space-9',
    });
    try {
      await spaced
        .languageModel('ibm/granite-3-8b-instruct')
        .doGenerate({ prompt: { type: 'chat', messages: [{ role: 'user', content: 'x' }] } });
      expect(apiRequests()[0]!.body).toMatchObject({ space_id: 'space-9' });
      expect(apiRequests()[0]!.body).not.toHaveProperty('project_id');
    } finally {
      await spaced.close();
    }
  });

  it('surfaces a rejected API key as upstream_error', async () => {
    const wrong = createWatsonxProvider({
      name: 'wrong',
      baseURL: upstream.url,
      iamURL: upstream.url,
      apiKey: 'bad-key',
      projectId: 'p',
    });
    try {
      const error = await wrong
        .languageModel('ibm/granite-3-8b-instruct')
        .doGenerate({ prompt: { type: 'text', text: 'x' } })
        .catch((caught: unknown) => caught as KeelError);
      expect(error).toBeInstanceOf(KeelError);
      expect((error as KeelError).code).toBe('upstream_error');
      expect((error as KeelError).message).not.toContain('bad-key');
      expect((await wrong.status()).reachable).toBe(false);
    } finally {
      await wrong.close();
    }
  });
});
