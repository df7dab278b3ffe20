import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError } from '../../../core/errors.js';
import { type FakeWatsonx, startFakeWatsonx } from '../../../testing/fake-upstreams/index.js';
import { IamTokenSource } from './iam-token-source.js';

let upstream: FakeWatsonx;
const dispatcher = new Agent();

beforeAll(async () => {
  upstream = await startFakeWatsonx({ apiKey: 'right-key', tokenTtlSeconds: 1000 });
});
afterAll(async () => {
  await upstream.close();
  await dispatcher.close();
});

function source(options: { apiKey?: string; iamURL?: string; clock?: { now: number } } = {}) {
  const clock = options.clock ?? { now: 1_000_000 };
  return new IamTokenSource({
    iamURL: options.iamURL ?? upstream.url,
    apiKey: options.apiKey ?? 'right-key',
    dispatcher,
    provider: 'watsonx',
    timeoutMs: 5000,
    now: () => clock.now,
  });
}

async function keelError(promise: Promise<unknown>): Promise<KeelError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeelError);
  return error as KeelError;
}

describe('IamTokenSource', () => {
  it('exchanges the API key with the apikey grant, form-encoded', async () => {
    const before = upstream.requests.length;
    const header = await source().authorization();
    expect(header).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const request = upstream.requests[before]!;
    expect(request).toMatchObject({
      method: 'POST',
      path: '/identity/token',
      body: { grant_type: 'urn:ibm:params:oauth:grant-type:apikey', apikey: 'right-key' },
    });
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('reuses the token until 80% of its lifetime, then renews it in the background', async () => {
    const clock = { now: 1_000_000 };
    const tokens = source({ clock });
    const first = await tokens.authorization();
    expect(tokens.authorization()).toBe(first); // cached: no promise, no call
    expect(tokens.fetches).toBe(1);
    clock.now += 700_000; // 70% of 1000 s
    expect(tokens.authorization()).toBe(first);
    clock.now += 150_000; // 85%: still valid, renewed behind the caller's back
    expect(tokens.authorization()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tokens.fetches).toBe(2);
    const second = tokens.authorization();
    expect(typeof second).toBe('string');
    expect(second).not.toBe(first);
  });

  it('waits for a new token once the old one has expired', async () => {
    const clock = { now: 1_000_000 };
    const tokens = source({ clock });
    const first = await tokens.authorization();
    clock.now += 1_000_000;
    const next = tokens.authorization();
    expect(next).toBeInstanceOf(Promise);
    expect(await next).not.toBe(first);
  });

  it('shares one fetch between concurrent callers', async () => {
    const tokens = source();
    const headers = await Promise.all([
      tokens.authorization(),
      tokens.authorization(),
      tokens.authorization(),
    ]);
    expect(new Set(headers).size).toBe(1);
    expect(tokens.fetches).toBe(1);
  });

  it('fetches again after invalidate (a 401 from watsonx)', async () => {
    const tokens = source();
    const first = await tokens.authorization();
    expect(tokens.invalidate()).toBe(true);
    expect(await tokens.authorization()).not.toBe(first);
    expect(tokens.fetches).toBe(2);
  });

  it('reports a rejected API key as upstream_error naming IAM, never the key', async () => {
    const error = await keelError(Promise.resolve(source({ apiKey: 'not-the-key' }).authorization()));
    expect(error.code).toBe('upstream_error');
    expect(error.message).toContain('IBM Cloud IAM');
    expect(error.message).toContain('Provided API key could not be found');
    expect(error.message).not.toContain('not-the-key');
    expect(JSON.stringify(error)).not.toContain('not-the-key');
  });

  it('reports an unreachable IAM as upstream_unavailable naming its URL', async () => {
    const error = await keelError(Promise.resolve(source({ iamURL: 'http://127.0.0.1:9' }).authorization()));
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('IBM Cloud IAM http://127.0.0.1:9');
  });

  it('lets an aborted caller go while the shared fetch carries on', async () => {
    const controller = new AbortController();
    controller.abort();
    const tokens = source();
    await expect(Promise.resolve(tokens.authorization(controller.signal))).rejects.toBeDefined();
    expect(typeof (await tokens.authorization())).toBe('string');
  });
});
