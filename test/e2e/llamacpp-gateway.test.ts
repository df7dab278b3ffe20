/**
 * The embedded path end to end: the official SDKs → Keel's HTTP routes → llama.cpp on the tiny
 * generated GGUF.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WatsonXAI } from '@ibm-cloud/watsonx-ai';
import { BearerTokenAuthenticator } from 'ibm-cloud-sdk-core';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import { type ListeningServer, listen } from '../../src/server/listen.js';
import { createTestKeel, type TestKeel } from '../../src/testing/test-keel.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';

let keel: TestKeel;
let server: ListeningServer;
let openai: OpenAI;
let watsonx: WatsonXAI;

beforeAll(async () => {
  const { mkdtemp } = await import('node:fs/promises');
  const os = await import('node:os');
  const modelsDir = await mkdtemp(path.join(os.tmpdir(), 'keel-models-'));
  await ensureTinyGguf(modelsDir, { fileName: 'tiny.gguf' });
  // A truncated GGUF beside it: listing and loading it must fail clearly without hurting the other.
  await writeFile(
    path.join(modelsDir, 'broken.gguf'),
    Buffer.from('GGUF\u0003\u0000\u0000\u0000truncated header bytes'),
  );
  keel = await createTestKeel({
    providers: [createLlamaCppProvider({ modelsDir, threads: 1, contextSize: 1024, sequences: 1 })],
  });
  server = await listen(keel.app);
  openai = new OpenAI({ apiKey: keel.adminKey, baseURL: `${server.url}/v1`, maxRetries: 0 });
  watsonx = WatsonXAI.newInstance({
    version: '2024-05-31',
    serviceUrl: server.url,
    authenticator: new BearerTokenAuthenticator({ bearerToken: keel.adminKey }),
    projectId: keel.services.installation.defaultProjectId,
  });
});
afterAll(async () => {
  await server?.close();
  await keel?.close();
});

describe('llama.cpp through the gateway', () => {
  it('lists local GGUF files as llamacpp:<stem>', async () => {
    const ids = (await openai.models.list()).data.map((model) => model.id);
    expect(ids).toContain('llamacpp:tiny');
  });

  it('chats with seeded sampling reproducibly and counts tokens', async () => {
    const ask = () =>
      openai.chat.completions.create({
        model: 'llamacpp:tiny',
        messages: [{ role: 'user', content: '안녕하세요' }],
        temperature: 0.8,
        seed: 42,
        max_tokens: 12,
      });
    const [first, second] = [await ask(), await ask()];
    expect(first.choices[0]!.message.content).toBe(second.choices[0]!.message.content);
    expect(first.usage!.completion_tokens).toBeGreaterThan(0);
    expect(first.usage!.completion_tokens).toBeLessThanOrEqual(12);
    expect(first.choices[0]!.finish_reason).toBe('length');
  });

  it('streams tokens', async () => {
    const stream = await openai.chat.completions.create({
      model: 'llamacpp:tiny',
      messages: [{ role: 'user', content: 'hello' }],
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    let deltas = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) deltas++;
      usage = chunk.usage ?? usage;
    }
    expect(deltas).toBeGreaterThan(0);
    expect(usage?.completion_tokens).toBe(8);
  });

  it('decodes JSON-schema output under a grammar', async () => {
    const schema = {
      type: 'object',
      properties: { label: { type: 'string', enum: ['positive', 'negative'] } },
      required: ['label'],
      additionalProperties: false,
    };
    const completion = await openai.chat.completions.create({
      model: 'llamacpp:tiny',
      messages: [{ role: 'user', content: '배송이 빨라서 좋아요' }],
      response_format: { type: 'json_schema', json_schema: { name: 'sentiment', schema } },
      max_tokens: 40,
      seed: 3,
      temperature: 0.7,
    });
    const parsed = JSON.parse(completion.choices[0]!.message.content!);
    expect(['positive', 'negative']).toContain(parsed.label);
  });

  it('tokenizes Korean exactly and embeds through the watsonx routes', async () => {
    const tokens = await watsonx.tokenizeText({
      modelId: 'llamacpp:tiny',
      input: '한국어 토큰화',
      parameters: { return_tokens: true },
    });
    expect(tokens.result.result.token_count).toBeGreaterThan(0);
    expect(tokens.result.result.tokens!.join('')).toContain('한국어 토큰화');
    const embeddings = await watsonx.embedText({ modelId: 'llamacpp:tiny', inputs: ['서울', 'Seoul'] });
    expect(embeddings.result.results).toHaveLength(2);
    expect(embeddings.result.results[0]!.embedding.length).toBe(64);
  });

  it('returns partial output with stop_reason time_limit', async () => {
    const response = await watsonx.generateText({
      modelId: 'llamacpp:tiny',
      input: 'Once upon a time',
      parameters: { max_new_tokens: 1000, min_new_tokens: 1000, time_limit: 30 },
    });
    const result = response.result.results[0]!;
    expect(result.stop_reason).toBe('time_limit');
    expect(result.generated_token_count).toBeLessThan(1000);
  });

  it('stops generating when the client goes away, and serves the next request', async () => {
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keel.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'llamacpp:tiny',
        prompt: 'x',
        max_tokens: 100_000,
        min_tokens: 100_000,
        stream: true,
      }),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    // One sequence: this answers only if the abandoned generation released it.
    const started = Date.now();
    const next = await openai.completions.create({ model: 'llamacpp:tiny', prompt: 'y', max_tokens: 4 });
    expect(next.choices[0]!.text.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5000);
    await keel.services.usage.flush();
    const { rows } = await keel.services.db.query<{ status: number }>(
      "SELECT status FROM usage_events WHERE endpoint = '/v1/completions' AND streamed",
    );
    expect(rows.map((row) => row.status)).toContain(499);
  });

  it('answers a corrupt GGUF with a clear error and keeps serving the good one', async () => {
    const error = await openai.chat.completions
      .create({ model: 'llamacpp:broken', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(422);
    expect((error as APIError).code).toBe('model_load_failed');
    expect((error as APIError).message).toContain('broken');
    const ok = await openai.chat.completions.create({
      model: 'llamacpp:tiny',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 2,
    });
    expect(ok.choices[0]!.message.content).toBeDefined();
  });
});
