import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hapExamples } from '../../../testing/hap-examples.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
});
afterAll(async () => {
  await keel?.close();
});

const examples = () => hapExamples();

async function train(body: Record<string, unknown>) {
  const started = await keel.call('/api/v1/tuning/jobs', {
    method: 'POST',
    json: { type: 'head', examples: examples(), features: { dimensions: 4096 }, ...body },
  });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  for (;;) {
    const job = (await (await keel.call(`/api/v1/jobs/${id}`)).json()) as {
      status: string;
      result: Record<string, unknown> | null;
      error: { code: string } | null;
      progress: { data?: { curve?: unknown[] } } | null;
    };
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const policy = (model: string) => ({
  input: {
    pii: { enabled: false },
    hap: { enabled: false },
    injection: { enabled: false },
    heads: [{ model, labels: ['hap'], threshold: 0.5, action: 'block' }],
  },
  output: { pii: { enabled: false }, hap: { enabled: false }, injection: { enabled: false } },
});

describe('heads served', () => {
  it('an MLP head answers as the model head:<name> and blocks as a guardrail detector', async () => {
    const job = await train({
      name: 'rude',
      method: 'mlp',
      options: { seed: 2, hidden_units: 8, calibration: 'platt' },
    });
    expect(job.status).toBe('succeeded');
    expect(job.progress?.data?.curve?.length).toBeGreaterThan(0);

    const chat = await keel.call('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'head:rude', messages: [{ role: 'user', content: '이 멍청이 바보야' }] },
    });
    expect(chat.status).toBe(200);
    const body = (await chat.json()) as { choices: { message: { content: string } }[] };
    expect(body.choices[0]?.message.content).toBe('hap');

    const unknown = await keel.call('/v1/chat/completions', {
      method: 'POST',
      json: { model: 'head:missing', messages: [{ role: 'user', content: 'x' }] },
    });
    expect(unknown.status).toBe(404);

    const check = (text: string) =>
      keel.call('/api/v1/guardrails/check', {
        method: 'POST',
        json: { text, direction: 'input', policy: policy('head:rude') },
      });
    const rude = (await (await check('꺼져 쓰레기야')).json()) as {
      blocked: boolean;
      spans: { detector: string; type: string }[];
    };
    expect(rude.blocked).toBe(true);
    expect(rude.spans[0]).toMatchObject({ detector: 'head:rude', type: 'hap' });
    const kind = (await (await check('오늘도 고마워요 좋아요')).json()) as { blocked: boolean };
    expect(kind.blocked).toBe(false);

    const heads = (await (await keel.call('/api/v1/heads/rude')).json()) as {
      versions: Record<string, unknown>[];
    };
    expect(heads.versions[0]).toMatchObject({
      kind: 'mlp',
      calibration: expect.objectContaining({ method: 'platt' }),
      base_encoder: 'char-ngram 1-3 x 2^12',
      hyper_parameters: expect.objectContaining({ seed: 2, hiddenUnits: 8 }),
    });
  });

  it('a head registered in governance carries its lineage and is refused in a policy until approved', async () => {
    const useCase = await keel.call('/api/v1/use-cases', {
      method: 'POST',
      json: { name: 'comment moderation', approach: { name: 'head' } },
    });
    expect(useCase.status).toBeLessThan(300);
    const { id: useCaseId } = (await useCase.json()) as { id: string };
    const job = await train({
      name: 'gov',
      options: { seed: 4 },
      source: 'comments.jsonl',
      governance: { use_case_id: useCaseId },
    });
    expect(job.status).toBe('succeeded');
    const assetId = job.result?.governanceAssetId as string;
    expect(assetId).toMatch(/./);
    const asset = (await (await keel.call(`/api/v1/assets/${assetId}`)).json()) as Record<string, unknown>;
    expect(asset).toMatchObject({
      kind: 'model',
      ref: 'head:gov',
      metadata: expect.objectContaining({
        method: 'logistic',
        base_encoder: 'char-ngram 1-3 x 2^12',
        seed: 4,
        dataset_source: 'comments.jsonl',
        dataset_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        hyper_parameters: expect.stringContaining('"learningRate"'),
        macro_f1: expect.any(Number),
      }),
    });
    const refused = await keel.call('/api/v1/guardrails/check', {
      method: 'POST',
      json: { text: '꺼져', direction: 'input', policy: policy('head:gov') },
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'asset_not_approved' } });

    // An unknown use case fails the job and leaves no head behind.
    const failed = await train({ name: 'orphan', governance: { use_case_id: 'nope' } });
    expect(failed.status).toBe('failed');
    expect((await keel.call('/api/v1/heads/orphan')).status).toBe(404);
  });
});
