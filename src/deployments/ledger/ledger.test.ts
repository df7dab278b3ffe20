import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { createRuntime, type KeelRuntime } from '../../server/runtime.js';
import type { CallContext, StreamPart } from '../../spec/language-model.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';
import { estimateTokens, runForDeployment } from './ledger-middleware.js';

let keel: TestKeel;
let second: KeelRuntime;
let projectId: string;
const model = 'echo:reverse';
// Eight words: the estimate (8) equals what the echo model counts, and it answers with 8 words.
const prompt = 'a b c d e f g h';

const context = (keyId: string | null = null): CallContext => ({ projectId, keyId, endpoint: 'test' });

async function setLimit(body: Record<string, unknown>) {
  const response = await keel.call('/api/v1/limits', { method: 'PUT', json: body });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string };
}

async function removeLimits() {
  for (const limit of await keel.services.limits.list(projectId))
    await keel.services.limits.remove(projectId, limit.id);
}

beforeAll(async () => {
  keel = await createTestKeel();
  projectId = (await keel.services.keys.authenticate(keel.adminKey))!.defaultProjectId;
  // A second replica over the same database: the ledger is in the database, not in either process.
  second = await createRuntime(keel.config, {
    db: keel.services.db,
    logger: silentLogger,
    providers: [createEchoProvider()],
    processMetrics: false,
  });
});

afterEach(async () => {
  await removeLimits();
});

afterAll(async () => {
  await second?.close();
  await keel?.close();
});

describe('the ledger', () => {
  it('estimates tokens without a tokenizer', () => {
    expect(estimateTokens(prompt)).toBe(8);
    expect(estimateTokens('alpha bravo charlie delta')).toBe(7);
    expect(estimateTokens('서울의 인구')).toBe(6);
    expect(estimateTokens('')).toBe(0);
  });

  it('lets a project without limits through, with no limits listed', async () => {
    const outcome = await keel.services.generation.generate(
      { model, prompt: { type: 'text', text: prompt } },
      context(),
    );
    expect(outcome.text).toBe('h g f e d c b a');
    const response = await keel.call('/api/v1/limits');
    expect(await response.json()).toEqual({ limits: [] });
  });

  it('refuses past requests per minute with 429, naming the limit, Retry-After and rate-limit headers', async () => {
    await setLimit({ scope_type: 'project', scope_id: projectId, metric: 'requests_per_minute', limit: 2 });
    const ask = () =>
      keel.call('/v1/chat/completions', {
        json: { model, messages: [{ role: 'user', content: 'hello there' }] },
      });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.headers.get('x-ratelimit-limit')).toBe('2');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(refused.headers.get('x-ratelimit-scope')).toBe('project-requests_per_minute');
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toMatch(/project requests per minute of 2 is reached/);
    await keel.services.ledger.drain();
    const listed = (await (await keel.call('/api/v1/limits')).json()) as {
      limits: { metric: string; used: number; reserved: number; remaining: number }[];
    };
    expect(listed.limits).toMatchObject([
      { metric: 'requests_per_minute', used: 2, reserved: 0, remaining: 0 },
    ]);
    await removeLimits();
  });

  it('lets exactly 50 of 200 concurrent calls through a budget for 50, across two replicas, with zero overrun', async () => {
    // Each call holds 8 input + 8 output tokens and uses exactly that.
    await setLimit({ scope_type: 'project', scope_id: projectId, metric: 'token_budget', limit: 50 * 16 });
    const call = (index: number) =>
      (index % 2 ? second.services : keel.services).generation.generate(
        { model, prompt: { type: 'text', text: prompt }, parameters: { maxNewTokens: 8 } },
        context(),
      );
    const outcomes = await Promise.allSettled(Array.from({ length: 200 }, (_, index) => call(index)));
    const succeeded = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    const refused = outcomes.filter(
      (outcome) =>
        outcome.status === 'rejected' && (outcome.reason as { code?: string }).code === 'rate_limited',
    ).length;
    expect(succeeded).toBe(50);
    expect(refused).toBe(150);
    await Promise.all([keel.services.ledger.drain(), second.services.ledger.drain()]);
    const [usage] = await keel.services.limits.usage(projectId, () => 0);
    expect(usage).toMatchObject({ used: 800, reserved: 0 });
    await removeLimits();
  });

  it('stops a stream that runs past its budget cleanly, saying why, with its usage booked', async () => {
    const long = Array.from({ length: 200 }, (_, index) => `w${index}`).join(' ');
    await setLimit({ scope_type: 'project', scope_id: projectId, metric: 'token_budget', limit: 300 });
    const outcome = await keel.services.generation.stream(
      { model, prompt: { type: 'text', text: long } },
      context(),
    );
    const parts: StreamPart[] = [];
    for await (const part of outcome.stream) parts.push(part);
    const last = parts.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.error.code).toBe('rate_limited');
    expect(last.type === 'error' && last.error.message).toMatch(/stream stopped.*token budget/);
    const words = parts.filter((part) => part.type === 'text-delta').length;
    expect(words).toBeGreaterThan(0);
    expect(words).toBeLessThan(200);
    await keel.services.ledger.drain();
    const [usage] = await keel.services.limits.usage(projectId, () => 0);
    expect(usage!.reserved).toBe(0);
    // The input and the output produced before the stop (estimated: the stream never finished).
    expect(usage!.used).toBeGreaterThanOrEqual(200 + words);
    expect(usage!.used).toBeLessThanOrEqual(300);
    await removeLimits();
  });

  it('checks a key scoped to deployments, and the API refuses what does not fit', async () => {
    const created = await keel.services.keys.create({
      organizationId: (await keel.services.keys.authenticate(keel.adminKey))!.organizationId,
      projectId,
      name: 'scoped',
      role: 'editor',
    });
    const scoped = await keel.call(`/api/v1/limits/keys/${created.key.id}/deployments`, {
      method: 'PUT',
      json: { deployments: ['dep_one'] },
    });
    expect(await scoped.json()).toEqual({ deployments: ['dep_one'] });
    const direct = await keel.call('/v1/chat/completions', {
      key: created.secret,
      json: { model, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(direct.status).toBe(403);
    const other = keel.services.generation.generate(
      {
        model,
        prompt: { type: 'text', text: 'hi' },
        middlewareOptions: { ledger: { deploymentId: 'dep_two' } },
      },
      context(created.key.id),
    );
    await expect(other).rejects.toMatchObject({ code: 'forbidden' });
    const own = await keel.services.generation.generate(
      {
        model,
        prompt: { type: 'text', text: 'hi' },
        middlewareOptions: { ledger: { deploymentId: 'dep_one' } },
      },
      context(created.key.id),
    );
    expect(own.text).toBe('hi');
    const served = await runForDeployment('dep_one', () =>
      keel.services.generation.generate(
        { model, prompt: { type: 'text', text: 'yo' } },
        context(created.key.id),
      ),
    );
    expect(served.text).toBe('yo');

    const badPeriod = await keel.call('/api/v1/limits', {
      method: 'PUT',
      json: {
        scope_type: 'project',
        scope_id: projectId,
        metric: 'token_budget',
        limit: 5,
        period: 'minute',
      },
    });
    expect(badPeriod.status).toBe(400);
    const unknownKey = await keel.call('/api/v1/limits', {
      method: 'PUT',
      json: { scope_type: 'key', scope_id: 'key_nope', metric: 'token_budget', limit: 5 },
    });
    expect(unknownKey.status).toBe(404);
    const tooBig = await setLimit({
      scope_type: 'project',
      scope_id: projectId,
      metric: 'tokens_per_minute',
      limit: 3,
    });
    const refused = await keel.call('/v1/chat/completions', {
      json: { model, messages: [{ role: 'user', content: prompt }] },
    });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /needs .* but the project tokens per minute is 3/,
    );
    expect((await keel.call(`/api/v1/limits/${tooBig.id}`, { method: 'DELETE' })).status).toBe(204);
  });
});
