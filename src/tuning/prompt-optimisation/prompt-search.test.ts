import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectExamples } from '../../prompts/index.js';
import { leaveToDeadWorker } from '../../testing/outcomes.js';
import { createDayFixtures, finishedJob, formatAwareProvider } from '../../testing/prompt-search-fixture.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
beforeAll(async () => {
  keel = await createTestKeel({ providers: [formatAwareProvider()] });
});
afterAll(async () => {
  await keel?.close();
});

async function setup() {
  expect(await createDayFixtures(keel)).toEqual([201, 200, 200]);
}

async function finished(id: string) {
  expect(id).toBeTypeOf('string');
  return finishedJob(keel, id);
}

const request = (over: Record<string, unknown> = {}) => ({
  type: 'prompt',
  template: 'sentiment',
  dataset: 'days',
  metric: 'accuracy',
  budget: { calls: 200, tokens: 100_000 },
  seed: 7,
  instructions: ['Tell me about the day.'],
  propose_instructions: 1,
  few_shot: { k: [2] },
  ...over,
});

describe('prompt optimisation', () => {
  it('picks the candidate that is really better, saves it as a version with the trace and progress', async () => {
    await setup();
    const started = await keel.call('/api/v1/tuning/jobs', { method: 'POST', json: request() });
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string; kind: string };
    expect(job.kind).toBe('tuning.prompt');
    const done = (await finished(job.id)) as {
      status: string;
      progress: { done: number; data: { trace: unknown[]; spent: { calls: number } } };
      result: {
        template: { savedVersion: number | null; baseVersion: number };
        baseline: number;
        best: { id: string; score: number };
        improved: boolean;
        spent: { calls: number; tokens: number; proposalCalls: number };
        trace: { id: string; kind: string; score: number | null; calls: number; tokens: number }[];
        evaluations: { baseline: string; winner: string; compare: string };
      };
    };
    expect(done.status).toBe('succeeded');
    const r = done.result;
    expect(r.baseline).toBe(0);
    expect(r.best).toMatchObject({ id: 'format-1', score: 1 });
    expect(r.improved).toBe(true);
    expect(r.template).toEqual({ name: 'sentiment', baseVersion: 1, savedVersion: 2 });
    expect(r.trace.map((t) => t.id)).toEqual([
      'baseline',
      'instruction-1',
      'instruction-2',
      'few-shot-2',
      'few-shot-2-per-input',
      'format-1',
    ]);
    // Every scored candidate ran the 12 dev items; one call proposed the model's instruction.
    for (const t of r.trace) {
      expect(t.calls).toBe(12);
      expect(t.tokens).toBeGreaterThan(0);
    }
    // A perfect score ends the search: no joint combinations are tried after it.
    expect(r.spent.calls).toBe(6 * 12 + 1);
    expect(r.spent.proposalCalls).toBe(1);
    expect(r.spent.tokens).toBeGreaterThanOrEqual(r.trace.reduce((s, t) => s + t.tokens, 0));
    expect(done.progress.data.trace).toHaveLength(6);

    const saved = (await (await keel.call('/api/v1/prompts/sentiment@2')).json()) as {
      template: { instruction: string; examples: { input: string; output: string }[] };
      version: { message: string };
    };
    expect(saved.template.instruction).toContain('Answer with exactly one of: neg, pos.');
    // The examples did not help this model, so the winner is the format on the baseline.
    expect(saved.template.examples ?? []).toHaveLength(0);
    const shots = r.trace.find((t) => t.id === 'few-shot-2') as unknown as {
      detail: { examples: { output: string }[] };
    };
    // Label balance: one example of each class.
    expect(shots.detail.examples.map((e) => e.output).sort()).toEqual(['neg', 'pos']);
    expect(saved.version.message).toContain(job.id);

    // The untuned template's and the winner's dev scoring are stored evaluation runs on the
    // dataset version and items the search used; they compare item by item.
    const { baseline, winner, compare } = r.evaluations;
    expect(baseline).not.toBe(winner);
    expect(saved.version.message).toContain(winner);
    const runs = await Promise.all(
      [baseline, winner].map(async (id) => (await keel.call(`/api/v1/evaluations/${id}`)).json()),
    );
    for (const [run, version] of [
      [runs[0], 1],
      [runs[1], 2],
    ] as const) {
      expect(run).toMatchObject({
        status: 'succeeded',
        dataset_version: 1,
        target: { kind: 'template', prompt: `sentiment@${version}` },
      });
      expect(run.items).toBe(12);
    }
    expect(runs[0].aggregates.metrics.accuracy.score).toBe(0);
    expect(runs[1].aggregates.metrics.accuracy.score).toBe(1);
    expect(runs[1].aggregates.items).toMatchObject({ total: 12, succeeded: 12 });
    const comparison = (await (await keel.call(compare)).json()) as {
      same_dataset: boolean;
      metrics: { metric: string; method: string; n: number; difference: number; verdict: string }[];
    };
    expect(comparison.same_dataset).toBe(true);
    expect(comparison.metrics.find((m) => m.metric === 'accuracy')).toMatchObject({
      method: 'paired',
      n: 12,
      difference: 1,
      verdict: 'better',
    });

    const list = (await (await keel.call('/api/v1/tuning/jobs')).json()) as { jobs: { id: string }[] };
    expect(list.jobs.map((j) => j.id)).toContain(job.id);
  });

  it('stops when the budget is spent and saves nothing when no candidate beat the baseline', async () => {
    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: request({ budget: { calls: 30, tokens: 100_000 }, propose_instructions: 0 }),
    });
    const done = (await finished(((await started.json()) as { id: string }).id)) as {
      status: string;
      result: {
        stopped: string;
        improved: boolean;
        template: { savedVersion: number | null };
        trace: unknown[];
      };
    };
    expect(done.status).toBe('succeeded');
    // 30 calls pay for two candidates of 12 items; the third is not started.
    expect(done.result).toMatchObject({
      stopped: 'budget',
      improved: false,
      template: { savedVersion: null },
    });
    expect(done.result.trace).toHaveLength(2);
    const versions = (await (await keel.call('/api/v1/prompts/sentiment/versions')).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toHaveLength(2);
  });

  it('answers bad requests with coded errors', async () => {
    const codeOf = async (over: Record<string, unknown>) => {
      const response = await keel.call('/api/v1/tuning/jobs', { method: 'POST', json: request(over) });
      const { error } = (await response.json()) as { error: { code: string; issues?: { code: string }[] } };
      return [response.status, error.code, error.issues?.[0]?.code];
    };
    expect(await codeOf({ template: 'nope' })).toEqual([404, 'not_found', 'unknown_template']);
    expect(await codeOf({ dataset: 'nope' })).toEqual([404, 'not_found', 'unknown_dataset']);
    expect(await codeOf({ dataset: 'days-unlabelled' })).toEqual([
      422,
      'invalid_dataset',
      'unlabelled_dataset',
    ]);
    expect(await codeOf({ budget: { calls: 0, tokens: 1000 } })).toEqual([
      400,
      'invalid_request',
      'budget_zero',
    ]);
    expect(await codeOf({ budget: { calls: 5, tokens: 1000 } })).toEqual([
      400,
      'invalid_request',
      'budget_too_small',
    ]);
    expect(await codeOf({ metric: 'bleu' })).toEqual([400, 'invalid_request', 'references_required']);
    expect(await codeOf({ metric: 'latency' })).toEqual([400, 'invalid_request', 'unsupported_metric']);
  });

  it('a job that fails saves no template version', async () => {
    const body = {
      mode: 'structured',
      instruction: 'Say how it was.',
      test_input: '{{text}}',
      model_id: 'echo:reverse',
    };
    await keel.call('/api/v1/prompts', { method: 'POST', json: { name: 'mood', template: body } });
    // Another edit lands while the job runs: saving on the stale base is refused, nothing is written.
    const started = await keel.call('/api/v1/tuning/jobs', {
      method: 'POST',
      json: request({ template: 'mood' }),
    });
    const id = ((await started.json()) as { id: string }).id;
    const edit = await keel.call('/api/v1/prompts/mood/versions', {
      method: 'POST',
      json: {
        template: { ...body, instruction: 'Edited.' },
        base_version: 1,
      },
    });
    expect(edit.status).toBe(201);
    const done = (await finished(id)) as { status: string; error: { code: string } };
    expect(done.status).toBe('failed');
    expect(done.error.code).toBe('conflict');
    // Nor any evaluation run.
    const runs = (await (await keel.call(`/api/v1/evaluations?source=${id}`)).json()) as {
      evaluations: unknown[];
    };
    expect(runs.evaluations).toHaveLength(0);
    const versions = (await (await keel.call('/api/v1/prompts/mood/versions')).json()) as {
      versions: unknown[];
    };
    expect(versions.versions).toHaveLength(2);
  });

  it('a search whose worker died runs again; one that finished keeps what it recorded', async () => {
    const runsOf = async (id: string) =>
      ((await (await keel.call(`/api/v1/evaluations?source=${id}`)).json()) as { evaluations: unknown[] })
        .evaluations.length;
    await keel.services.jobs.stop();
    const started = await keel.call('/api/v1/tuning/jobs', { method: 'POST', json: request() });
    const job = (await started.json()) as { id: string; max_attempts: number };
    expect(job.max_attempts).toBe(2);
    await leaveToDeadWorker(keel.services.db, job.id);
    await keel.services.jobs.start();
    const done = (await finished(job.id)) as { status: string; attempts: number; result: unknown };
    expect(done).toMatchObject({ status: 'succeeded', attempts: 2 });
    const runs = await runsOf(job.id);
    expect(runs).toBeGreaterThan(0);

    // Died after the search was recorded, before the job was marked done: nothing runs again,
    // not one model call.
    const calls = async () => {
      await keel.services.usage.flush();
      const { rows } = await keel.services.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM usage_events',
      );
      return rows[0]!.n;
    };
    const before = await calls();
    expect(before).toBeGreaterThan(0);
    await keel.services.jobs.stop();
    await leaveToDeadWorker(keel.services.db, job.id);
    await keel.services.jobs.start();
    const again = (await finished(job.id)) as { status: string; attempts: number; result: unknown };
    expect(again).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(again.result).toEqual(done.result);
    expect(await runsOf(job.id)).toBe(runs);
    expect(await calls()).toBe(before);
  });
});

describe('few-shot selection', () => {
  it('balances labels and prefers examples similar to the inputs', () => {
    const pool = [
      { input: 'the weather was rainy', output: 'neg', label: 'neg' },
      { input: 'the invoice total is wrong', output: 'neg', label: 'neg' },
      { input: 'the weather was sunny', output: 'pos', label: 'pos' },
      { input: 'the invoice was paid', output: 'pos', label: 'pos' },
    ];
    const picked = selectExamples(pool, ['was the weather sunny or rainy'], { k: 2, diversity: 0 });
    expect(picked.map((p) => p.input).sort()).toEqual(['the weather was rainy', 'the weather was sunny']);
    const invoices = selectExamples(pool, ['the invoice amount'], { k: 2, diversity: 0 });
    expect(invoices.map((p) => p.label).sort()).toEqual(['neg', 'pos']);
    expect(invoices.every((p) => p.input.includes('invoice'))).toBe(true);
  });
});
