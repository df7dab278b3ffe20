import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KeelClient } from '../../sdk/client.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { sdkClient } from '../../testing/sdk.js';
import { createTestKeel, type TestKeel } from '../../testing/test-keel.js';

let keel: TestKeel;
let sdk: KeelClient;
const project = () => keel.services.installation.defaultProjectId;

beforeAll(async () => {
  keel = await createTestKeel({ providers: [createEchoProvider(), createEchoProvider({ name: 'other' })] });
  sdk = sdkClient(keel);
}, 300_000);
afterAll(async () => {
  await keel?.close();
});

const record = (name: string, outputs: (string | null)[], observed?: number[], cell?: string) =>
  keel.services.evals.recorder.record({
    projectId: project(),
    actor: 'tester',
    name,
    source: { kind: 'rag.experiment', id: 'job_test', ...(cell ? { cell } : {}) },
    target: { kind: 'rag', collection: 'col_test', top_k: 2 },
    dataset: { name: 'recorded-questions', description: 'test' },
    metrics: ['exact_match', 'f1', 'hit_rate', 'mrr', 'ndcg_at_k'],
    metricOptions: { k: 2 },
    items: [
      { q: 'Capital of France?', refs: ['Paris'], relevant: ['hit-2'] },
      { q: 'Who wrote Hamlet?', refs: ['Shakespeare', 'William Shakespeare'], relevant: ['hit-1'] },
      { q: 'Colour of the sky?', refs: [], relevant: [] },
    ].map((item, index) => ({
      input: { question: item.q },
      ...(item.refs.length ? { references: item.refs } : {}),
      output: outputs[index] ?? null,
      ...(outputs[index] === null ? { error: { code: 'timeout', message: 'too slow' } } : {}),
      retrieved: ['hit-1', 'hit-2'],
      relevant: item.relevant,
      ...(observed ? { observed: { faithfulness: observed[index]! } } : {}),
    })),
  });

describe('recorded runs', () => {
  it('are scored by the metric registry and stored as finished evaluation runs', async () => {
    const recorded = await record('good', ['Paris', 'Shakespeare wrote it', 'blue'], [1, 0.5, 0]);
    // Per item: SQuAD EM/F1 only where there are references; ranking metrics on the ranked ids.
    expect(recorded.perItem[0]).toMatchObject({ exact_match: 1, f1: 1, hit_rate: 1, mrr: 0.5 });
    expect(recorded.perItem[1]!.f1).toBeCloseTo((2 * (1 / 3) * 1) / (1 / 3 + 1), 12);
    expect(recorded.perItem[1]).toMatchObject({ exact_match: 0, hit_rate: 1, mrr: 1, ndcg_at_k: 1 });
    expect(recorded.perItem[2]).not.toHaveProperty('exact_match');
    expect(recorded.perItem[2]).toMatchObject({ hit_rate: 0, mrr: 0, faithfulness: 0 });
    expect(recorded.metrics.exact_match).toBe(0.5);
    expect(recorded.metrics.hit_rate).toBeCloseTo(2 / 3, 12);
    expect(recorded.metrics.faithfulness).toBe(0.5);

    const run = await sdk.evals.get(recorded.id);
    expect(run).toMatchObject({ status: 'succeeded', passed: true });
    expect(run.target).toMatchObject({ kind: 'rag', resolved: { source: { kind: 'rag.experiment' } } });
    expect(Object.keys(run.aggregates!.metrics).sort()).toEqual([
      'exact_match',
      'f1',
      'faithfulness',
      'hit_rate',
      'mrr',
      'ndcg_at_k',
    ]);
    expect(run.aggregates!.metrics.f1!.ci).not.toBeNull();
    const items = await sdk.evals.items(recorded.id);
    expect(items.items.map((item) => item.output)).toEqual(['Paris', 'Shakespeare wrote it', 'blue']);
    expect((await sdk.evals.list()).evaluations.map((entry) => entry.id)).toContain(recorded.id);
  });

  it('count a failed item at the worst value, and compare item by item on a shared dataset version', async () => {
    const a = await record('a', ['Paris', 'Shakespeare', 'blue']);
    const b = await record('b', ['Lyon', null, 'blue']);
    expect(b.metrics.exact_match).toBe(0);
    const [runA, runB] = [await sdk.evals.get(a.id), await sdk.evals.get(b.id)];
    expect(runB.dataset_version).toBe(runA.dataset_version);
    expect(runB.aggregates!.items).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    expect(runB.aggregates!.failures).toEqual({ timeout: 1 });
    const comparison = await sdk.evals.compare(a.id, b.id);
    expect(comparison.same_dataset).toBe(true);
    expect(comparison.metrics.find((metric) => metric.metric === 'hit_rate')).toMatchObject({
      n: 3,
      difference: -1 / 3,
    });
  });

  it('are recorded once per source cell: recording the cell again returns the run already there', async () => {
    const first = await record('cell run', ['Paris', 'Shakespeare', 'blue'], undefined, 'point:0007');
    // A resumed step records again (even with other outputs): the first run stands.
    const again = await record('cell run', ['Lyon', 'Marlowe', 'red'], undefined, 'point:0007');
    expect(again.id).toBe(first.id);
    expect(again.metrics.exact_match).toBe(first.metrics.exact_match);
    expect(again.perItem).toEqual(first.perItem);
    // Concurrent attempts at one cell also end with one run.
    const racing = await Promise.all(
      [0, 1, 2].map(() => record('race', ['Paris', null, 'blue'], undefined, 'point:0008')),
    );
    expect(new Set(racing.map((run) => run.id)).size).toBe(1);
    const { rows } = await keel.services.db.query<{ source_cell: string; n: number }>(
      `SELECT source_cell, count(*)::int AS n FROM eval_runs
        WHERE project_id = $1 AND source_id = 'job_test' AND source_cell IS NOT NULL GROUP BY source_cell ORDER BY source_cell`,
      [project()],
    );
    expect(rows).toEqual([
      { source_cell: 'point:0007', n: 1 },
      { source_cell: 'point:0008', n: 1 },
    ]);
    // Without a cell every recording is a run of its own.
    const other = await record('no cell', ['Paris', 'Shakespeare', 'blue']);
    expect(other.id).not.toBe(first.id);
  });

  it('refuse metrics the registry does not know', async () => {
    await expect(
      keel.services.evals.recorder.record({
        projectId: project(),
        actor: null,
        name: 'x',
        source: { kind: 'prompts.compare', id: 'cmp_x' },
        target: { kind: 'model', model: 'echo:reverse' },
        dataset: { name: 'recorded-questions', description: 'test' },
        metrics: ['vibes'],
        items: [{ input: { question: 'q' }, output: 'a' }],
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

describe('Prompt Lab compare on evaluation runs', () => {
  it('records each column as a run over the comparison inputs, comparable item by item', async () => {
    const result = await sdk.prompts.compare({
      variants: [{ template: { mode: 'freeform', text: 'tell {{who}} hello' } }],
      models: ['echo:reverse', 'other:reverse'],
      inputs: [{ who: 'Mina' }, { who: 'Jun' }, {}],
    });
    const [first, second] = result.summary.map((column) => column.run_id!);
    expect(first).toMatch(/^evr_/);
    const run = await sdk.evals.get(first!);
    expect(run).toMatchObject({
      status: 'succeeded',
      target: { kind: 'model', model: 'echo:reverse', resolved: { source: { kind: 'prompts.compare' } } },
    });
    // The row that missed a variable is a failed item, with its code.
    expect(run.aggregates!.items).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
    expect(run.aggregates!.failures).toEqual({ missing_variable: 1 });
    expect(run.aggregates!.metrics.tokens!.score).toBe(6);
    const comparison = await sdk.evals.compare(first!, second!);
    expect(comparison.same_dataset).toBe(true);
    expect(comparison.metrics.find((metric) => metric.metric === 'tokens')).toMatchObject({
      difference: 0,
      verdict: 'no_difference',
    });
  });
});
