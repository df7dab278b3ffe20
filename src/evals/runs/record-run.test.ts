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

  it('on a stored dataset version: items by ordinal, scored against its labels, thresholds checked', async () => {
    const added = await sdk.evals.addDataset({
      name: 'labelled-moods',
      rows: [
        { text: 'good day', label: 'pos' },
        { text: 'sad day', label: 'neg' },
        { text: 'fine day', label: 'pos' },
      ],
      mapping: { input: ['text'], label: 'label' },
    });
    const onVersion = (outputs: (string | null)[], ordinals: number[]) =>
      keel.services.evals.recorder.record({
        projectId: project(),
        actor: null,
        name: 'moods',
        source: { kind: 'tuning.prompt', id: 'job_moods' },
        target: { kind: 'template', prompt: 'moods@1' },
        dataset: { name: 'labelled-moods', version: added.version.version },
        metrics: ['accuracy'],
        thresholds: [{ metric: 'accuracy', min: 0.9 }],
        items: ordinals.map((ordinal, index) => ({ input: {}, ordinal, output: outputs[index] ?? null })),
      });
    const recorded = await onVersion(['neg', 'pos'], [1, 2]);
    expect(recorded.metrics.accuracy).toBe(1);
    const run = await sdk.evals.get(recorded.id);
    expect(run).toMatchObject({ dataset_id: added.dataset.id, dataset_version: 1, items: 2, passed: true });
    const worse = await onVersion(['neg', 'neg'], [1, 2]);
    expect(worse.perItem).toEqual([{ accuracy: 1 }, { accuracy: 0 }]);
    const failed = await sdk.evals.get(worse.id);
    expect(failed.passed).toBe(false);
    expect(failed.aggregates!.thresholds).toEqual([
      expect.objectContaining({ metric: 'accuracy', min: 0.9, value: 0.5, passed: false }),
    ]);
    const paired = await sdk.evals.compare(recorded.id, worse.id);
    expect(paired.metrics[0]).toMatchObject({ metric: 'accuracy', method: 'paired', n: 2 });
    await expect(onVersion(['x'], [7])).rejects.toMatchObject({
      code: 'invalid_request',
      issues: [expect.objectContaining({ code: 'unknown_item' })],
    });
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

describe('Prompt Lab compare with references: quality per column, and its significance', () => {
  const cities = ['Paris', 'Rome', 'Seoul', 'Oslo', 'Lima', 'Cairo'];
  // The echo model answers with the prompt's words reversed: `{{city}}` answers the city itself,
  // `capital {{city}}` answers "<city> capital", which never matches the reference exactly.
  const variants = [
    { name: 'bare', template: { mode: 'freeform' as const, text: '{{city}}' } },
    { name: 'wordy', template: { mode: 'freeform' as const, text: 'capital {{city}}' } },
  ];

  it('scores each column with the chosen metrics and intervals, and tests the difference between columns', async () => {
    const result = await sdk.prompts.compare({
      variants,
      models: ['echo:reverse'],
      inputs: cities.map((city) => ({ city })),
      references: cities.map((city) => [city, `${city} city`]),
      metrics: ['exact_match', 'chrf'],
    });
    expect(result.metrics).toEqual(['exact_match', 'chrf']);
    expect(result.rows[0]!.references).toEqual(['Paris', 'Paris city']);
    expect(result.rows[0]!.cells.map((cell) => cell.scores?.exact_match)).toEqual([1, 0]);
    const [bare, wordy] = result.summary.map((column) => column.metrics!);
    expect(bare!.exact_match).toMatchObject({ score: 1, n: cities.length, higher_is_better: true });
    expect(wordy!.exact_match!.score).toBe(0);
    // Quality beside latency and tokens (cost too, for a priced model), each with its bootstrap interval.
    for (const name of ['exact_match', 'chrf', 'latency', 'tokens']) expect(bare).toHaveProperty(name);
    expect(wordy!.chrf!.ci).not.toBeNull();
    // The interval is the bootstrap of the per-cell mean (chrF's score itself is corpus-level).
    const cellMean = result.rows.reduce((sum, row) => sum + row.cells[1]!.scores!.chrf!, 0) / cities.length;
    expect(wordy!.chrf!.ci!.low).toBeLessThanOrEqual(cellMean);
    expect(wordy!.chrf!.ci!.high).toBeGreaterThanOrEqual(cellMean);
    // The same metric code as POST /api/v1/metrics/compute (sacreBLEU's chrF, against both references).
    const direct = await sdk.metrics.compute({
      metric: 'chrf',
      predictions: result.rows.map((row) => row.cells[1]!.output),
      references: cities.map((city) => [city, `${city} city`]),
    });
    expect(wordy!.chrf!.score).toBeCloseTo(direct.score!, 12);
    // The second column against the first: paired over the six rows, exact match significantly worse.
    expect(result.significance).toHaveLength(1);
    const significance = result.significance![0]!;
    expect(significance).toMatchObject({ column: 1, baseline: 0 });
    expect(significance.metrics.find((metric) => metric.metric === 'exact_match')).toMatchObject({
      method: 'paired',
      n: cities.length,
      difference: -1,
      significant: true,
      verdict: 'worse',
    });
    expect(significance.metrics.find((metric) => metric.metric === 'chrf')!.verdict).toBe('worse');
    // It is the evaluation module's run comparison of the two recorded runs.
    const comparison = await sdk.evals.compare(result.summary[0]!.run_id!, result.summary[1]!.run_id!);
    expect(comparison.metrics.find((metric) => metric.metric === 'chrf')!.p_value).toBe(
      significance.metrics.find((metric) => metric.metric === 'chrf')!.p_value,
    );
  });

  it('runs a stored dataset’s items and records the columns on its version, paired with its other runs', async () => {
    await sdk.evals.addDataset({
      name: 'capitals',
      rows: cities.map((city) => ({ city, expected: city })),
      mapping: { input: ['city'], reference: 'expected' },
    });
    const result = await sdk.prompts.compare({
      variants,
      models: ['echo:reverse'],
      dataset: { name: 'capitals', limit: 4 },
    });
    expect(result.dataset).toEqual({ name: 'capitals', version: 1 });
    expect(result.metrics).toEqual(['exact_match', 'f1', 'rougeL', 'chrf']);
    expect(result.rows.map((row) => row.variables)).toEqual(cities.slice(0, 4).map((city) => ({ city })));
    expect(result.summary.map((column) => column.metrics!.f1!.score)).toEqual([1, 2 / 3]);
    const column = await sdk.evals.get(result.summary[0]!.run_id!);
    const executed = await sdk.evals.wait(
      (
        await sdk.evals.create({
          target: { kind: 'model', model: 'echo:reverse', prompt: 'capital {{city}}' },
          dataset: 'capitals',
          metrics: ['exact_match'],
        })
      ).id,
    );
    expect(executed.dataset_id).toBe(column.dataset_id);
    const paired = await sdk.evals.compare(column.id, executed.id);
    expect(paired.same_dataset).toBe(true);
    expect(paired.metrics.find((metric) => metric.metric === 'exact_match')).toMatchObject({
      method: 'paired',
      n: 4,
      difference: -1,
    });
  });

  it('refuses, before any model is called, what cannot be scored', async () => {
    const refused = async (body: Record<string, unknown>) => {
      const response = await keel.call('/api/v1/compare', {
        json: {
          variants: [{ template: { mode: 'freeform', text: '{{city}}' } }],
          models: ['echo:reverse'],
          ...body,
        },
      });
      const json = (await response.json()) as { error: { code: string; issues?: { code: string }[] } };
      return { status: response.status, code: json.error.code, issue: json.error.issues?.[0]?.code };
    };
    const inputs = [{ city: 'Paris' }];
    expect(await refused({ inputs, metrics: ['exact_match'] })).toMatchObject({
      status: 400,
      issue: 'missing_references',
    });
    expect(await refused({ inputs, references: ['Paris', 'Rome'] })).toMatchObject({
      status: 400,
      issue: 'length_mismatch',
    });
    expect(await refused({ inputs, references: ['Paris'], metrics: ['vibes'] })).toMatchObject({
      status: 400,
      issue: 'unknown_metric',
    });
    expect(await refused({ inputs, references: ['Paris'], metrics: ['mrr'] })).toMatchObject({
      status: 400,
      issue: 'metric_not_applicable',
    });
    expect(await refused({ inputs, dataset: { name: 'capitals' } })).toMatchObject({
      status: 400,
      issue: 'conflict',
    });
    expect(await refused({ dataset: { name: 'no-such-dataset' } })).toMatchObject({
      status: 404,
      code: 'not_found',
    });
  });
});
