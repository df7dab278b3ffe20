import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent, TemplateBody } from '../../../api/prompts.js';
import { KeelError } from '../../../core/errors.js';
import type { KeelClient } from '../../../sdk/client.js';
import { KeelApiError } from '../../../sdk/errors.js';
import type { LanguageModelCallOptions } from '../../../spec/language-model.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;
const seen: { provider: string; options: LanguageModelCallOptions }[] = [];

/** A model that answers JSON: valid for prompts that say "good", broken the first time otherwise. */
function jsonAnswer(provider: string) {
  return (options: LanguageModelCallOptions) => {
    seen.push({ provider, options });
    const text =
      options.prompt.type === 'text'
        ? options.prompt.text
        : options.prompt.messages.map((m) => m.content).join('\n');
    if (text.includes('always-bad')) return 'not json at all';
    if (text.includes('good') || text.includes('does not match') || text.includes('맞지 않습니다')) {
      return '```json\n{"category":"delivery","urgency":"low"}\n```';
    }
    return '{"category":"weather"}';
  };
}

const classify: TemplateBody = {
  mode: 'freeform',
  text: 'Classify: {{complaint}}',
  model_id: 'echo:reverse',
  output_schema: {
    type: 'object',
    properties: { category: { enum: ['delivery', 'billing'] }, urgency: { enum: ['low', 'high'] } },
    required: ['category', 'urgency'],
  },
};

const clientFor = (key: string) => sdkClient(keel, key);

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [
      createEchoProvider(),
      createEchoProvider({ name: 'plain', respond: jsonAnswer('plain') }),
      createEchoProvider({
        name: 'grammar',
        respond: jsonAnswer('grammar'),
        capabilities: { structuredOutput: 'grammar' },
      }),
      createEchoProvider({
        name: 'native',
        respond: jsonAnswer('native'),
        capabilities: { structuredOutput: 'native', tokenize: false },
      }),
      createEchoProvider({ name: 'tiny', contextLength: 60 }),
      createEchoProvider({
        name: 'down',
        failOn: { text: 'boom', error: new KeelError('upstream_unavailable', 'The model server is down.') },
      }),
    ],
  });
  sdk = clientFor(keel.adminKey);
  await sdk.prompts.create({
    name: 'greet',
    template: {
      mode: 'chat',
      system: 'You are {{persona}}.',
      messages: [{ role: 'user', content: 'say hello to {{name}} {{times}} times' }],
      variables: [
        { name: 'persona', default: 'kind' },
        { name: 'times', type: 'integer' },
      ],
      model_id: 'echo:reverse',
    },
  });
  await sdk.prompts.setLabel('greet', 'production', { version: 1 });
});
afterAll(async () => {
  await keel?.close();
});

describe('render and run', () => {
  it('renders with defaults and an exact token count, and runs name@label', async () => {
    const rendered = await sdk.prompts.render({ prompt: 'greet', variables: { name: 'Mina', times: 2 } });
    expect(rendered.prompt).toEqual({
      type: 'chat',
      messages: [
        { role: 'system', content: 'You are kind.' },
        { role: 'user', content: 'say hello to Mina 2 times' },
      ],
    });
    // The echo tokenizer counts words (3 + 6), plus the estimated framing of two chat messages.
    expect(rendered.tokens).toMatchObject({
      input_tokens: 9 + 8,
      method: 'tokenizer',
      exact: false,
      max_new_tokens: 200,
      context_length: 4096,
    });
    const run = await sdk.prompts.run({ prompt: 'greet@production', variables: { name: 'Mina', times: 2 } });
    expect(run).toMatchObject({
      status: 'ok',
      output: 'times 2 Mina to hello say',
      template: { name: 'greet', version: 1 },
      model: 'echo:reverse',
      variables: { persona: 'kind', name: 'Mina', times: 2 },
      usage: { input_tokens: 6, output_tokens: 6 },
      finish_reason: 'eos_token',
      error: null,
    });
    expect(run.latency_ms).toBeGreaterThanOrEqual(0);
    // The application route does the same.
    const byPath = await keel.call('/api/v1/prompts/greet@production/run', {
      json: { variables: { name: 'Jun', times: 1 } },
    });
    expect((await byPath.json()).output).toBe('times 1 Jun to hello say');
  });

  it('names missing, unknown and mistyped variables with coded errors', async () => {
    const missing = await apiError(sdk.prompts.run({ prompt: 'greet', variables: { times: 1 } }));
    expect(missing).toMatchObject({ status: 400, code: 'missing_variable' });
    expect(missing.message).toContain('"name"');
    expect(missing.issues).toEqual([
      { code: 'missing_variable', path: ['variables', 'name'], message: '"name" is required' },
    ]);
    const unknown = await apiError(
      sdk.prompts.run({ prompt: 'greet', variables: { name: 'a', times: 1, nmae: 'b' } }),
    );
    expect(unknown).toMatchObject({ code: 'invalid_request' });
    expect(unknown.issues[0]).toMatchObject({ code: 'unknown_variable', path: ['variables', 'nmae'] });
    const typed = await apiError(sdk.prompts.run({ prompt: 'greet', variables: { name: 'a', times: '2' } }));
    expect(typed.issues[0]).toMatchObject({ code: 'invalid_type', path: ['variables', 'times'] });
    expect(typed.issues[0]!.message).toContain('expected an integer');
    const noModel = await apiError(sdk.prompts.run({ template: { mode: 'freeform', text: 'x' } }));
    expect(noModel.issues[0]!.path).toEqual(['model']);
    const both = await apiError(
      sdk.prompts.run({ prompt: 'greet', template: { mode: 'freeform', text: 'x' } }),
    );
    expect(both.code).toBe('invalid_request');
  });

  it('refuses a prompt that does not fit the context window, with the counts, and records it', async () => {
    const long = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
    const error = await apiError(
      sdk.prompts.run({
        template: { mode: 'freeform', text: '{{t}}' },
        model: 'tiny:reverse',
        variables: { t: long },
        parameters: { max_new_tokens: 20 },
      }),
    );
    expect(error).toMatchObject({ status: 400, code: 'context_length_exceeded' });
    expect(error.data).toMatchObject({
      input_tokens: 50,
      max_new_tokens: 20,
      context_length: 60,
      remaining: -10,
    });
    expect(error.message).toContain('60-token context window of tiny:reverse');
    const recorded = await sdk.prompts.runs.get(error.data.runId as string);
    expect(recorded).toMatchObject({ status: 'error', error: { code: 'context_length_exceeded' } });
    // Fits once truncation keeps only the last 30 tokens.
    const ok = await sdk.prompts.run({
      template: { mode: 'freeform', text: '{{t}}' },
      model: 'tiny:reverse',
      variables: { t: long },
      parameters: { max_new_tokens: 20, truncate_input_tokens: 30 },
    });
    expect(ok.tokens).toMatchObject({ input_tokens: 50, remaining: 10 });
  });

  it('estimates tokens, marked as such, when the provider cannot count them', async () => {
    const rendered = await sdk.prompts.render({
      template: { mode: 'freeform', text: '안녕하세요 abcdefgh' },
      model: 'native:reverse',
    });
    expect(rendered.tokens).toMatchObject({ method: 'estimate', exact: false, input_tokens: 5 + 3 });
  });

  it('streams a run as start, deltas and the recorded result', async () => {
    const events: RunEvent[] = [];
    for await (const event of sdk.prompts.runStream({
      prompt: 'greet',
      variables: { name: 'Mina', times: 3 },
    }))
      events.push(event);
    expect(events[0]).toMatchObject({ type: 'start', model: 'echo:reverse' });
    const text = events.flatMap((event) => (event.type === 'delta' ? [event.text] : [])).join('');
    expect(text).toBe('times 3 Mina to hello say');
    const result = events.at(-1)!;
    expect(result.type).toBe('result');
    if (result.type !== 'result') return;
    expect(result.run.output).toBe(text);
    expect((await sdk.prompts.runs.get(result.run.id)).output).toBe(text);
  });

  it('reports an upstream failure with the recorded run id, streamed or not', async () => {
    const failed = await apiError(
      sdk.prompts.run({ template: { mode: 'freeform', text: 'boom' }, model: 'down:reverse' }),
    );
    expect(failed).toMatchObject({ status: 502, code: 'upstream_unavailable' });
    expect((await sdk.prompts.runs.get(failed.data.runId as string)).status).toBe('error');
    const streamed = await keel.call('/api/v1/prompt-runs', {
      json: { template: { mode: 'freeform', text: 'boom' }, model: 'down:reverse', stream: true },
    });
    expect(streamed.status).toBe(502);
  });

  it('warns about sampling settings under greedy decoding', async () => {
    const run = await sdk.prompts.run({
      template: { mode: 'freeform', text: 'a b', parameters: { temperature: 0.7 } },
      model: 'echo:reverse',
    });
    expect(run.warnings.map((w) => w.setting)).toEqual(['temperature']);
  });

  it("applies the template's guardrail policy, and refuses one that does not exist", async () => {
    const template: TemplateBody = {
      mode: 'freeform',
      text: 'Reply to {{who}}',
      guardrail_policy: 'pii-strict',
      model_id: 'grammar:reverse',
    };
    const missing = await sdk.prompts
      .run({ template, variables: { who: 'kim@example.com' } })
      .catch((e) => e);
    expect(missing).toBeInstanceOf(KeelApiError);
    expect((missing as KeelApiError).code).toBe('not_found');

    await sdk.guardrails.policies.put('pii-strict', { input: { pii: { action: 'mask' } } });
    seen.length = 0;
    const run = await sdk.prompts.run({ template, variables: { who: 'kim@example.com' } });
    const sent = seen.at(-1)!.options.prompt;
    const sentText = sent.type === 'text' ? sent.text : sent.messages.map((m) => m.content).join('\n');
    expect(sentText).toContain('[EMAIL]');
    expect(sentText).not.toContain('kim@example.com');
    expect(run.status).toBe('ok');
    await sdk.guardrails.policies.delete('pii-strict');
  });
});

describe('structured output', () => {
  it('passes the schema as a grammar or natively, and validates the answer', async () => {
    for (const provider of ['grammar', 'native']) {
      seen.length = 0;
      const run = await sdk.prompts.run({
        template: { ...classify, text: 'good: {{complaint}}' },
        model: `${provider}:reverse`,
        variables: { complaint: 'late' },
      });
      expect(run).toMatchObject({
        structured_output: provider,
        attempts: 1,
        json: { category: 'delivery', urgency: 'low' },
        issues: [],
      });
      expect(seen[0]!.options.responseFormat).toEqual({ type: 'json', schema: classify.output_schema });
      expect(run.prompt).toEqual({ type: 'text', text: 'good: late' });
    }
  });

  it('validates after the fact and retries once, showing the model the issues', async () => {
    seen.length = 0;
    const run = await sdk.prompts.run({
      template: classify,
      model: 'plain:reverse',
      variables: { complaint: 'late parcel' },
    });
    expect(run).toMatchObject({
      structured_output: 'validated',
      attempts: 2,
      status: 'ok',
      json: { category: 'delivery', urgency: 'low' },
      issues: [],
    });
    expect(seen).toHaveLength(2);
    expect(seen[0]!.options.responseFormat).toBeUndefined();
    const first = seen[0]!.options.prompt;
    expect(first.type === 'text' && first.text.startsWith('Answer with JSON only')).toBe(true);
    const retry = seen[1]!.options.prompt;
    expect(retry.type === 'text' && retry.text).toContain('{"category":"weather"}');
    expect(retry.type === 'text' && retry.text).toContain(
      '- category: must be equal to one of the allowed values',
    );
    expect(retry.type === 'text' && retry.text).toContain('- urgency: must have required property');
    expect(run.usage.input_tokens).toBeGreaterThan(0);
  });

  it('reports issues[] when the retry is still invalid, in Korean prompts too', async () => {
    seen.length = 0;
    const run = await sdk.prompts.run({
      template: { ...classify, text: '분류하세요 always-bad {{complaint}}' },
      model: 'plain:reverse',
      variables: { complaint: '환불' },
    });
    expect(run.attempts).toBe(2);
    expect(run.issues).toEqual([
      { code: 'invalid_json', path: [], message: expect.stringContaining('not JSON') },
    ]);
    expect(run.json).toBeUndefined();
    expect(run.warnings.at(-1)!.setting).toBe('output_schema');
    const first = seen[0]!.options.prompt;
    expect(first.type === 'text' && first.text).toContain('JSON 스키마에 맞는 JSON만으로 답하세요');
  });

  it('streams the retry as an event', async () => {
    const types: string[] = [];
    for await (const event of sdk.prompts.runStream({
      template: classify,
      model: 'plain:reverse',
      variables: { complaint: 'x' },
    }))
      types.push(event.type);
    expect(types[0]).toBe('start');
    expect(types).toContain('retry');
    expect(types.at(-1)).toBe('result');
  });
});

describe('history and sessions', () => {
  it('searches runs by text (Korean substrings too), model, template and date', async () => {
    await sdk.prompts.run({
      template: { mode: 'freeform', text: '회의록을 요약해 주세요: {{m}}' },
      model: 'echo:reverse',
      variables: { m: '예산안' },
    });
    const korean = await sdk.prompts.runs.search({ q: '회의록' });
    expect(korean.runs).toHaveLength(1);
    expect((await sdk.prompts.runs.search({ q: '예산' })).runs).toHaveLength(1);
    expect((await sdk.prompts.runs.search({ q: '회의록 없는단어' })).runs).toHaveLength(0);
    const byTemplate = await sdk.prompts.runs.search({ template: 'greet' });
    expect(byTemplate.runs.length).toBeGreaterThan(0);
    expect(byTemplate.runs.every((run) => run.template?.name === 'greet')).toBe(true);
    expect(
      (await sdk.prompts.runs.search({ model: 'plain:reverse' })).runs.every(
        (run) => run.model === 'plain:reverse',
      ),
    ).toBe(true);
    expect((await sdk.prompts.runs.search({ status: 'error' })).runs.length).toBeGreaterThan(0);
    expect(
      (await sdk.prompts.runs.search({ from: new Date(Date.now() + 60_000).toISOString() })).runs,
    ).toEqual([]);
    const page = await sdk.prompts.runs.search({ limit: 2 });
    expect(page.runs).toHaveLength(2);
    const next = await sdk.prompts.runs.search({ limit: 2, before: page.next! });
    expect(next.runs[0]!.id < page.runs[1]!.id).toBe(true);
    expect((await sdk.prompts.runs.search({ q: '100%' })).runs).toEqual([]);
  });

  it('records runs in a session, locks it against other editors and restores a run into a draft', async () => {
    const alice = clientFor(
      (await (await keel.call('/api/v1/keys', { json: { name: 'alice', role: 'editor' } })).json()).key,
    );
    const bob = clientFor(
      (await (await keel.call('/api/v1/keys', { json: { name: 'bob', role: 'editor' } })).json()).key,
    );
    const session = await alice.prompts.sessions.create({ name: '인사말 실험' });
    const run = await alice.prompts.run({
      prompt: 'greet',
      variables: { name: 'Mina', times: 1 },
      session_id: session.id,
    });
    expect(run.session_id).toBe(session.id);
    expect((await alice.prompts.sessions.runs(session.id)).runs.map((r) => r.id)).toEqual([run.id]);

    const locked = await alice.prompts.sessions.lock(session.id);
    expect(locked.locked_by_me).toBe(true);
    expect(await apiError(bob.prompts.sessions.save(session.id, { name: 'mine now' }))).toMatchObject({
      status: 409,
      code: 'locked',
    });
    expect(await apiError(bob.prompts.sessions.lock(session.id))).toMatchObject({
      status: 409,
      code: 'locked',
    });
    expect(
      await apiError(
        bob.prompts.run({ prompt: 'greet', variables: { name: 'x', times: 1 }, session_id: session.id }),
      ),
    ).toMatchObject({ code: 'locked' });
    expect(await apiError(bob.prompts.sessions.unlock(session.id, { force: true }))).toMatchObject({
      status: 403,
    });
    expect((await bob.prompts.sessions.get(session.id)).name).toBe('인사말 실험');

    const draft = { template: { mode: 'freeform' as const, text: 'v2 {{x}}' }, variables: { x: 1 } };
    const saved = await alice.prompts.sessions.save(session.id, { draft, base_revision: locked.revision });
    expect(saved.revision).toBe(locked.revision + 1);
    expect(
      await apiError(alice.prompts.sessions.save(session.id, { name: 'n', base_revision: locked.revision })),
    ).toMatchObject({ code: 'conflict' });
    await alice.prompts.sessions.unlock(session.id);
    expect((await bob.prompts.sessions.save(session.id, { name: 'shared' })).name).toBe('shared');

    const restored = await bob.prompts.runs.restore(run.id);
    expect(restored.id).not.toBe(session.id);
    expect(restored.draft).toEqual({
      template: { ...(await sdk.prompts.get('greet@1')).template, parameters: {} },
      variables: { persona: 'kind', name: 'Mina', times: 1 },
      origin: { template: 'greet', version: 1, run_id: run.id },
    });
    const into = await bob.prompts.runs.restore(run.id, { session_id: session.id });
    expect(into.id).toBe(session.id);
    expect((await sdk.prompts.sessions.list()).sessions.length).toBeGreaterThanOrEqual(2);
    await sdk.prompts.sessions.lock(session.id);
    expect(await apiError(bob.prompts.sessions.delete(session.id))).toMatchObject({ code: 'locked' });
    expect((await sdk.prompts.sessions.unlock(session.id)).locked_by).toBeNull();
  });
});
