/**
 * Runs the language-model and embedding-model conformance suites against the remote providers —
 * OpenAI-compatible (plain and vLLM dialects), Ollama, watsonx.ai and a plain HTTP endpoint (the
 * `http` provider, language only) — each on its fake upstream server, including every failure the
 * fakes can play; and the embedding suite against the in-process `onnx` provider on the tiny
 * ONNX encoder export.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createHttpProvider } from '../../src/models/providers/http/index.js';
import { createOllamaProvider } from '../../src/models/providers/ollama/index.js';
import { createOnnxProvider } from '../../src/models/providers/onnx/index.js';
import { createOpenAICompatibleProvider } from '../../src/models/providers/openai-compatible/index.js';
import { createWatsonxProvider } from '../../src/models/providers/watsonx/index.js';
import type { ProviderV1 } from '../../src/spec/provider.js';
import {
  defaultReply,
  type FakeFailure,
  type FakeUpstream,
  fakeHttpModelPath,
  fakeHttpModelTemplate,
  startFakeHttpModel,
  startFakeOllama,
  startFakeOpenAI,
  startFakeWatsonx,
} from '../../src/testing/fake-upstreams/index.js';
import { writeTinyOnnxEncoder } from '../../src/testing/tiny-onnx-encoder.js';
import { type EmbeddingModelFixture, runEmbeddingModelSuite } from './embedding-model.suite.js';
import {
  type LanguageModelExpectations,
  type LanguageModelFailureCase,
  runLanguageModelSuite,
} from './language-model.suite.js';

const failingModels: Record<string, FakeFailure> = {
  'fail-400': { kind: 'status', status: 400, message: 'temperature must be non-negative' },
  'fail-429': { kind: 'status', status: 429, retryAfter: '3' },
  'fail-500': { kind: 'status', status: 500 },
  'fail-drop': { kind: 'drop', afterChunks: 2 },
  'fail-stream': { kind: 'stream-error', afterChunks: 2 },
  'fail-slow': { kind: 'slow-first-byte', delayMs: 1500 },
};

// 60 words, 10 ms apart: a stream that lasts well over half a second.
const slowReply = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Setup {
  main: ProviderV1;
  wrongKey?: ProviderV1;
  unreachable: ProviderV1;
  impatient: ProviderV1;
  slow: ProviderV1;
  upstreams: FakeUpstream[];
}

function dispose(setup: Setup): () => Promise<void> {
  return async () => {
    const providers = [setup.main, setup.wrongKey, setup.unreachable, setup.impatient, setup.slow];
    await Promise.all(providers.map((provider) => provider?.close()));
    await Promise.all(setup.upstreams.map((upstream) => upstream.close()));
  };
}

/**
 * `timeout`: undici checks header timeouts on a timer wheel of about a second, so this case costs
 * seconds; the timeout path is the shared HTTP client's, so one provider plays it.
 */
function failureCases(setup: Setup, withTimeout = false): LanguageModelFailureCase[] {
  const { main } = setup;
  return [
    {
      name: 'unknown model',
      model: main.languageModel('no-such-model'),
      code: 'model_not_found',
      streamStage: 'call',
    },
    {
      name: 'unreachable',
      model: setup.unreachable.languageModel('fake-model'),
      code: 'upstream_unavailable',
      streamStage: 'call',
    },
    ...(setup.wrongKey
      ? [
          {
            name: 'wrong key',
            model: setup.wrongKey.languageModel('fake-model'),
            code: 'upstream_error',
            streamStage: 'call',
          } as const,
        ]
      : []),
    { name: 'HTTP 400', model: main.languageModel('fail-400'), code: 'invalid_request', streamStage: 'call' },
    { name: 'HTTP 429', model: main.languageModel('fail-429'), code: 'rate_limited', streamStage: 'call' },
    { name: 'HTTP 500', model: main.languageModel('fail-500'), code: 'upstream_error', streamStage: 'call' },
    {
      name: 'dropped connection',
      model: main.languageModel('fail-drop'),
      code: 'upstream_unavailable',
      streamStage: 'stream',
    },
    {
      name: 'error event mid-stream',
      model: main.languageModel('fail-stream'),
      code: 'upstream_error',
      generate: false,
      streamStage: 'stream',
    },
    ...(withTimeout
      ? [
          {
            name: 'slow first byte',
            model: setup.impatient.languageModel('fail-slow'),
            code: 'timeout',
            streamStage: 'call',
          } as const,
        ]
      : []),
  ];
}

function embeddingFailures(setup: Setup): NonNullable<EmbeddingModelFixture['expectations']>['failures'] {
  return [
    { name: 'unknown model', model: setup.main.embeddingModel('no-such-model'), code: 'model_not_found' },
    {
      name: 'unreachable',
      model: setup.unreachable.embeddingModel('fake-embed'),
      code: 'upstream_unavailable',
    },
    { name: 'HTTP 500', model: setup.main.embeddingModel('fail-500'), code: 'upstream_error' },
  ];
}

async function openAISetup(dialect: 'openai' | 'vllm'): Promise<Setup> {
  const flavour = dialect;
  const upstream = await startFakeOpenAI({ flavour, apiKey: 'test-key', failingModels });
  const slowUpstream = await startFakeOpenAI({ flavour, reply: slowReply, chunkDelayMs: 10 });
  const port = await closedPort();
  const base = { dialect, apiKey: 'test-key' } as const;
  return {
    main: createOpenAICompatibleProvider({ ...base, name: 'openai', baseURL: `${upstream.url}/v1` }),
    wrongKey: createOpenAICompatibleProvider({
      ...base,
      name: 'wrong',
      baseURL: `${upstream.url}/v1`,
      apiKey: 'sk-wrong',
    }),
    unreachable: createOpenAICompatibleProvider({
      ...base,
      name: 'gone',
      baseURL: `http://127.0.0.1:${port}/v1`,
    }),
    impatient: createOpenAICompatibleProvider({
      ...base,
      name: 'impatient',
      baseURL: `${upstream.url}/v1`,
      timeoutMs: 100,
    }),
    slow: createOpenAICompatibleProvider({ dialect, name: 'slow', baseURL: `${slowUpstream.url}/v1` }),
    upstreams: [upstream, slowUpstream],
  };
}

async function ollamaSetup(): Promise<Setup> {
  const upstream = await startFakeOllama({ failingModels });
  const slowUpstream = await startFakeOllama({ reply: slowReply, chunkDelayMs: 10 });
  const port = await closedPort();
  return {
    main: createOllamaProvider({ name: 'ollama', baseURL: upstream.url }),
    unreachable: createOllamaProvider({ name: 'gone', baseURL: `http://127.0.0.1:${port}` }),
    impatient: createOllamaProvider({ name: 'impatient', baseURL: upstream.url, timeoutMs: 100 }),
    slow: createOllamaProvider({ name: 'slow', baseURL: slowUpstream.url }),
    upstreams: [upstream, slowUpstream],
  };
}

async function watsonxSetup(): Promise<Setup> {
  const upstream = await startFakeWatsonx({ apiKey: 'test-key', failingModels });
  const slowUpstream = await startFakeWatsonx({ reply: slowReply, chunkDelayMs: 10 });
  const port = await closedPort();
  const base = { apiKey: 'test-key', projectId: 'project-1' };
  const at = (url: string) => ({ baseURL: url, iamURL: url });
  return {
    main: createWatsonxProvider({ ...base, ...at(upstream.url), name: 'watsonx' }),
    wrongKey: createWatsonxProvider({ ...base, ...at(upstream.url), name: 'wrong', apiKey: 'wrong-key' }),
    unreachable: createWatsonxProvider({ ...base, ...at(`http://127.0.0.1:${port}`), name: 'gone' }),
    impatient: createWatsonxProvider({ ...base, ...at(upstream.url), name: 'impatient', timeoutMs: 100 }),
    slow: createWatsonxProvider({ projectId: 'project-1', ...at(slowUpstream.url), name: 'slow' }),
    upstreams: [upstream, slowUpstream],
  };
}

const common: LanguageModelExpectations = { replyText: defaultReply, callsTools: true };

runLanguageModelSuite('openai-compatible, openai dialect', async () => {
  const setup = await openAISetup('openai');
  return {
    model: setup.main.languageModel('fake-model'),
    dispose: dispose(setup),
    expectations: {
      ...common,
      slowStream: { model: setup.slow.languageModel('fake-model') },
      unsupported: [
        {
          parameters: {
            decodingMethod: 'sample',
            topK: 5,
            minNewTokens: 3,
            repetitionPenalty: 1.2,
            truncateInputTokens: 100,
            stopSequences: ['x'],
            includeStopSequence: true,
          },
          settings: [
            'top_k',
            'min_new_tokens',
            'repetition_penalty',
            'truncate_input_tokens',
            'include_stop_sequence',
          ],
        },
      ],
      failures: failureCases(setup, true),
    },
  };
});

runLanguageModelSuite('openai-compatible, vllm dialect', async () => {
  const setup = await openAISetup('vllm');
  return {
    model: setup.main.languageModel('fake-model'),
    dispose: dispose(setup),
    expectations: {
      ...common,
      reportsStopSequence: true,
      slowStream: { model: setup.slow.languageModel('fake-model') },
      tokenCount: { text: 'one two three', count: 3 },
      failures: failureCases(setup),
    },
  };
});

runLanguageModelSuite('ollama', async () => {
  const setup = await ollamaSetup();
  return {
    model: setup.main.languageModel('fake-model'),
    dispose: dispose(setup),
    expectations: {
      ...common,
      slowStream: { model: setup.slow.languageModel('fake-model') },
      unsupported: [
        {
          parameters: {
            minNewTokens: 2,
            truncateInputTokens: 10,
            stopSequences: ['x'],
            includeStopSequence: true,
          },
          settings: ['min_new_tokens', 'truncate_input_tokens', 'include_stop_sequence'],
        },
      ],
      failures: failureCases(setup),
    },
  };
});

runLanguageModelSuite('watsonx', async () => {
  const setup = await watsonxSetup();
  return {
    model: setup.main.languageModel('fake-model'),
    dispose: dispose(setup),
    expectations: {
      ...common,
      // The suite's first prompt is a text prompt, which watsonx text generation answers natively.
      reportsStopSequence: true,
      slowStream: { model: setup.slow.languageModel('fake-model') },
      tokenCount: { text: 'one two three', count: 3 },
      unsupported: [
        {
          parameters: { presencePenalty: 0.5, frequencyPenalty: 0.5 },
          settings: ['presence_penalty', 'frequency_penalty'],
        },
      ],
      failures: failureCases(setup),
    },
  };
});

runLanguageModelSuite('http, a prediction endpoint of its own shape', async () => {
  const upstream = await startFakeHttpModel({ failingModels, token: 'endpoint-token' });
  const port = await closedPort();
  const env = { ENDPOINT_TOKEN: 'endpoint-token' };
  const make = (name: string, url: string, extra: { timeoutMs?: number } = {}) =>
    createHttpProvider(
      {
        name,
        baseURL: `${url}${fakeHttpModelPath}`,
        headersEnv: { 'x-api-token': 'ENDPOINT_TOKEN' },
        ...fakeHttpModelTemplate,
        ...extra,
      },
      { env, allowPrivateNetwork: true },
    );
  const main = make('endpoint', upstream.url);
  const unreachable = make('gone', `http://127.0.0.1:${port}`);
  const impatient = make('impatient', upstream.url, { timeoutMs: 100 });
  const wrongToken = createHttpProvider(
    { name: 'wrong', baseURL: `${upstream.url}${fakeHttpModelPath}`, ...fakeHttpModelTemplate },
    { allowPrivateNetwork: true },
  );
  // The endpoint answers whole, so every failure shows in the stream, not at the call.
  const failure = (
    name: string,
    model: ProviderV1,
    modelId: string,
    code: LanguageModelFailureCase['code'],
  ) => ({ name, model: model.languageModel(modelId), code, streamStage: 'stream' }) as const;
  return {
    model: main.languageModel('fake-model'),
    dispose: async () => {
      await Promise.all([main, unreachable, impatient, wrongToken].map((provider) => provider.close()));
      await upstream.close();
    },
    expectations: {
      replyText: defaultReply,
      unsupported: [
        {
          parameters: { decodingMethod: 'sample', temperature: 0.5, topK: 5, repetitionPenalty: 1.2 },
          settings: ['temperature', 'top_k', 'repetition_penalty', 'decoding_method'],
        },
      ],
      failures: [
        failure('unreachable', unreachable, 'fake-model', 'upstream_unavailable'),
        failure('wrong token', wrongToken, 'fake-model', 'upstream_error'),
        failure('HTTP 400', main, 'fail-400', 'invalid_request'),
        failure('HTTP 429', main, 'fail-429', 'rate_limited'),
        failure('HTTP 500', main, 'fail-500', 'upstream_error'),
        failure('dropped connection', main, 'fail-drop', 'upstream_unavailable'),
        failure('slow first byte', impatient, 'fail-slow', 'timeout'),
      ],
    },
  };
});

for (const [name, make, truncates] of [
  ['openai-compatible, openai dialect', () => openAISetup('openai'), false],
  ['openai-compatible, vllm dialect', () => openAISetup('vllm'), true],
  ['ollama', ollamaSetup, false],
  ['watsonx', watsonxSetup, true],
] as const) {
  runEmbeddingModelSuite(name, async () => {
    const setup = await make();
    return {
      model: setup.main.embeddingModel('fake-embed'),
      dispose: dispose(setup),
      expectations: { dimensions: 8, truncates, failures: embeddingFailures(setup) },
    };
  });
}

runEmbeddingModelSuite('onnx (tiny encoder export)', async () => {
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'keel-onnx-conformance-'));
  await writeTinyOnnxEncoder(path.join(modelsDir, 'tiny'));
  // A complete folder whose model file is not ONNX: it fails when the model loads.
  await writeTinyOnnxEncoder(path.join(modelsDir, 'corrupt'));
  await writeFile(path.join(modelsDir, 'corrupt', 'onnx', 'model.onnx'), 'not a model');
  const provider = createOnnxProvider({ modelsDir });
  return {
    model: provider.embeddingModel('tiny'),
    dispose: async () => {
      await provider.close();
      await rm(modelsDir, { recursive: true, force: true });
    },
    expectations: {
      dimensions: 32,
      truncates: false,
      failures: [
        { name: 'broken export', model: provider.embeddingModel('corrupt'), code: 'invalid_config' },
      ],
    },
  };
});
