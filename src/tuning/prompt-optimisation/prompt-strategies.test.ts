import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExampleIndex } from '../../prompts/index.js';
import { dayRows, finishedJob, strategyProvider } from '../../testing/prompt-search-fixture.js';
import { minimalRiskAnswers } from '../../testing/risk-answers.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

/** Few-shot examples retrieved per input, the joint step after the greedy pass, and governance. */
let keel: TestKeel;

const body = (instruction: string) => ({
  mode: 'structured',
  instruction,
  test_input: '{{text}}',
  model_id: 'echo:reverse',
});

beforeAll(async () => {
  keel = await createTestKeel({ providers: [strategyProvider()] });
  const statuses = [
    (
      await keel.call('/api/v1/prompts', {
        json: { name: 'neighbours', template: body('Copy the neighbour.') },
      })
    ).status,
    (await keel.call('/api/v1/prompts', { json: { name: 'moods', template: body('Say how the day was.') } }))
      .status,
    (
      await keel.call('/api/v1/datasets', {
        json: { name: 'days', rows: dayRows(), mapping: { input: ['text'], label: 'label', split: 'split' } },
      })
    ).status,
  ];
  expect(statuses).toEqual([201, 201, 200]);
});
afterAll(async () => {
  await keel?.close();
});

interface Done {
  status: string;
  error?: { code: string };
  result: {
    best: { id: string; score: number };
    baseline: number;
    template: { savedVersion: number | null };
    trace: {
      id: string;
      kind: string;
      parent: string | null;
      score: number | null;
      detail: Record<string, unknown>;
    }[];
    retrieval: { k: number; pool: string } | null;
    evaluations: { baseline: string; winner: string };
    governanceAssetId: string | null;
    spent: { calls: number };
  };
}

async function run(json: Record<string, unknown>): Promise<Done> {
  const started = await keel.call('/api/v1/tuning/jobs', {
    json: {
      type: 'prompt',
      dataset: 'days',
      metric: 'accuracy',
      budget: { calls: 200, tokens: 100_000 },
      propose_instructions: 0,
      formats: [],
      ...json,
    },
  });
  expect(started.status).toBe(202);
  const { id } = (await started.json()) as { id: string };
  return finishedJob<Done>(keel, id);
}

describe('few-shot examples retrieved per input', () => {
  it('retrieves each input its own neighbours, label-balanced', () => {
    const pool = dayRows()
      .filter((row) => row.split === 'train')
      .map((row) => ({ input: String(row.text), output: String(row.label), label: String(row.label) }));
    const index = new ExampleIndex(pool);
    for (const query of ['poor day number 13', 'great day number 16', 'sad day number 17']) {
      const picked = index.select([query], { k: 2 });
      expect(picked.map((p) => p.label).sort()).toEqual(['neg', 'pos']);
      // The input's own word is among its neighbours; one fixed set for all inputs cannot do that.
      expect(picked.some((p) => p.input.split(' ')[0] === query.split(' ')[0])).toBe(true);
    }
    const fixed = index.select(['poor day number 13', 'great day number 16', 'sad day number 17'], { k: 2 });
    expect(fixed).toHaveLength(2);
  });

  it('the search prefers per-input examples when they score better, and says so in what it saves', async () => {
    const done = await run({ template: 'neighbours', few_shot: { k: [2] }, joint: 0 });
    expect(done.status).toBe('succeeded');
    const r = done.result;
    const fixed = r.trace.find((t) => t.id === 'few-shot-2')!;
    const perInput = r.trace.find((t) => t.id === 'few-shot-2-per-input')!;
    expect(perInput.detail).toMatchObject({ k: 2, per_input: true });
    expect(fixed.score as number).toBeLessThan(1);
    expect(perInput.score).toBe(1);
    expect(r.best).toEqual({ ...r.best, id: 'few-shot-2-per-input', score: 1 });
    expect(r.retrieval).toMatchObject({ k: 2, pool: 'days@1 train' });
    const saved = (await (
      await keel.call(`/api/v1/prompts/neighbours@${r.template.savedVersion}`)
    ).json()) as {
      version: { message: string };
    };
    expect(saved.version.message).toContain('Examples retrieved per input (k 2) from days@1 train');
  });
});

describe('a per-input winner served by Prompt Lab', () => {
  it('is saved with its pool, and running the saved version over the dev items gives the searched score', async () => {
    await keel.call('/api/v1/prompts', {
      json: { name: 'neighbours-served', template: body('Copy the neighbour.') },
    });
    const done = await run({ template: 'neighbours-served', few_shot: { k: [2] }, joint: 0 });
    expect(done.status).toBe('succeeded');
    const r = done.result;
    expect(r.best.id).toBe('few-shot-2-per-input');
    const ref = `neighbours-served@${r.template.savedVersion}`;
    const saved = (await (await keel.call(`/api/v1/prompts/${ref}`)).json()) as {
      template: { few_shot?: { k: number; examples: unknown[]; source?: string } };
    };
    const train = dayRows().filter((row) => row.split === 'train');
    expect(saved.template.few_shot).toMatchObject({ k: 2, source: 'days@1 train' });
    expect(saved.template.few_shot!.examples).toHaveLength(train.length);

    // Every dev item through Prompt Lab's run, as a deployment or an application would serve it.
    const dev = dayRows().filter((row) => row.split === 'dev');
    const outputs: string[] = [];
    for (const row of dev) {
      const response = await keel.call(`/api/v1/prompts/${ref}/run`, {
        json: { variables: { text: row.text } },
      });
      expect(response.status).toBe(200);
      outputs.push(((await response.json()) as { output: string }).output);
    }
    const accuracy = outputs.filter((output, i) => output === dev[i]!.label).length / dev.length;
    expect(accuracy).toBe(r.best.score);
    // Item by item, the outputs the search recorded for the winner.
    const items = (await (await keel.call(`/api/v1/evaluations/${r.evaluations.winner}/items`)).json()) as {
      items: { ordinal: number; output: string }[];
    };
    expect(items.items.map((item) => item.output)).toEqual(outputs);
  });
});

describe('joint step', () => {
  it('finds an instruction × few-shot combination the greedy pass misses, within the budget', async () => {
    const done = await run({
      template: 'moods',
      instructions: ['Label the mood.'],
      few_shot: { k: [2], per_input: false },
    });
    expect(done.status).toBe('succeeded');
    const r = done.result;
    // Neither the instruction nor the examples help alone, so the greedy pass keeps the baseline.
    expect(r.trace.map((t) => [t.id, t.score])).toEqual([
      ['baseline', 0],
      ['instruction-1', 0],
      ['few-shot-2', 0],
      ['joint-1', 1],
    ]);
    expect(r.trace[3]!.detail).toMatchObject({ instruction: 'Label the mood.', k: 2, per_input: false });
    expect(r.best.id).toBe('joint-1');
    expect(r.spent.calls).toBe(4 * 12);
    const saved = (await (await keel.call(`/api/v1/prompts/moods@${r.template.savedVersion}`)).json()) as {
      template: { instruction: string; examples: unknown[] };
    };
    expect(saved.template.instruction).toBe('Label the mood.');
    expect(saved.template.examples).toHaveLength(2);
  });

  it('is budgeted: a budget that pays for the greedy pass only tries no combination', async () => {
    const done = await run({
      template: 'moods',
      instructions: ['Label the mood.'],
      few_shot: { k: [2], per_input: false },
      budget: { calls: 40, tokens: 100_000 },
    });
    expect(done.status).toBe('succeeded');
    expect(done.result.trace.map((t) => t.id)).toEqual(['baseline', 'instruction-1', 'few-shot-2']);
    expect(done.result.template.savedVersion).toBeNull();
    expect(done.result.evaluations.winner).toBe(done.result.evaluations.baseline);
  });
});

describe('held-out evaluation', () => {
  it('scores the untuned template and the winner on a held-out split with calls kept aside; their runs sit on it', async () => {
    // The days again, the last six dev items as a `test` split.
    const rows = dayRows().map((row, i) => (i >= 18 ? { ...row, split: 'test' } : row));
    const added = await keel.call('/api/v1/datasets', {
      json: { name: 'days-held-out', rows, mapping: { input: ['text'], label: 'label', split: 'split' } },
    });
    expect(added.status).toBe(200);
    await keel.call('/api/v1/prompts', {
      json: { name: 'moods-held-out', template: body('Say how the day was.') },
    });
    const request = {
      template: 'moods-held-out',
      dataset: 'days-held-out',
      test_split: 'test',
      instructions: ['Label the mood.'],
      few_shot: { k: [2], per_input: false },
    };
    // 6 dev items once, and 6 held-out items twice, are the least a budget must pay for.
    const small = await keel.call('/api/v1/tuning/jobs', {
      json: { type: 'prompt', metric: 'accuracy', budget: { calls: 17, tokens: 100_000 }, ...request },
    });
    expect(small.status).toBe(400);
    expect(((await small.json()) as { error: { issues: { code: string }[] } }).error.issues[0]!.code).toBe(
      'budget_too_small',
    );
    const same = await keel.call('/api/v1/tuning/jobs', {
      json: {
        type: 'prompt',
        metric: 'accuracy',
        budget: { calls: 100, tokens: 100_000 },
        ...request,
        test_split: 'train',
      },
    });
    expect(((await same.json()) as { error: { issues: { code: string }[] } }).error.issues[0]!.code).toBe(
      'same_split',
    );

    // 36 calls: the greedy pass (3 × 6) and the joint step (6) fit beside the 12 kept aside.
    const done = await run({ ...request, budget: { calls: 36, tokens: 100_000 } });
    expect(done.status).toBe('succeeded');
    const r = done.result as Done['result'] & {
      evaluations: { split: string; heldOut: { baseline: number; winner: number } };
    };
    expect(r.trace.map((t) => t.id)).toEqual(['baseline', 'instruction-1', 'few-shot-2', 'joint-1']);
    expect(r.best.id).toBe('joint-1');
    expect(r.spent.calls).toBe(4 * 6 + 2 * 6);
    expect(r.evaluations).toMatchObject({ split: 'test', heldOut: { baseline: 0, winner: 1 } });
    for (const [id, version] of [
      [r.evaluations.baseline, 1],
      [r.evaluations.winner, 2],
    ] as const) {
      const stored = (await (await keel.call(`/api/v1/evaluations/${id}`)).json()) as {
        items: number;
        target: { prompt: string };
      };
      expect(stored).toMatchObject({ items: 6, target: { prompt: `moods-held-out@${version}` } });
      const items = (await (await keel.call(`/api/v1/evaluations/${id}/items`)).json()) as {
        items: { ordinal: number }[];
      };
      // Dataset ordinals of the held-out rows (18 … 23), not the dev ones the winner was chosen on.
      expect(items.items.map((item) => item.ordinal)).toEqual([18, 19, 20, 21, 22, 23]);
    }
  });
});

describe('governance', () => {
  it('registers the saved version with its lineage and run; production needs approval', async () => {
    const useCase = (await (
      await keel.call('/api/v1/use-cases', { json: { name: 'day moods', approach: { name: 'prompted' } } })
    ).json()) as { id: string };
    // A fresh template: `moods` is already tuned by the tests above.
    await keel.call('/api/v1/prompts', {
      json: { name: 'moods-governed', template: body('Say how the day was.') },
    });
    await keel.call('/api/v1/risk-assessments', {
      json: { use_case_id: useCase.id, answers: minimalRiskAnswers('label the mood of a day') },
    });
    const done = await run({
      template: 'moods-governed',
      instructions: ['Label the mood.'],
      few_shot: { k: [2], per_input: false },
      seed: 3,
      governance: { use_case_id: useCase.id },
    });
    expect(done.status).toBe('succeeded');
    const r = done.result;
    const version = r.template.savedVersion as number;
    expect(r.governanceAssetId).toBeTypeOf('string');
    const asset = (await (await keel.call(`/api/v1/assets/${r.governanceAssetId}`)).json()) as {
      kind: string;
      ref: string;
      version: number;
      metadata: Record<string, unknown>;
    };
    expect(asset).toMatchObject({ kind: 'prompt_template', ref: 'moods-governed', version });
    expect(asset.metadata).toMatchObject({
      method: 'prompt-optimisation',
      base_model: 'echo:reverse',
      dataset: 'days',
      dataset_version: 1,
      metric: 'accuracy',
      score: 1,
      seed: 3,
      evaluation_run: r.evaluations.winner,
      baseline_run: r.evaluations.baseline,
    });
    expect(asset.metadata.dataset_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(String(asset.metadata.search))).toMatchObject({ joint: 3 });
    expect(asset.metadata.spent_calls).toBe(r.spent.calls);
    const assets = (await (await keel.call(`/api/v1/assets?use_case_id=${useCase.id}`)).json()) as {
      assets: { kind: string; ref: string }[];
    };
    expect(assets.assets).toContainEqual(
      expect.objectContaining({ kind: 'evaluation_run', ref: r.evaluations.winner }),
    );

    const label = await keel.call(`/api/v1/prompts/moods-governed/labels/production`, {
      method: 'PUT',
      json: { version },
    });
    expect(label.status).toBe(409);
    const { error } = (await label.json()) as { error: { code: string; issues: { code: string }[] } };
    expect(error.code).toBe('gate_refused');
    expect(error.issues.map((i) => i.code)).toContain('approval_missing');
  });

  it('an unknown use case is refused before anything runs', async () => {
    const response = await keel.call('/api/v1/tuning/jobs', {
      json: {
        type: 'prompt',
        template: 'moods',
        dataset: 'days',
        metric: 'accuracy',
        budget: { calls: 100, tokens: 100_000 },
        governance: { use_case_id: 'guc_nope' },
      },
    });
    expect(response.status).toBe(404);
    const versions = (await (await keel.call('/api/v1/prompts/moods/versions')).json()) as {
      versions: unknown[];
    };
    expect(versions.versions.length).toBeGreaterThan(0);
  });
});
