/**
 * The fakes speak the real wire formats: the official `openai` and `@ibm-cloud/watsonx-ai` SDKs
 * (with IBM's own IAM authenticator) talk to them unchanged. Also the failure modes tests and the
 * gateway benchmark rely on.
 */
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { IamAuthenticator } from 'ibm-cloud-sdk-core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { splitInto } from './fake-generation.js';
import {
  defaultReply,
  type FakeUpstream,
  type FakeWatsonx,
  startFakeOllama,
  startFakeOpenAI,
  startFakeWatsonx,
} from './index.js';

let openaiServer: FakeUpstream;
let watsonxServer: FakeWatsonx;
let ollamaServer: FakeUpstream;

beforeAll(async () => {
  openaiServer = await startFakeOpenAI({ apiKey: 'sk-test' });
  watsonxServer = await startFakeWatsonx({ apiKey: 'ibm-key' });
  ollamaServer = await startFakeOllama();
});
afterAll(async () => {
  await Promise.all([openaiServer.close(), watsonxServer.close(), ollamaServer.close()]);
});

describe('fake OpenAI through the official openai SDK', () => {
  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: `${openaiServer.url}/v1`, maxRetries: 0 });

  it('answers chat completions, plain and streamed with usage', async () => {
    const completion = await client().chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi there' }],
    });
    expect(completion.choices[0]!.message.content).toBe(defaultReply);
    expect(completion.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 6 });
    const stream = await client().chat.completions.create({
      model: 'fake-model',
      messages: [{ role: 'user', content: 'Hi there' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(defaultReply);
    expect(usage).toMatchObject({ completion_tokens: 6 });
  });

  it('answers embeddings in the SDK’s default base64 encoding', async () => {
    const result = await client().embeddings.create({ model: 'fake-embed', input: ['a', 'b'] });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]!.embedding).toHaveLength(8);
    expect(openaiServer.requests.at(-1)!.body).toMatchObject({ encoding_format: 'base64' });
  });

  it('rejects a wrong key the way OpenAI does', async () => {
    const wrong = new OpenAI({ apiKey: 'sk-wrong', baseURL: `${openaiServer.url}/v1`, maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});

describe('fake watsonx.ai through the official SDK and IBM’s IAM authenticator', () => {
  const client = () =>
    WatsonXAI.newInstance({
      version: '2024-05-01',
      serviceUrl: watsonxServer.url,
      authenticator: new IamAuthenticator({ apikey: 'ibm-key', url: watsonxServer.url }),
    });

  it('generates text, plain and streamed', async () => {
    const response = await client().generateText({
      input: 'Summarise this',
      modelId: 'fake-model',
      projectId: 'p1',
      parameters: { max_new_tokens: 3 },
    });
    expect(response.result.results[0]).toMatchObject({
      generated_text: 'Hello from the',
      stop_reason: 'max_tokens',
      generated_token_count: 3,
      input_token_count: 2,
    });
    const stream = await client().generateTextStream({
      input: 'Summarise this',
      modelId: 'fake-model',
      projectId: 'p1',
      returnObject: true,
    });
    let text = '';
    for await (const chunk of stream) {
      text += (chunk as { data: { results: { generated_text: string }[] } }).data.results[0]!.generated_text;
    }
    expect(text).toBe(defaultReply);
    expect(watsonxServer.tokensIssued).toBeGreaterThan(0);
  });

  it('chats and embeds', async () => {
    const chat = await client().textChat({
      modelId: 'fake-model',
      projectId: 'p1',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(chat.result.choices[0]!.message!.content).toBe(defaultReply);
    const embedded = await client().embedText({ modelId: 'fake-embed', projectId: 'p1', inputs: ['a'] });
    expect(embedded.result.results[0]!.embedding).toHaveLength(8);
  });
});

describe('fake upstream behaviour', () => {
  it('splits the reply into the configured number of chunks', () => {
    const reply = Array.from({ length: 50 }, (_, index) => `w${index}`).join(' ');
    const pieces = splitInto(reply, 20);
    expect(pieces).toHaveLength(20);
    expect(pieces.join('')).toBe(reply);
    expect(splitInto('short', 3)).toEqual(['s', 'ho', 'rt']);
  });

  it('streams Ollama NDJSON with exactly the configured number of text frames', async () => {
    ollamaServer.configure({ chunks: 3 });
    const response = await fetch(`${ollamaServer.url}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({ model: 'fake-model', prompt: 'x' }),
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const lines = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(4);
    expect(
      lines
        .slice(0, 3)
        .map((line) => line.response)
        .join(''),
    ).toBe(defaultReply);
    expect(lines[3]).toMatchObject({ done: true, done_reason: 'stop', eval_count: 6 });
    ollamaServer.configure({ chunks: undefined });
  });

  it('fails the next N requests, then behaves', async () => {
    ollamaServer.configure({ failure: { kind: 'status', status: 503, message: 'busy' }, failureTimes: 1 });
    const request = () =>
      fetch(`${ollamaServer.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: 'fake-model', messages: [], stream: false }),
      });
    const first = await request();
    expect(first.status).toBe(503);
    expect(await first.json()).toEqual({ error: 'busy' });
    expect((await request()).status).toBe(200);
    ollamaServer.configure({ failure: undefined, failureTimes: undefined });
  });

  it('waits before the first byte when asked', async () => {
    ollamaServer.configure({ firstByteDelayMs: 120 });
    const started = performance.now();
    await fetch(`${ollamaServer.url}/api/version`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
    ollamaServer.configure({ firstByteDelayMs: undefined });
  });
});
