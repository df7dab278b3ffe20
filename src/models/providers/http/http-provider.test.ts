/**
 * The `http` provider against a real endpoint on 127.0.0.1 of no standard shape: the template is
 * filled (whole values, text, absent settings left out), the method and secret headers are sent,
 * the outbound-URL policy refuses loopback unless allowed, answers without text at the configured
 * path fail with a coded error, and keel.yaml entries of type http are built by the registry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';
import { KeelError } from '../../../core/errors.js';
import type { Logger } from '../../../core/logger.js';
import { silentLogger } from '../../../core/logger.js';
import {
  type FakeUpstream,
  fakeHttpModelPath,
  fakeHttpModelTemplate,
  startFakeHttpModel,
} from '../../../testing/fake-upstreams/index.js';
import { createDefaultProviders } from '../../default-providers.js';
import { createHttpProvider } from './http-provider.js';

let endpoint: FakeUpstream;
const token = 'sk-endpoint-secret-0123456789';
const env = { SCORER_TOKEN: token };

beforeAll(async () => {
  endpoint = await startFakeHttpModel({ answer: (prompt) => `echo: ${prompt}`, token });
});
afterAll(async () => {
  await endpoint?.close();
});

const chat = {
  prompt: {
    type: 'chat' as const,
    messages: [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: '안녕하세요' },
    ],
  },
};

async function caught(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('http provider', () => {
  it('fills the template: whole values, text, and absent settings left out; sends the secret header', async () => {
    const provider = createHttpProvider(
      {
        name: 'scorer',
        baseURL: `${endpoint.url}${fakeHttpModelPath}?region=kr`,
        headers: { 'x-team': 'claims' },
        headersEnv: { 'x-api-token': 'SCORER_TOKEN' },
        body: {
          deployment: '{{model}}',
          instances: [{ prompt: '{{input}}', system: '{{system}}', history: '{{messages}}' }],
          config: { limit: '{{max_new_tokens}}', halt: '{{stop_sequences}}', seed: '{{random_seed}}' },
          note: 'model {{model}} at {{temperature}}',
        },
        response: fakeHttpModelTemplate.response,
      },
      { env, allowPrivateNetwork: true },
    );
    const result = await provider
      .languageModel('granite-claims')
      .doGenerate({ ...chat, parameters: { maxNewTokens: 10, decodingMethod: 'greedy' } });
    expect(result.text).toBe('echo: system: Be brief.\n\nuser: 안녕하세요');
    expect(result.usage).toEqual({ inputTokens: 5, outputTokens: 6 });
    expect(result.finishReason).toBe('eos_token');
    expect(result.warnings).toEqual([]);
    const sent = endpoint.requests.at(-1)!;
    expect(sent.method).toBe('POST');
    expect(sent.query).toEqual({ region: 'kr' });
    expect(sent.headers['x-api-token']).toBe(token);
    expect(sent.headers['x-team']).toBe('claims');
    expect(sent.body).toEqual({
      deployment: 'granite-claims',
      instances: [
        {
          prompt: 'system: Be brief.\n\nuser: 안녕하세요',
          system: 'Be brief.',
          history: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: '안녕하세요' },
          ],
        },
      ],
      // No stop sequences and no seed were asked for: their keys are left out.
      config: { limit: 10 },
      note: 'model granite-claims at 0',
    });
    await provider.close();
  });

  it('sends PUT when configured, and applies stop sequences the template has no place for', async () => {
    const provider = createHttpProvider(
      {
        name: 'scorer',
        method: 'PUT',
        baseURL: `${endpoint.url}${fakeHttpModelPath}`,
        headersEnv: { 'x-api-token': 'SCORER_TOKEN' },
        body: { deployment: '{{model}}', instances: [{ prompt: '{{input}}' }] },
        response: { text: 'predictions.0.content' },
      },
      { env, allowPrivateNetwork: true },
    );
    // The fake only answers POST: a PUT reaches it and is refused there, with the status mapped.
    const refused = await caught(
      provider.languageModel('m').doGenerate({ prompt: { type: 'text', text: 'a b c' } }),
    );
    expect(endpoint.requests.at(-1)!.method).toBe('PUT');
    expect(refused.code).toBe('upstream_error');
    await provider.close();

    const post = createHttpProvider(
      {
        name: 'scorer',
        baseURL: `${endpoint.url}${fakeHttpModelPath}`,
        headersEnv: { 'x-api-token': 'SCORER_TOKEN' },
        body: { deployment: '{{model}}', instances: [{ prompt: '{{input}}' }] },
        response: { text: 'predictions.0.content' },
      },
      { env, allowPrivateNetwork: true },
    );
    const cut = await post.languageModel('m').doGenerate({
      prompt: { type: 'text', text: 'one two three' },
      parameters: { stopSequences: ['three'] },
    });
    expect(cut).toMatchObject({ text: 'echo: one two ', finishReason: 'stop_sequence', warnings: [] });
    await post.close();
  });

  it('refuses a loopback endpoint unless private network fetches are allowed, sending nothing', async () => {
    const before = endpoint.requests.length;
    const provider = createHttpProvider(
      { name: 'scorer', baseURL: `${endpoint.url}${fakeHttpModelPath}`, ...fakeHttpModelTemplate },
      { env },
    );
    const error = await caught(
      provider.languageModel('m').doGenerate({ prompt: { type: 'text', text: 'hi' } }),
    );
    expect(error.code).toBe('invalid_request'); // plain http is refused first
    const https = createHttpProvider(
      { name: 'scorer', baseURL: 'https://127.0.0.1:9/predict', ...fakeHttpModelTemplate },
      { env },
    );
    const forbidden = await caught(
      https.languageModel('m').doGenerate({ prompt: { type: 'text', text: 'hi' } }),
    );
    expect(forbidden.code).toBe('forbidden');
    expect(forbidden.message).toContain('not a public internet address');
    const { stream } = await https.languageModel('m').doStream({ prompt: { type: 'text', text: 'hi' } });
    const parts = [];
    for await (const part of stream) parts.push(part);
    expect(parts).toMatchObject([{ type: 'error', error: { code: 'forbidden' } }]);
    expect((await https.status()).reachable).toBe(false);
    expect(endpoint.requests.length).toBe(before);
    await Promise.all([provider.close(), https.close()]);
  });

  it('fails with a coded error naming the path when the answer has no text there; never shows the secret', async () => {
    const provider = createHttpProvider(
      {
        name: 'scorer',
        baseURL: `${endpoint.url}${fakeHttpModelPath}`,
        headersEnv: { 'x-api-token': 'SCORER_TOKEN' },
        body: fakeHttpModelTemplate.body,
        response: { text: 'outputs[0].generated_text' },
      },
      { env, allowPrivateNetwork: true },
    );
    const error = await caught(
      provider.languageModel('m').doGenerate({ prompt: { type: 'text', text: 'hi' } }),
    );
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('outputs[0].generated_text');
    expect(error.issues).toEqual([
      {
        code: 'response_path_missing',
        path: ['response', 'text'],
        message: 'no text at outputs[0].generated_text',
      },
    ]);
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(token);
    await provider.close();
  });

  it('refuses an unknown placeholder when the provider is made, and warns with the variable name only', () => {
    const thrown = (() => {
      try {
        createHttpProvider({
          name: 'scorer',
          baseURL: 'https://scorer.example.com/predict',
          body: { inputs: '{{inptu}}' },
          response: { text: 'a' },
        });
      } catch (error) {
        return error as KeelError;
      }
    })();
    expect(thrown?.code).toBe('invalid_config');
    expect(thrown?.issues?.[0]).toMatchObject({ code: 'unknown_placeholder', path: ['body', 'inputs'] });

    const warnings: unknown[] = [];
    const logger = {
      ...silentLogger,
      warn: (...args: unknown[]) => warnings.push(args),
    } as unknown as Logger;
    createHttpProvider(
      {
        name: 'scorer',
        baseURL: 'https://scorer.example.com/predict',
        headersEnv: { authorization: 'UNSET_VARIABLE' },
        ...fakeHttpModelTemplate,
      },
      { env: {}, logger },
    );
    expect(JSON.stringify(warnings)).toContain('UNSET_VARIABLE');
  });

  it('is built from a keel.yaml entry of type http, with the private-network setting', async () => {
    const config = loadConfig({
      env: {},
      overrides: {
        dataDir: 'unused-data-dir',
        security: { allowPrivateNetworkFetch: true },
        providers: [
          {
            type: 'http',
            name: 'scorer',
            baseURL: `${endpoint.url}${fakeHttpModelPath}`,
            apiKey: 'unused',
            headers: { 'x-api-token': token },
            models: ['granite-claims'],
            ...fakeHttpModelTemplate,
          },
        ],
      },
    });
    const providers = await createDefaultProviders(config, silentLogger);
    const scorer = providers.find((provider) => provider.name === 'scorer')!;
    expect(scorer.type).toBe('http');
    expect((await scorer.listModels()).map((model) => model.id)).toEqual(['scorer:granite-claims']);
    const result = await scorer
      .languageModel('granite-claims')
      .doGenerate({ prompt: { type: 'text', text: 'hi' } });
    expect(result.text).toBe('echo: hi');
    expect((await scorer.status()).reachable).toBe(true);
    await Promise.all(providers.map((provider) => provider.close()));
  });
});
