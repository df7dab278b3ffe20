import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FewShotPool, TemplateBody } from '../api/prompts.js';
import { createEchoProvider } from '../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../testing/test-keel.js';
import { compileTemplate } from './compile-template.js';
import { fewShotIssues, fitPool } from './few-shot-pool.js';
import { renderSections } from './render-template.js';
import { resolveValues } from './variables.js';

const pool: FewShotPool = {
  k: 2,
  examples: [
    { input: 'the parcel came late', output: 'delivery', label: 'delivery' },
    { input: 'the courier lost my parcel', output: 'delivery', label: 'delivery' },
    { input: 'I was charged twice', output: 'billing', label: 'billing' },
    { input: 'the invoice amount is wrong', output: 'billing', label: 'billing' },
    { input: 'the app crashes on login', output: 'app', label: 'app' },
  ],
};

function render(body: TemplateBody, values: Record<string, unknown>) {
  const compiled = compileTemplate(body);
  expect(compiled.issues).toEqual([]);
  return renderSections(compiled.sections, resolveValues(compiled.variables, values).texts);
}

describe('a few-shot pool renders the examples picked for each input', () => {
  const structured: TemplateBody = {
    mode: 'structured',
    instruction: 'Route the complaint.',
    examples: [{ input: 'hello', output: 'other' }],
    test_input: '{{complaint}}',
    few_shot: { ...pool, balance_labels: false, diversity: 0 },
  };

  it('structured: after the own examples, nearest the input, and the same every time', () => {
    const late = render(structured, { complaint: 'my parcel is late again' });
    expect(late).toEqual({
      type: 'text',
      text: [
        'Route the complaint.',
        'Input: hello\nOutput: other',
        'Input: the parcel came late\nOutput: delivery',
        'Input: the courier lost my parcel\nOutput: delivery',
        'Input: my parcel is late again\nOutput:',
      ].join('\n\n'),
    });
    expect(render(structured, { complaint: 'my parcel is late again' })).toEqual(late);
    const charged = render(structured, { complaint: 'charged twice on the invoice' });
    expect(charged.type === 'text' && charged.text).toContain('Input: I was charged twice\nOutput: billing');
    expect(charged.type === 'text' && charged.text).not.toContain('parcel');
  });

  it('keeps labels balanced unless told not to', () => {
    const balanced = render(
      { ...structured, examples: [], few_shot: { ...pool, k: 3 } },
      { complaint: 'my parcel is late again' },
    );
    const text = balanced.type === 'text' ? balanced.text : '';
    expect(text.match(/Output: delivery/g)).toHaveLength(1);
    expect(text).toContain('Output: billing');
    expect(text).toContain('Output: app');
  });

  it('chat: user/assistant turns after the system message; freeform: blocks before the text', () => {
    const chat = render(
      {
        mode: 'chat',
        system: 'Route complaints.',
        messages: [{ role: 'user', content: '{{complaint}}' }],
        few_shot: { ...pool, k: 1 },
      },
      { complaint: 'the app crashes' },
    );
    expect(chat).toEqual({
      type: 'chat',
      messages: [
        { role: 'system', content: 'Route complaints.' },
        { role: 'user', content: 'the app crashes on login' },
        { role: 'assistant', content: 'app' },
        { role: 'user', content: 'the app crashes' },
      ],
    });
    const freeform = render(
      { mode: 'freeform', text: 'Route: {{complaint}}', few_shot: { ...pool, k: 1 } },
      { complaint: 'invoice amount wrong' },
    );
    expect(freeform).toEqual({
      type: 'text',
      text: 'Input: the invoice amount is wrong\nOutput: billing\n\nRoute: invoice amount wrong',
    });
  });

  it('examples are literal text: braces in them are not placeholders', () => {
    const body: TemplateBody = {
      mode: 'freeform',
      text: '{{q}}',
      few_shot: { k: 1, examples: [{ input: 'say {{x}}', output: '{{y}}' }] },
    };
    expect(compileTemplate(body).variables.map((v) => v.name)).toEqual(['q']);
    expect(render(body, { q: 'say' })).toEqual({
      type: 'text',
      text: 'Input: say {{x}}\nOutput: {{y}}\n\nsay',
    });
  });
});

describe('fitting a train split into a pool', () => {
  it('keeps the first items within the count and byte limits, labels included', () => {
    const many = Array.from({ length: 2500 }, (_, i) => ({
      input: `q${i}`,
      output: 'a',
      label: i % 2 ? 'x' : null,
    }));
    const fitted = fitPool(many);
    expect(fitted).toHaveLength(2000);
    expect(fitted[1]).toEqual({ input: 'q1', output: 'a', label: 'x' });
    expect(fitted[0]).toEqual({ input: 'q0', output: 'a' });
    const long = Array.from({ length: 100 }, (_, i) => ({
      input: `${i}${'z'.repeat(10_000)}`,
      output: 'a',
      label: null,
    }));
    const cut = fitPool(long);
    expect(cut.length).toBeLessThan(100);
    expect(cut).toEqual(fitPool(long.slice(0, cut.length)));
    expect(fewShotIssues({ k: 1, examples: cut })).toEqual([]);
    expect(fewShotIssues({ k: 1, examples: fitPool(long.slice(0, cut.length + 1)) })).toEqual([]);
    expect(
      fewShotIssues({
        k: 1,
        examples: long.slice(0, cut.length + 1).map(({ input, output }) => ({ input, output })),
      }),
    ).toMatchObject([{ code: 'few_shot_pool_too_large' }]);
  });
});

describe('few-shot pools over the API', () => {
  let keel: TestKeel;
  beforeAll(async () => {
    keel = await createTestKeel({ providers: [createEchoProvider()] });
  });
  afterAll(async () => {
    await keel?.close();
  });

  const template = (few_shot: unknown): Record<string, unknown> => ({
    mode: 'structured',
    instruction: 'Route the complaint.',
    test_input: '{{complaint}}',
    model_id: 'echo:reverse',
    few_shot,
  });

  it('saves a pool on a version, renders and runs through it; a template without one is unchanged', async () => {
    const created = await keel.call('/api/v1/prompts', {
      json: { name: 'routing', template: template({ ...pool, k: 1, source: 'complaints@2 train' }) },
    });
    expect(created.status).toBe(201);
    const stored = (await (await keel.call('/api/v1/prompts/routing@1')).json()) as {
      template: { few_shot: FewShotPool };
    };
    expect(stored.template.few_shot).toMatchObject({ k: 1, source: 'complaints@2 train' });
    expect(stored.template.few_shot.examples).toHaveLength(5);

    const rendered = (await (
      await keel.call('/api/v1/prompts/routing@1/render', {
        json: { variables: { complaint: 'charged twice' } },
      })
    ).json()) as { prompt: { text: string } };
    expect(rendered.prompt.text).toBe(
      'Route the complaint.\n\nInput: I was charged twice\nOutput: billing\n\nInput: charged twice\nOutput:',
    );
    const run = (await (
      await keel.call('/api/v1/prompts/routing@1/run', {
        json: { variables: { complaint: 'charged twice' } },
      })
    ).json()) as { prompt: { text: string }; status: string };
    expect(run).toMatchObject({ status: 'ok', prompt: { text: rendered.prompt.text } });

    const plain = (await (
      await keel.call('/api/v1/prompts/render', {
        json: {
          template: { ...template(undefined), few_shot: undefined },
          variables: { complaint: 'charged twice' },
        },
      })
    ).json()) as { prompt: { text: string } };
    expect(plain.prompt.text).toBe('Route the complaint.\n\nInput: charged twice\nOutput:');
  });

  it("counts the pool's examples against the pool's limit, not the template's 256 KiB", async () => {
    const long = 'y'.repeat(15_000);
    const examples = Array.from({ length: 20 }, (_, i) => ({ input: `${i} ${long}`, output: 'a' }));
    const response = await keel.call('/api/v1/prompts', {
      json: { name: 'big-pool', template: template({ k: 2, examples }) },
    });
    expect(response.status).toBe(201);
    const big = await keel.call('/api/v1/prompts', {
      json: { name: 'big-text', template: { ...template(undefined), instruction: long.repeat(20) } },
    });
    expect(big.status).toBe(413);
  });

  it('refuses bad pools with coded 400s', async () => {
    const big = 'x'.repeat(19_000);
    const cases: [unknown, string, (string | number)[]][] = [
      [{ ...pool, k: 0 }, 'too_small', ['template', 'few_shot', 'k']],
      [{ ...pool, k: 6 }, 'few_shot_k_exceeds_pool', ['template', 'few_shot', 'k']],
      [{ k: 1, examples: [] }, 'too_small', ['template', 'few_shot', 'examples']],
      [
        { k: 1, examples: [{ input: 'a' }] },
        'invalid_type',
        ['template', 'few_shot', 'examples', 0, 'output'],
      ],
      [
        { k: 1, examples: [{ input: 'a', output: '' }] },
        'too_small',
        ['template', 'few_shot', 'examples', 0, 'output'],
      ],
      [
        { k: 1, examples: Array.from({ length: 2001 }, (_, i) => ({ input: `q${i}`, output: 'a' })) },
        'too_big',
        ['template', 'few_shot', 'examples'],
      ],
      [
        { k: 1, examples: Array.from({ length: 45 }, (_, i) => ({ input: `${i}${big}`, output: 'a' })) },
        'few_shot_pool_too_large',
        ['template', 'few_shot', 'examples'],
      ],
      [{ ...pool, diversity: 2 }, 'too_big', ['template', 'few_shot', 'diversity']],
    ];
    for (const [few_shot, code, path] of cases) {
      const response = await keel.call('/api/v1/prompts', {
        json: { name: 'bad-pool', template: template(few_shot) },
      });
      expect(response.status, code).toBe(400);
      const { error } = (await response.json()) as { error: { issues: { code: string; path: unknown[] }[] } };
      expect(error.issues[0], code).toMatchObject({ code, path });
    }
    expect((await keel.call('/api/v1/prompts/bad-pool')).status).toBe(404);
  });
});
