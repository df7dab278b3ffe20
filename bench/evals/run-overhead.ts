/**
 * @module bench/evals/run-overhead
 * What an evaluation run costs beyond the model: a run of a stored template over 1,000 items on
 * llama.cpp (the tiny GGUF, one thread, one item at a time, output cache off), its wall time
 * (created → finished) against the sum of the model's own time per item (the generation
 * service's latency). The rest is Keel: rendering and token counting, the job, per-item
 * transactions with progress, scoring and aggregation. Target: overhead ≤ 5%. Prints a table,
 * then ONE JSON line.
 *
 *   npx tsx bench/evals/run-overhead.ts     (KEEL_BENCH_RUN_ITEMS=<n> to change the 1,000)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLlamaCppProvider } from '../../src/models/providers/llamacpp/index.js';
import { createTestKeel } from '../../src/testing/test-keel.js';
import { ensureTinyGguf } from '../../src/testing/tiny-gguf.js';

const ITEMS = Number(process.env.KEEL_BENCH_RUN_ITEMS ?? 1000);
const log = (line: string) => process.stdout.write(`${line}\n`);

export interface RunOverhead {
  items: number;
  wallSeconds: number;
  modelSeconds: number;
  overhead: number;
  failed: number;
  itemsPerSecond: number;
}

export async function runOverheadBench(items = ITEMS): Promise<RunOverhead> {
  const dir = await mkdtemp(path.join(tmpdir(), 'keel-bench-evals-'));
  await ensureTinyGguf(dir);
  const keel = await createTestKeel({
    providers: [
      createLlamaCppProvider({
        modelsDir: dir,
        threads: 1,
        contextSize: 512,
        sequences: 1,
        maxLoadedModels: 1,
        idleUnloadSeconds: 600,
      }),
    ],
  });
  try {
    const projectId = keel.services.installation.defaultProjectId;
    const caller = { projectId, keyId: null, actor: 'bench' };
    await keel.services.prompts.create(caller, {
      name: 'summarize',
      template: {
        mode: 'freeform',
        text: 'Summarize in a few words: {{text}}',
        model_id: 'llamacpp:tiny',
        parameters: { decoding_method: 'greedy', max_new_tokens: 16 },
      },
    });
    const rows = Array.from({ length: items }, (_, index) => ({
      text: `Item ${index}: the delivery arrived ${index % 7} days late and the box was ${index % 2 ? 'damaged' : 'fine'}.`,
      summary: index % 2 ? 'late, damaged' : 'late',
    }));
    await keel.services.evals.datasets.add(
      { projectId, actor: null },
      { name: 'bench', mapping: { input: ['text'], reference: 'summary' }, rows },
    );
    // Load the model before timing (a run's first item would otherwise carry the load).
    await keel.services.generation.generate({
      model: 'llamacpp:tiny',
      prompt: { type: 'text', text: 'warm up' },
      parameters: { maxNewTokens: 2 },
    });
    const started = performance.now();
    const created = await keel.services.evals.runs.create(
      { projectId, actor: null },
      {
        target: { kind: 'template', prompt: 'summarize' },
        dataset: 'bench',
        metrics: ['rougeL', 'exact_match', 'latency'],
        options: { concurrency: 1, cache: false },
      },
    );
    const run = await keel.services.evals.runs.wait(projectId, created.id);
    const wallSeconds = (performance.now() - started) / 1000;
    if (run.status !== 'succeeded') throw new Error(`run ${run.status}: ${run.error?.message}`);
    const { items: results } = await keel.services.evals.runs.items(projectId, run.id);
    const modelSeconds = results.reduce((sum, item) => sum + (item.latency_ms ?? 0), 0) / 1000;
    return {
      items,
      wallSeconds,
      modelSeconds,
      overhead: (wallSeconds - modelSeconds) / modelSeconds,
      failed: run.aggregates!.items.failed,
      itemsPerSecond: items / wallSeconds,
    };
  } finally {
    await keel.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printRunOverhead(result: RunOverhead, print: (line: string) => void = log): void {
  print('| items | wall (s) | model time (s) | overhead | target | items/s | failed |');
  print('|---|---|---|---|---|---|---|');
  print(
    `| ${result.items} | ${result.wallSeconds.toFixed(2)} | ${result.modelSeconds.toFixed(2)} | ${(result.overhead * 100).toFixed(1)}% | ≤ 5% ${result.overhead <= 0.05 ? 'met' : 'NOT met'} | ${result.itemsPerSecond.toFixed(1)} | ${result.failed} |`,
  );
}

export function runOverheadJson(result: RunOverhead) {
  return {
    items: result.items,
    wall_s: Number(result.wallSeconds.toFixed(3)),
    model_s: Number(result.modelSeconds.toFixed(3)),
    overhead: Number(result.overhead.toFixed(4)),
    target_met: result.overhead <= 0.05,
    items_per_s: Number(result.itemsPerSecond.toFixed(2)),
    failed: result.failed,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await runOverheadBench();
  log('## Evaluation run overhead (tiny GGUF, 1 thread, sequential)');
  printRunOverhead(result);
  log(JSON.stringify({ bench: 'evals-run-overhead', ...runOverheadJson(result) }));
}
