import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../sdk/client.js';
import type { LanguageModelCallOptions } from '../spec/language-model.js';
import { createEchoProvider } from '../testing/echo-provider.js';
import { sdkClient } from '../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';

let keel: TestKeel;
let admin: KeelClient;
let editorKey: string;
const sentToModel: string[] = [];

function parrot(options: LanguageModelCallOptions): string {
  const prompt =
    options.prompt.type === 'text' ? options.prompt.text : options.prompt.messages.at(-1)!.content;
  sentToModel.push(prompt);
  return `You said ${prompt}`;
}

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider({ name: 'parrot', respond: parrot })] });
  admin = sdkClient(keel, keel.adminKey);
  editorKey = (await admin.keys.create({ name: 'editor', role: 'editor' })).key;
});
afterAll(async () => {
  await keel?.close();
});

const resident = '주민번호 900101-1234568 입니다';

function generate(key: string, moderations: unknown) {
  return keel.call('/ml/v1/text/generation?version=2024-05-31', {
    key,
    json: { model_id: 'parrot:reverse', input: resident, moderations },
  });
}

describe('request-level moderations against the project policy', () => {
  it('cannot switch off a check of the default policy without a grant, and the attempt is recorded', async () => {
    await admin.guardrails.policies.put('default', {});
    try {
      sentToModel.length = 0;
      const response = await generate(editorKey, { hap: { input: { enabled: false } } });
      expect(response.status).toBe(200);
      // The project masks PII on input: the number never reaches the model.
      expect(sentToModel).toHaveLength(1);
      expect(sentToModel[0]).not.toContain('900101-1234568');
      expect(response.headers.get('x-keel-guardrail-policy')).toBe('default+request');
      expect(response.headers.get('x-keel-guardrail-overrides')).toBe('input.hap.enabled=refused');
      const decisions = await keel.services.guardrails.decisions(keel.services.installation.defaultProjectId);
      expect(decisions).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            detector: 'request-override',
            detector_version: 'refused',
            entity_type: 'hap.enabled',
          }),
          expect.objectContaining({ detector: 'pii', entity_type: 'KR_RRN' }),
        ]),
      );
    } finally {
      await admin.guardrails.policies.delete('default');
    }
  });

  it('still lets a request add checks and tighten thresholds', async () => {
    await admin.guardrails.policies.put('default', { input: { pii: { enabled: false } } });
    try {
      sentToModel.length = 0;
      const response = await generate(editorKey, {
        pii: { input: { enabled: true }, mask: { remove_entity_value: true } },
      });
      expect(response.status).toBe(200);
      expect(sentToModel[0]).not.toContain('900101-1234568');
      expect(response.headers.get('x-keel-guardrail-overrides')).toBeNull();
    } finally {
      await admin.guardrails.policies.delete('default');
    }
  });

  it('loosens only for roles the policy grants it to, recording each loosening as applied', async () => {
    await admin.guardrails.policies.put('default', {
      input: { pii: { action: 'mask' } },
      allowRequestOverrides: ['editor'],
    });
    try {
      sentToModel.length = 0;
      const response = await generate(editorKey, { pii: { input: { enabled: false } } });
      expect(sentToModel[0]).toBe(resident);
      expect(response.headers.get('x-keel-guardrail-overrides')).toBe('input.pii.enabled=applied');
    } finally {
      await admin.guardrails.policies.delete('default');
    }
  });

  it('enforces a saved policy on the next call and forgets a deleted one (cached, invalidated on change)', async () => {
    sentToModel.length = 0;
    await generate(editorKey, undefined);
    expect(sentToModel.at(-1)).toBe(resident);
    await admin.guardrails.policies.put('default', {});
    await generate(editorKey, undefined);
    expect(sentToModel.at(-1)).not.toContain('900101-1234568');
    await admin.guardrails.policies.delete('default');
    await generate(editorKey, undefined);
    expect(sentToModel.at(-1)).toBe(resident);
  });
});
