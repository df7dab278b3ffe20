import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hapExamples } from '../../../testing/hap-examples.js';
import { leaveToDeadWorker } from '../../../testing/outcomes.js';
import { createTestKeel, type TestKeel } from '../../../testing/test-keel.js';

let keel: TestKeel;

beforeAll(async () => {
  keel = await createTestKeel();
});
afterAll(async () => {
  await keel?.close();
});

const examples = () => hapExamples();

async function finished(id: string) {
  for (;;) {
    const job = (await (await keel.call(`/api/v1/jobs/${id}`)).json()) as { status: string; error: unknown };
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('tuning routes', () => {
  it('trains a head on the job service, lists it with lineage and classifies with it', async () => {
    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: {
        type: 'head',
        name: 'hap-ko',
        examples: examples(),
        source: 'comments.jsonl',
        options: { seed: 5, positive_label: 'hap', max_false_positive_rate: 0.1 },
        features: { dimensions: 4096 },
      },
    });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string; kind: string };
    expect(job.kind).toBe('tuning.head');
    const done = (await finished(job.id)) as unknown as {
      status: string;
      result: { version: number; macroF1: number };
    };
    expect(done.status).toBe('succeeded');
    expect(done.result.version).toBe(1);

    const list = (await (await keel.call('/api/v1/heads')).json()) as { heads: Record<string, unknown>[] };
    expect(list.heads).toHaveLength(1);
    expect(list.heads[0]).toMatchObject({
      name: 'hap-ko',
      version: 1,
      model: 'head:hap-ko',
      labels: ['hap', 'none'],
      hyper_parameters: expect.objectContaining({ seed: 5 }),
      dataset: expect.objectContaining({ count: 60, source: 'comments.jsonl', sha256: expect.any(String) }),
      operating_point: expect.objectContaining({ positive_label: 'hap' }),
      job_id: job.id,
    });

    const classified = await keel.call('/api/v1/heads/hap-ko/classify', {
      method: 'POST',
      json: { texts: ['이 멍청이 바보', '고마워요 오늘도 좋아요'] },
    });
    expect(classified.status).toBe(200);
    const body = (await classified.json()) as { model: string; predictions: { label: string }[] };
    expect(body.model).toBe('head:hap-ko');
    expect(body.predictions.map((p) => p.label)).toEqual(['hap', 'none']);

    const jobs = (await (await keel.call('/api/v1/tuning/jobs')).json()) as { jobs: unknown[] };
    expect(jobs.jobs).toHaveLength(1);
  });

  it('refuses one class at once and a failed job registers no head', async () => {
    const one = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: { type: 'head', name: 'one', examples: examples().filter((e) => e.label === 'hap') },
    });
    expect(one.status).toBe(422);
    expect(await one.json()).toMatchObject({ error: { code: 'invalid_dataset' } });

    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: {
        type: 'head',
        name: 'broken',
        examples: examples(),
        validation: [{ text: '바보', label: 'hap' }],
      },
    });
    const job = (await started.json()) as { id: string };
    const done = (await finished(job.id)) as unknown as { status: string; error: { code: string } };
    expect(done.status).toBe('failed');
    expect(done.error.code).toBe('invalid_dataset');
    const versions = await keel.call('/api/v1/heads/broken');
    expect(versions.status).toBe(404);
    const { rows } = await keel.services.db.query("SELECT 1 FROM tuning_heads WHERE name = 'broken'");
    expect(rows).toEqual([]);
  });

  it('resumes a head job whose worker died, and saves its version once', async () => {
    const train = async () => {
      const started = await keel.call('/api/v1/tuning/jobs', {
        method: 'POST',
        json: { type: 'head', name: 'resumed', examples: examples(), options: { seed: 7 } },
      });
      expect(started.status).toBe(202);
      return (await started.json()) as { id: string; max_attempts: number };
    };

    // Died while training: the next worker trains it from the start.
    await keel.services.jobs.stop();
    const first = await train();
    expect(first.max_attempts).toBe(3);
    await leaveToDeadWorker(keel.services.db, first.id);
    await keel.services.jobs.start();
    expect(await finished(first.id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: { version: 1 },
    });

    // Died after saving, before the job was marked done: the next attempt keeps what was saved.
    const second = await train();
    expect(await finished(second.id)).toMatchObject({ status: 'succeeded', result: { version: 2 } });
    await keel.services.jobs.stop();
    await leaveToDeadWorker(keel.services.db, second.id);
    await keel.services.jobs.start();
    expect(await finished(second.id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      result: { version: 2 },
    });
    const versions = (await (await keel.call('/api/v1/heads/resumed')).json()) as {
      versions: { job_id: string }[];
    };
    expect(versions.versions.map((v) => v.job_id)).toEqual([first.id, second.id]);
  });

  it('answers 404 for an unknown head', async () => {
    const response = await keel.call('/api/v1/heads/nope/classify', {
      method: 'POST',
      json: { texts: ['x'] },
    });
    expect(response.status).toBe(404);
  });
});
