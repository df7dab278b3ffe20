/**
 * Prompt Lab on real llama.cpp (the tiny random-weight GGUF): the schema reaches the model as a
 * grammar, token budgets come from the model's own tokenizer, and the context window is the
 * configured one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../core/errors.js';
import type { TestKeel } from '../testing/test-keel.js';
import { startTinyLlamaKeel, type TinyLlamaKeel } from '../testing/tiny-llamacpp-keel.js';
import type { Caller } from './prompt-lab.js';
import { runPrompt } from './prompt-runner.js';

let tiny: TinyLlamaKeel;
let keel: TestKeel;
const caller = () =>
  ({
    projectId: keel.services.installation.defaultProjectId,
    keyId: null,
    actor: 'tester',
    endpoint: '/test',
  }) satisfies Caller & { endpoint: string };

beforeAll(async () => {
  tiny = await startTinyLlamaKeel('keel-prompts-llamacpp-');
  keel = tiny.keel;
});
afterAll(async () => {
  await tiny?.close();
});

describe('Prompt Lab on llama.cpp', () => {
  it('decodes under the output schema’s grammar, so the answer validates on the first attempt', async () => {
    const lab = keel.services.prompts;
    const source = await lab.source(caller().projectId, {
      template: {
        mode: 'chat',
        system: '불만을 분류하세요.',
        messages: [{ role: 'user', content: '{{complaint}}' }],
        model_id: 'llamacpp:tiny',
        parameters: { decoding_method: 'sample', random_seed: 3, max_new_tokens: 40 },
        output_schema: {
          type: 'object',
          properties: { category: { enum: ['delivery', 'billing'] }, urgent: { type: 'boolean' } },
          required: ['category', 'urgent'],
          additionalProperties: false,
        },
      },
    });
    const run = await runPrompt(lab, caller(), {
      source,
      variables: { complaint: '배송이 일주일째 오지 않아요.' },
    });
    expect(run).toMatchObject({ status: 'ok', structured_output: 'grammar', attempts: 1, issues: [] });
    expect(['delivery', 'billing']).toContain((run.json as { category: string }).category);
    expect(typeof (run.json as { urgent: unknown }).urgent).toBe('boolean');
    expect(run.tokens).toMatchObject({
      method: 'tokenizer',
      exact: false,
      context_length: 512,
      max_new_tokens: 40,
    });
    expect(run.cost).toEqual({ currency: 'USD', input: 0, output: 0, total: 0 });
  });

  it('counts text prompts exactly and refuses what does not fit the configured context', async () => {
    const lab = keel.services.prompts;
    const rendered = await lab.render(caller(), {
      template: { mode: 'freeform', text: 'Once upon a time' },
      model: 'llamacpp:tiny',
    });
    expect(rendered.tokens).toMatchObject({ method: 'tokenizer', exact: true, context_length: 512 });
    expect(rendered.tokens.input_tokens).toBeGreaterThan(0);
    const refused = await lab
      .render(caller(), { template: { mode: 'freeform', text: 'word '.repeat(400) }, model: 'llamacpp:tiny' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(KeelError);
    expect((refused as KeelError).code).toBe('context_length_exceeded');
    expect((refused as KeelError).data).toMatchObject({
      method: 'tokenizer',
      max_new_tokens: 200,
      context_length: 512,
    });
  });
});
