import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { KeelError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { createRuntime } from '../../server/runtime.js';
import type { ProviderV1 } from '../../spec/provider.js';
import { createTestDatabase } from '../../testing/database.js';
import { createEchoProvider } from '../../testing/echo-provider.js';
import { createTestKeel, TEST_ADMIN_KEY, type TestKeel } from '../../testing/test-keel.js';

/**
 * The echo model with a few scripted behaviours: a prompt containing SLOW waits until aborted; a
 * `judge` provider answers `SCORE: 4`, or garbage when the answer contains GARBAGE. Completed
 * calls are counted per prompt.
 */
function scriptedProvider(name: string, calls: Map<string, number>, delayMs = 0): ProviderV1 {
  const echo = createEchoProvider({
    name,
    respond: (options) => {
      if (name !== 'judge') return undefined;
      const text = options.prompt.type === 'text' ? options.prompt.text : '';
      return text.includes('GARBAGE') ? 'I cannot say' : 'SCORE: 4';
    },
  });
  return {
    ...echo,
    languageModel(id) {
      const model = echo.languageModel(id);
      return Object.assign(Object.create(model), {
        async doGenerate(options: Parameters<typeof model.doGenerate>[0]) {
          const text = options.prompt.type === 'text' ? options.prompt.text : JSON.stringify(options.prompt);
          const wait = text.includes('SLOW') ? 60_000 : delayMs;
          if (wait) {
            await new Promise<void>((resolve, reject) => {
              const timer = setTimeout(resolve, wait);
              options.abortSignal?.addEventListener(
                'abort',
                () => {
                  clearTimeout(timer);
                  reject(new DOMException('aborted', 'AbortError'));
                },
                { once: true },
              );
            });
          }
          const result = await model.doGenerate(options);
          calls.set(text, (calls.get(text) ?? 0) + 1);
          return result;
        },
      });
    },
  };
}

const calls = new Map<string, number>();
let keel: TestKeel;
const project = () => keel.services.installation.defaultProjectId;
const caller = () => ({ projectId: project(), actor: null });

beforeAll(async () => {
  keel = await createTestKeel({
    providers: [scriptedProvider('echo', calls), scriptedProvider('judge', calls)],
  });
  await keel.services.evals.datasets.add(caller(), {
    name: 'qa',
    mapping: { input: ['question'], reference: 'answer', contexts: 'context' },
    rows: [
      { question: 'a b', answer: 'b a', context: 'b a c' },
      { question: 'c d', answer: 'd c', context: 'd c' },
      { question: 'e f', answer: 'wrong', context: 'x' },
      { question: 'SLOW g', answer: 'g SLOW', context: 'g' },
      { question: 'GARBAGE h', answer: 'h GARBAGE', context: 'h' },
    ],
  });
});
afterAll(() => keel.close());

describe('evaluation runs', () => {
  it('runs a model over a dataset: per-item results, failures coded, aggregates with intervals, thresholds', async () => {
    const created = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse' },
      dataset: 'qa',
      metrics: ['exact_match', 'faithfulness', 'latency', 'hap_rate'],
      thresholds: [
        { metric: 'exact_match', min: 0.5 },
        { metric: 'faithfulness', min: 0.1 },
      ],
      options: { judge_model: 'judge:reverse', item_timeout_ms: 300, concurrency: 2 },
    });
    expect(created.status).toBe('queued');
    const run = await keel.services.evals.runs.wait(project(), created.id);
    expect(run.status).toBe('succeeded');
    const { items } = await keel.services.evals.runs.items(project(), run.id);
    expect(items.map((item) => [item.ordinal, item.status, item.error?.code ?? null])).toEqual([
      [0, 'succeeded', null],
      [1, 'succeeded', null],
      [2, 'succeeded', null],
      [3, 'failed', 'item_timeout'],
      [4, 'failed', 'judge_unparseable'],
    ]);
    expect(items[0]!.scores).toMatchObject({ exact_match: 1, faithfulness: 0.75, hap_rate: 0 });
    const aggregates = run.aggregates!;
    expect(aggregates.items).toMatchObject({ total: 5, succeeded: 3, failed: 2 });
    // Two of five items match; the failed ones count as misses, never as passes.
    expect(aggregates.metrics.exact_match!.score).toBeCloseTo(0.4, 10);
    expect(aggregates.metrics.exact_match!.ci!.low).toBeLessThanOrEqual(0.4);
    expect(aggregates.thresholds.map((t) => [t.metric, t.passed])).toEqual([
      ['exact_match', false],
      ['faithfulness', true],
    ]);
    expect(run.passed).toBe(false);
    expect(await keel.services.evals.runs.getRun(project(), run.id)).toMatchObject({
      status: 'succeeded',
      metrics: { exact_match: expect.closeTo(0.4, 10) },
    });
  });

  it('reuses cached outputs, falls back to lexical judges, and compares two runs', async () => {
    const before = calls.get('a b') ?? 0;
    const a = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse' },
      dataset: 'qa',
      sample: { size: 3, seed: 1 },
      metrics: ['exact_match', 'faithfulness'],
      options: { item_timeout_ms: 300 },
    });
    const done = await keel.services.evals.runs.wait(project(), a.id);
    expect(Object.keys(done.aggregates!.metrics).sort()).toEqual(['exact_match', 'faithfulness_lexical']);
    const b = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse', prompt: 'Q: {{question}}' },
      dataset: 'qa',
      metrics: ['exact_match', 'faithfulness'],
      options: { item_timeout_ms: 300 },
    });
    await keel.services.evals.runs.wait(project(), b.id);
    const c = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse' },
      dataset: 'qa',
      sample: { size: 3, seed: 1 },
      metrics: ['exact_match', 'faithfulness'],
      options: { item_timeout_ms: 300 },
    });
    const again = await keel.services.evals.runs.wait(project(), c.id);
    expect(again.aggregates!.items.cached).toBe(done.aggregates!.items.succeeded);
    expect(calls.get('a b') ?? 0).toBeLessThanOrEqual(before + 1);
    const comparison = await keel.services.evals.runs.compare(project(), a.id, b.id);
    expect(comparison.same_dataset).toBe(true);
    const em = comparison.metrics.find((metric) => metric.metric === 'exact_match')!;
    expect(em.n).toBe(3);
    expect(em.difference).toBeLessThan(0);
    expect(em.p_value).toBeGreaterThanOrEqual(0);
  });

  it('runs a RAG collection: the answer’s passages are the contexts the judged metrics read', async () => {
    const rag = keel.services.rag;
    const who = { projectId: project(), keyId: null, actor: null };
    await rag.create(who, { name: 'manual', config: { answer: { model: 'echo:reverse' } } });
    const added = await rag.addDocuments(who, 'manual', [
      {
        name: 'w.txt',
        mediaType: 'text/plain',
        data: new TextEncoder().encode('The warranty lasts two years.'),
      },
    ]);
    await keel.services.jobs.wait(added.job!.id);
    await keel.services.evals.datasets.add(caller(), {
      name: 'rag-qa',
      mapping: { input: ['question'], reference: 'answer' },
      rows: [{ question: 'How long is the warranty?', answer: 'two years' }],
    });
    const created = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'rag', collection: 'manual', mode: 'keyword' },
      dataset: 'rag-qa',
      metrics: ['context_relevance', 'f1'],
    });
    expect(created.target).toMatchObject({ resolved: { config_version: 1 } });
    const run = await keel.services.evals.runs.wait(project(), created.id);
    expect(run.status).toBe('succeeded');
    const [item] = (await keel.services.evals.runs.items(project(), run.id)).items;
    expect(item).toMatchObject({ status: 'succeeded' });
    // The passage holds "warranty": the lexical stand-in finds part of the question in it.
    expect(item!.scores.context_relevance_lexical).toBeGreaterThan(0);

    // A run answers with a configuration version pinned when it is created: an older one by number.
    await rag.updateConfig(who, 'manual', { answer: { model: 'echo:reverse', temperature: 0.5 } });
    const pinned = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'rag', collection: 'manual', config_version: 1 },
      dataset: 'rag-qa',
      metrics: ['f1'],
    });
    expect(pinned.target).toMatchObject({
      resolved: { config_version: 1, config: { answer: { temperature: 0 } } },
    });
    const current = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'rag', collection: 'manual' },
      dataset: 'rag-qa',
      metrics: ['f1'],
    });
    expect(current.target).toMatchObject({
      resolved: { config_version: 2, config: { answer: { temperature: 0.5 } } },
    });
    expect((await keel.services.evals.runs.wait(project(), pinned.id)).status).toBe('succeeded');
    const unknown = await keel.services.evals.runs
      .create(caller(), {
        target: { kind: 'rag', collection: 'manual', config_version: 9 },
        dataset: 'rag-qa',
        metrics: ['f1'],
      })
      .catch((error: unknown) => error as KeelError);
    expect((unknown as KeelError).issues?.[0]?.code).toBe('unknown_version');
  });

  it('cancels a run: its status follows the job', async () => {
    const created = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse' },
      dataset: 'qa',
      sample: { size: 1, seed: 0 },
      metrics: ['exact_match'],
      options: { concurrency: 1 },
    });
    const slow = await keel.services.evals.runs.create(caller(), {
      target: { kind: 'model', model: 'echo:reverse', prompt: 'SLOW {{question}}' },
      dataset: 'qa',
      metrics: ['exact_match'],
    });
    const cancelled = await keel.services.evals.runs.cancel(caller(), slow.id);
    const settled =
      cancelled.status === 'cancelled' ? cancelled : await keel.services.evals.runs.wait(project(), slow.id);
    expect(settled.status).toBe('cancelled');
    expect((await keel.services.evals.runs.wait(project(), created.id)).status).toBe('succeeded');
  });

  it('refuses unknown metrics, reference metrics without references, and deployments that do not exist', async () => {
    await keel.services.evals.datasets.add(caller(), { name: 'bare', rows: [{ text: 'x' }] });
    const refused = async (input: Parameters<typeof keel.services.evals.runs.create>[1]) => {
      const error = await keel.services.evals.runs.create(caller(), input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeelError);
      return error as KeelError;
    };
    const model = { kind: 'model' as const, model: 'echo:reverse' };
    expect((await refused({ target: model, dataset: 'bare', metrics: ['rougeL'] })).issues?.[0]?.code).toBe(
      'references_required',
    );
    expect((await refused({ target: model, dataset: 'bare', metrics: ['nope'] })).issues?.[0]?.code).toBe(
      'unknown_metric',
    );
    expect(
      (await refused({ target: { kind: 'deployment', deployment: 'd' }, dataset: 'bare', metrics: [] })).code,
    ).toBe('deployment_not_found');
  });
});

describe('resuming a killed run', () => {
  it('runs each item once across a stop and a new runtime on the same database', async () => {
    const counted = new Map<string, number>();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'keel-evals-'));
    const config = loadConfig({
      env: {},
      cwd: dataDir,
      overrides: { dataDir, bootstrapKey: TEST_ADMIN_KEY, logging: { level: 'silent' } },
    });
    const db = await createTestDatabase();
    const start = () =>
      createRuntime(config, {
        db,
        logger: silentLogger,
        providers: [scriptedProvider('echo', counted, 20)],
        processMetrics: false,
      });
    try {
      const first = await start();
      const projectId = first.services.installation.defaultProjectId;
      const rows = Array.from({ length: 30 }, (_, i) => ({ question: `item ${i}`, answer: `${i} item` }));
      await first.services.evals.datasets.add(
        { projectId, actor: null },
        { name: 'long', mapping: { reference: 'answer' }, rows },
      );
      const run = await first.services.evals.runs.create(
        { projectId, actor: null },
        {
          target: { kind: 'model', model: 'echo:reverse' },
          dataset: 'long',
          metrics: ['exact_match'],
          options: { concurrency: 2 },
        },
      );
      while ((await first.services.evals.runs.items(projectId, run.id)).total < 6) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await first.close();
      const recorded = (await first.services.evals.runs.items(projectId, run.id)).total;
      expect(recorded).toBeLessThan(30);
      const second = await start();
      const finished = await second.services.evals.runs.wait(projectId, run.id);
      expect(finished.status).toBe('succeeded');
      expect(finished.aggregates!.items.total).toBe(30);
      expect(finished.aggregates!.metrics.exact_match!.score).toBe(1);
      for (let i = 0; i < 30; i += 1) expect(counted.get(`item ${i}`)).toBe(1);
      await second.close();
    } finally {
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
