import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../../sdk/client.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider()] });
  sdk = sdkClient(keel);
  await sdk.prompts.create({
    name: 'echo',
    template: { mode: 'freeform', text: 'say {{word}}', model_id: 'echo:reverse' },
  });
  await sdk.deployments.create({
    name: 'Echo',
    serving_name: 'echo-live',
    asset: { type: 'prompt_template', ref: 'echo' },
  });
});
afterAll(async () => {
  await keel?.close();
});

describe('GET /api/v1/deployments/{id}/metrics', () => {
  it("returns the deployment's traffic per minute, empty minutes included", async () => {
    for (const word of ['one', 'two', 'three'])
      await sdk.deployments.invoke('echo-live', { variables: { word } });
    await keel.services.requestLog.flush();

    const series = await sdk.deployments.metrics('echo-live', { minutes: 30 });
    expect(series.bucket_seconds).toBe(60);
    expect(series.buckets).toHaveLength(30);
    expect(series.totals).toMatchObject({ requests: 3, errors: 0, error_rate: 0 });
    expect(series.totals.input_tokens).toBeGreaterThan(0);
    expect(series.totals.latency_p99_ms).toBeGreaterThanOrEqual(series.totals.latency_p50_ms!);
    expect(series.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(3);
    const starts = series.buckets.map((bucket) => Date.parse(bucket.start));
    expect(starts.every((start, index) => index === 0 || start - starts[index - 1]! === 60_000)).toBe(true);
    expect(series.buckets[0]).toMatchObject({ requests: 0, error_rate: null, latency_p50_ms: null });
  });

  it('splits the series by the version that served each call', async () => {
    await sdk.prompts.saveVersion('echo', {
      base_version: 1,
      template: { mode: 'freeform', text: 'shout {{word}}', model_id: 'echo:reverse' },
    });
    await sdk.deployments.update('echo-live', { asset: { type: 'prompt_template', ref: 'echo@2' } });
    for (const word of ['four', 'five']) await sdk.deployments.invoke('echo-live', { variables: { word } });
    await keel.services.requestLog.flush();

    const series = await sdk.deployments.metrics('echo-live', { minutes: 30 });
    expect(series.totals.requests).toBe(5);
    expect(series.versions.map((entry) => [entry.version, entry.totals.requests])).toEqual([
      [1, 3],
      [2, 2],
    ]);
    const side = series.versions[1]!;
    expect(side.buckets).toHaveLength(series.buckets.length);
    expect(side.buckets.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(2);
  });

  it('refuses more than 1,440 buckets with a coded 400, and an unknown deployment with a 404', async () => {
    const tooMany = await apiError(
      sdk.deployments.metrics('echo-live', { minutes: 10_080, bucket_seconds: 10 }),
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.issues?.[0]).toMatchObject({ code: 'too_many_buckets', path: ['bucket_seconds'] });
    const missing = await apiError(sdk.deployments.metrics('nobody'));
    expect(missing.code).toBe('deployment_not_found');
  });
});
