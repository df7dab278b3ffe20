/**
 * A head trained on an ONNX encoder's features: the `onnx` provider over the tiny encoder export
 * the tests write (real tokenizer, real ONNX runtime), reached as `onnx:tiny` through the model
 * registry by the tuning job, the classify route and the gateway's `/v1/embeddings`.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxProvider } from '../../../models/providers/onnx/index.js';
import { createEchoProvider } from '../../../testing/echo-provider.js';
import { hapExamples } from '../../../testing/hap-examples.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';
import { writeTinyOnnxEncoder } from '../../../testing/tiny-onnx-encoder.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel({
    providers: (config) => [
      createEchoProvider(),
      createOnnxProvider({ modelsDir: path.join(config.dataDir, 'models', 'onnx') }),
    ],
  });
  await writeTinyOnnxEncoder(path.join(keel.dataDir, 'models', 'onnx', 'tiny'));
});
afterAll(async () => {
  await keel?.close();
});

/** Words the tiny encoder knows; a text is the mean of its words' rows. */
const examples = () => hapExamples({ numbered: false });

async function call(pathname: string, json?: unknown) {
  const res = await keel.call(pathname, json === undefined ? {} : { method: 'POST', json });
  return { status: res.status, body: await res.json() };
}

async function train(body: Record<string, unknown>) {
  const started = await call('/api/v1/tuning/jobs', { type: 'head', ...body });
  if (started.status !== 202) return started.body;
  for (;;) {
    const job = (await call(`/api/v1/jobs/${started.body.id}`)).body;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('heads on an ONNX encoder', () => {
  it('lists the encoder and serves it on /v1/embeddings', async () => {
    const models = await call('/v1/models');
    expect(models.body.data.map((model: { id: string }) => model.id)).toContain('onnx:tiny');
    const embedded = await call('/v1/embeddings', { model: 'onnx:tiny', input: ['바보 너는', '고마워요'] });
    expect(embedded.status).toBe(200);
    expect(embedded.body.data).toHaveLength(2);
    expect(embedded.body.data[0].embedding).toHaveLength(32);
  });

  it('trains a head on onnx:tiny features, classifies with it and records the encoder in its lineage', async () => {
    const job = await train({
      name: 'hap-onnx',
      examples: examples(),
      features: { model: 'onnx:tiny' },
      options: { seed: 5 },
    });
    expect(job.error ?? null).toBeNull();
    expect(job.status).toBe('succeeded');
    const [version] = (await call('/api/v1/heads/hap-onnx')).body.versions;
    expect(version).toMatchObject({ base_encoder: 'onnx:tiny' });
    expect(version.features).toMatchObject({ kind: 'embedding', model: 'onnx:tiny', dimensions: 32 });
    const classified = await call('/api/v1/heads/hap-onnx/classify', {
      texts: ['너는 정말 멍청이 바보', '오늘도 사랑해요 좋아요'],
    });
    expect(classified.status).toBe(200);
    expect(classified.body.predictions.map((p: { label: string }) => p.label)).toEqual(['hap', 'none']);
  });

  it('refuses a head on a missing ONNX folder with a coded error and registers nothing', async () => {
    const job = await train({ name: 'nowhere', examples: examples(), features: { model: 'onnx:absent' } });
    expect(job.status === 'failed' || job.error !== undefined).toBe(true);
    expect(job.error.code).toBe('model_not_found');
    expect((await call('/api/v1/heads/nowhere')).status).toBe(404);
  });
});
