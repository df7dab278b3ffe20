import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
});
afterAll(() => keel.close());

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read loosely in assertions
async function body(response: Response): Promise<any> {
  return await response.json();
}

describe('/api/v1/datasets', () => {
  it('uploads a CSV file, previews it, lists versions; editors write, viewers read', async () => {
    const form = new FormData();
    form.set(
      'file',
      new File(['question,answer\nb a,a b\nd c,c d\ny x,wrong\n'], 'qa.csv', { type: 'text/csv' }),
    );
    form.set('name', 'qa');
    form.set('mapping', JSON.stringify({ input: ['question'], reference: 'answer' }));
    const created = await keel.call('/api/v1/datasets', { method: 'POST', body: form });
    expect(created.status).toBe(200);
    const result = await body(created);
    expect(result).toMatchObject({ created: true, version: { version: 1, row_count: 3, format: 'csv' } });

    const preview = await body(await keel.call('/api/v1/datasets/qa/preview?limit=2'));
    expect(preview.items).toHaveLength(2);
    expect(preview.items[0]).toMatchObject({ ordinal: 0, input: { question: 'b a' }, references: ['a b'] });
    const versions = await body(await keel.call('/api/v1/datasets/qa/versions'));
    expect(versions.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    const listed = await body(await keel.call('/api/v1/datasets'));
    expect(listed.datasets[0]).toMatchObject({ name: 'qa', row_count: 3 });

    const viewer = await body(await keel.call('/api/v1/keys', { json: { name: 'v', role: 'viewer' } }));
    const denied = await keel.call('/api/v1/datasets', {
      key: viewer.key,
      json: { name: 'n', rows: [{ a: 1 }] },
    });
    expect(denied.status).toBe(403);
    expect((await keel.call('/api/v1/datasets/qa', { key: viewer.key })).status).toBe(200);
  });

  it('answers bad files with coded 4xx errors, and refuses a 1 GB upload before reading it', async () => {
    const ragged = await keel.call('/api/v1/datasets', {
      json: { name: 'bad', content: 'a,b\n1,2\n3\n', format: 'csv' },
    });
    expect(ragged.status).toBe(422);
    expect((await body(ragged)).error).toMatchObject({
      code: 'invalid_dataset',
      issues: [{ code: 'ragged_row', path: ['row', 3] }],
    });
    const form = new FormData();
    form.set('file', new File([new Uint8Array([0x71, 0x0a, 0xff, 0xfe])], 'latin.csv'));
    const encoding = await keel.call('/api/v1/datasets', { method: 'POST', body: form });
    expect(encoding.status).toBe(422);
    expect((await body(encoding)).error.code).toBe('invalid_encoding');
    const huge = await keel.call('/api/v1/datasets', {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'content-length': String(1024 ** 3) },
      body: 'a,b\n',
    });
    expect(huge.status).toBe(413);
    expect((await body(huge)).error.code).toBe('payload_too_large');
  });
});

describe('/api/v1/evaluations', () => {
  it('creates a run, reads it with aggregates and items, compares two runs', async () => {
    const create = (prompt?: string) =>
      keel.call('/api/v1/evaluations', {
        json: {
          target: { kind: 'model', model: 'echo:reverse', ...(prompt ? { prompt } : {}) },
          dataset: 'qa',
          metrics: ['exact_match', 'rougeL'],
          thresholds: [{ metric: 'exact_match', min: 0.5 }],
        },
      });
    const first = await create();
    expect(first.status).toBe(202);
    const run = await body(first);
    await keel.services.evals.runs.wait(keel.services.installation.defaultProjectId, run.id);
    const done = await body(await keel.call(`/api/v1/evaluations/${run.id}`));
    expect(done).toMatchObject({ status: 'succeeded', passed: true, items: 3 });
    expect(done.aggregates.metrics.exact_match.score).toBeCloseTo(2 / 3, 10);
    const items = await body(await keel.call(`/api/v1/evaluations/${run.id}/items?limit=2`));
    expect(items.total).toBe(3);
    expect(items.items[0]).toMatchObject({ ordinal: 0, output: 'a b', item: { references: ['a b'] } });

    const second = await body(await create('say {{question}}'));
    await keel.services.evals.runs.wait(keel.services.installation.defaultProjectId, second.id);
    const comparison = await body(await keel.call(`/api/v1/evaluations/compare?a=${run.id}&b=${second.id}`));
    expect(comparison.metrics.find((m: { metric: string }) => m.metric === 'exact_match')).toMatchObject({
      n: 3,
      mean_a: expect.closeTo(2 / 3, 10),
      mean_b: 0,
    });
    const listed = await body(await keel.call('/api/v1/evaluations?dataset=qa'));
    expect(listed.evaluations).toHaveLength(2);

    const missing = await keel.call('/api/v1/evaluations', {
      json: { target: { kind: 'model', model: 'echo:reverse' }, dataset: 'nope', metrics: ['f1'] },
    });
    expect(missing.status).toBe(404);
  });
});
