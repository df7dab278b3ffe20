/**
 * One evaluation run end to end on real llama.cpp (the tiny random-weight GGUF): a stored template
 * version is rendered by Prompt Lab and generated item by item; outputs, tokens and latency are
 * recorded, and a second run of the same configuration answers from the output cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestKeel } from '../../testing/test-keel.js';
import { startTinyLlamaKeel, type TinyLlamaKeel } from '../../testing/tiny-llamacpp-keel.js';

let tiny: TinyLlamaKeel;
let keel: TestKeel;
const caller = () => ({
  projectId: keel.services.installation.defaultProjectId,
  keyId: null,
  actor: 'tester',
});

beforeAll(async () => {
  tiny = await startTinyLlamaKeel('keel-evals-llamacpp-');
  keel = tiny.keel;
});
afterAll(async () => {
  await tiny?.close();
});

describe('an evaluation run on llama.cpp', () => {
  it('renders a template version per item, generates, scores, and caches the outputs', async () => {
    await keel.services.prompts.create(caller(), {
      name: 'summarize',
      template: {
        mode: 'freeform',
        text: 'Summarize: {{text}}',
        model_id: 'llamacpp:tiny',
        parameters: { decoding_method: 'greedy', max_new_tokens: 8 },
      },
    });
    await keel.services.evals.datasets.add(
      { projectId: caller().projectId, actor: null },
      {
        name: 'docs',
        mapping: { input: ['text'], reference: 'summary' },
        rows: [
          { text: '배송이 늦었습니다.', summary: '배송 지연' },
          { text: 'The invoice was wrong.', summary: 'billing error' },
          { text: 'Great service.', summary: 'praise' },
        ],
      },
    );
    const spec = {
      target: { kind: 'template' as const, prompt: 'summarize' },
      dataset: 'docs',
      metrics: ['rougeL', 'latency', 'tokens'],
      options: { concurrency: 1 },
    };
    const first = await keel.services.evals.runs.create({ projectId: caller().projectId, actor: null }, spec);
    expect(first.target).toMatchObject({ resolved: { pinned: 'summarize@1', model: 'llamacpp:tiny' } });
    const run = await keel.services.evals.runs.wait(caller().projectId, first.id);
    expect(run.status).toBe('succeeded');
    expect(run.aggregates!.items).toMatchObject({ total: 3, succeeded: 3, failed: 0, cached: 0 });
    expect(Object.keys(run.aggregates!.metrics).sort()).toEqual(['latency', 'rougeL', 'tokens']);
    const { items } = await keel.services.evals.runs.items(caller().projectId, run.id);
    for (const item of items) {
      expect(item.output_tokens).toBeGreaterThan(0);
      expect(item.latency_ms).toBeGreaterThan(0);
      expect(item.scores.rougeL).toBeGreaterThanOrEqual(0);
    }
    const second = await keel.services.evals.runs.create(
      { projectId: caller().projectId, actor: null },
      spec,
    );
    const again = await keel.services.evals.runs.wait(caller().projectId, second.id);
    expect(again.aggregates!.items.cached).toBe(3);
    const outputs = (await keel.services.evals.runs.items(caller().projectId, again.id)).items.map(
      (i) => i.output,
    );
    expect(outputs).toEqual(items.map((i) => i.output));
  });
});
