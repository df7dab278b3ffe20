import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeMetricResponseSchema, listMetricsResponseSchema } from '../../../api/metrics.js';
import { MetricsApi } from '../../../sdk/metrics.js';
import { apiError, sdkClient } from '../../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
}, 300_000);
afterAll(async () => {
  await keel?.close();
});

async function viewerKey(): Promise<string> {
  const response = await keel.call('/api/v1/keys', {
    json: { name: `viewer-${Math.random()}`, role: 'viewer' },
  });
  return ((await response.json()) as { key: string }).key;
}

describe('/api/v1/metrics', () => {
  it('computes a metric for any member of the project (a viewer included)', async () => {
    const response = await keel.call('/api/v1/metrics/compute', {
      key: await viewerKey(),
      json: {
        metric: 'sacrebleu',
        predictions: ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'],
        references: [
          ['The dog bit the man.', 'The dog had bit the man.'],
          ['It was not unexpected.', 'No one was surprised.'],
          ['The man bit him first.', 'The man had bitten the dog.'],
        ],
      },
    });
    expect(response.status).toBe(200);
    const body = computeMetricResponseSchema.parse(await response.json());
    // mjpost/sacrebleu test/test_bleu.py: 48.530827 for the README example.
    expect(Math.abs((body.score as number) - 48.530827)).toBeLessThan(1e-6);
    expect(body.per_item).toHaveLength(3);
  });

  it('answers Korean EM with per-item scores', async () => {
    const response = await keel.call('/api/v1/metrics/compute', {
      json: {
        metric: 'exact_match',
        predictions: ['세종대왕은', '서울'],
        references: ['세종대왕', ['부산', '인천']],
      },
    });
    const body = computeMetricResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ metric: 'exact_match', score: 0.5, per_item: [1, 0] });
  });

  it('lists the registry', async () => {
    const body = listMetricsResponseSchema.parse(await (await keel.call('/api/v1/metrics')).json());
    expect(body.metrics.find((m) => m.name === 'sari')).toMatchObject({
      needs_sources: true,
      range: [0, 100],
    });
    expect(body.metrics.find((m) => m.name === 'latency')?.range).toEqual([0, null]);
  });

  it('gives coded 400s for mistakes and limits', async () => {
    const issue = async (json: unknown) => {
      const response = await keel.call('/api/v1/metrics/compute', { json });
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: { issues: { code: string }[] } }).error.issues[0]?.code;
    };
    expect(await issue({ metric: 'nope', predictions: ['a'] })).toBe('unknown_metric');
    expect(await issue({ metric: 'rougeL', predictions: ['a'] })).toBe('missing_references');
    expect(await issue({ metric: 'sari', predictions: ['a'], references: ['a'] })).toBe('missing_sources');
    expect(await issue({ metric: 'f1', predictions: ['a', 'b'], references: ['a'] })).toBe('length_mismatch');
    expect(await issue({ metric: 'f1', predictions: new Array(10_001).fill('a') })).toBe('too_many_items');
  });

  it('is reachable through the SDK', async () => {
    const metrics = new MetricsApi(sdkClient(keel));
    const result = await metrics.compute({
      metric: 'rougeL',
      predictions: ['testing one'],
      references: ['testing one two'],
    });
    // google-research rouge_scorer_test.py testRougeLConsecutive: F = 4/5.
    expect(result.score).toBeCloseTo(4 / 5, 12);
    expect((await metrics.list()).metrics.map((m) => m.name)).toContain('sacrebleu');
    const error = await apiError(metrics.compute({ metric: 'bleu', predictions: ['a'] }));
    expect(error.issues?.[0]?.code).toBe('missing_references');
  });

  it('needs authentication', async () => {
    const response = await keel.call('/api/v1/metrics/compute', {
      key: null,
      json: { metric: 'f1', predictions: ['a'] },
    });
    expect(response.status).toBe(401);
  });
});
