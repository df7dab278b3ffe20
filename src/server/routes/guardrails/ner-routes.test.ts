import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../../sdk/client.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { writeTinyOnnxHapClassifier, writeTinyOnnxNer } from '../../../testing/tiny-onnx-ner.js';

let dir: string;
let keel: TestKeel;
let sdk: KeelClient;
const sent: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'keel-ner-routes-'));
  const nerModel = await writeTinyOnnxNer(path.join(dir, 'tiny-ner'));
  const hapModel = await writeTinyOnnxHapClassifier(path.join(dir, 'tiny-hap'));
  keel = await createTestKeel({
    config: { guardrails: { nerModel, hapModel } },
    providers: [
      createEchoProvider({
        name: 'parrot',
        respond: (options: LanguageModelCallOptions) => {
          const prompt =
            options.prompt.type === 'text' ? options.prompt.text : options.prompt.messages.at(-1)!.content;
          sent.push(prompt);
          return 'ok';
        },
      }),
    ],
  });
  sdk = sdkClient(keel);
});
afterAll(async () => {
  await keel?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('guardrails with a NER model and a HAP classifier configured', () => {
  it('reports what the HAP classifier finds, and blocks it in the request path', async () => {
    const result = await sdk.guardrails.check({ text: 'They are vermin.', detectors: ['hap'] });
    expect(result.spans.find((span) => span.detector === 'onnx-hap')).toMatchObject({ type: 'hate' });
    await sdk.guardrails.policies.put('default', {});
    sent.length = 0;
    const blocked = await keel.call('/v1/chat/completions', {
      json: { model: 'parrot:reverse', messages: [{ role: 'user', content: 'They are vermin.' }] },
    });
    expect(blocked.status).toBe(422);
    expect(sent).toEqual([]);
    await sdk.guardrails.policies.delete('default');
  });

  it('reports names the model finds beside the rules', async () => {
    const result = await sdk.guardrails.check({
      text: 'I moved to Busan last year.',
      detectors: ['pii'],
      include_text: true,
    });
    const place = result.spans.find((span) => span.detector === 'onnx-ner')!;
    expect(place).toMatchObject({ type: 'LOCATION', text: 'Busan', version: '1.0.0+tiny-ner' });
  });

  it('pseudonymises model-found names before the model sees them', async () => {
    await sdk.guardrails.policies.put('default', {
      input: { pii: { action: 'pseudonymise' } },
      output: { pii: { enabled: false } },
    });
    sent.length = 0;
    await sdk.chatCompletion({
      model: 'parrot:reverse',
      messages: [{ role: 'user', content: '김민수는 부산에서 일한다.' }],
    });
    expect(sent.at(-1)).toBe('[PERSON_1]는 [LOCATION_1]에서 일한다.');
    await sdk.guardrails.policies.delete('default');
  });
});
