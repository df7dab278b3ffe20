/**
 * An adapter fetched from a URL with the model pull (`POST /api/v1/models/pulls`, served here by a
 * local HTTP server), then registered from the models directory: `keel models list` shows the
 * pulled file as an adapter, and once registered it answers as `llamacpp:tiny+<name>` on real
 * llama.cpp (threads: 1).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaCppProvider } from '../../../models/providers/llamacpp/index.js';
import { sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { ensureTinyGguf } from '../../../testing/tiny-gguf.js';
import { buildTinyLoraGguf } from '../../../testing/tiny-lora-gguf.js';

let keel: TestKeel;
let upstream: Server;
let url: string;
const lora = buildTinyLoraGguf({ seed: 17 });

beforeAll(async () => {
  upstream = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': lora.length });
    response.end(lora);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/support-tone.gguf`;
  keel = await createTestKeel({
    config: { security: { allowPrivateNetworkFetch: true } },
    providers: (config) => [
      createLlamaCppProvider({
        modelsDir: path.join(config.dataDir, 'models'),
        threads: 1,
        contextSize: 256,
        sequences: 1,
        maxLoadedModels: 1,
      }),
    ],
  });
  await ensureTinyGguf(path.join(keel.dataDir, 'models'));
});
afterAll(async () => {
  await keel?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('an adapter pulled from a URL', () => {
  it('is listed as an adapter, registers from the models directory and serves', {
    timeout: 240_000,
  }, async () => {
    const sdk = sdkClient(keel);
    const started = await sdk.models.pulls.start({ source: url, name: 'support-tone' });
    let pull = started;
    for await (const state of sdk.models.pulls.follow(started.id)) pull = state;
    expect(pull.status, JSON.stringify(pull.error)).toBe('succeeded');

    const { models } = await sdk.models.overview();
    const listed = models.find((m) => m.id === 'llamacpp:support-tone');
    expect(listed).toMatchObject({ kinds: [], details: { adapter: 'lora' } });

    const registered = await sdk.adapters.register({
      name: 'support-tone',
      base_model: 'llamacpp:tiny',
      path: 'support-tone.gguf',
    });
    expect(registered).toMatchObject({ model: 'llamacpp:tiny+support-tone', source: 'support-tone.gguf' });
    const answer = await keel.call('/v1/chat/completions', {
      json: {
        model: 'llamacpp:tiny+support-tone',
        messages: [{ role: 'user', content: 'hello' }],
        temperature: 0,
        max_tokens: 6,
      },
    });
    expect(answer.status).toBe(200);
    expect((await answer.json()).choices[0].message.content.length).toBeGreaterThan(0);
  });
});
