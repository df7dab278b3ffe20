/**
 * Prompt-optimisation benchmark: SciTLDR (English paper abstracts → one-sentence TLDRs) with the
 * tiny random-weight GGUF on llama.cpp, a small budget, through the same `tuning.prompt` job the
 * API runs (Prompt Lab renders, the evaluation module's metric scores). The tiny model has random
 * weights, so its summaries are noise (greedy decoding gives runs of punctuation, chrF 0): the point is the harness — that
 * the search (instructions, few-shot sets fixed and retrieved per input, formats, then the joint
 * step) runs end to end, stays within its budget, stores the baseline's and the winner's
 * evaluation runs, and reports the tokens it spent.
 *
 *   npx tsx bench/tuning/prompt-optimisation.ts   (KEEL_BENCH_DEV items per candidate, default 6;
 *                                                  KEEL_BENCH_CALLS, default 60)
 */
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import path from 'node:path';
import { startTinyLlamaKeel } from '../../src/testing/tiny-llamacpp-keel.js';
import type { PromptJobResult } from '../../src/tuning/index.js';
import { datasetsDir } from './sets.js';

const log = (line: string) => process.stdout.write(`${line}\n`);
const DEV = Number(process.env.KEEL_BENCH_DEV ?? 6);
const CALLS = Number(process.env.KEEL_BENCH_CALLS ?? 60);
const TOKENS = 60_000;
const METRIC = 'chrf';

const file = path.join(datasetsDir, 'sum-en-scitldr', 'SciTLDR-A_test.jsonl');
const lines = (await readFile(file, 'utf8')).split('\n').filter((l) => l.trim());
// Short abstracts (their first two sentences) so that examples and the input fit a small context.
const rows = lines.slice(0, 40).map((line, i) => {
  const r = JSON.parse(line) as { source: string[]; target: string[] };
  return {
    abstract: r.source.slice(0, 2).join(' ').slice(0, 240),
    tldr: r.target[0] ?? '',
    split: i < 20 ? 'train' : 'dev',
  };
});

const tiny = await startTinyLlamaKeel('prompt-opt-bench-', { contextSize: 1024 });
const { keel } = tiny;
try {
  const ok = (r: Response) => {
    if (r.status >= 300) throw new Error(`setup failed: ${r.status}`);
  };
  ok(
    await keel.call('/api/v1/prompts', {
      method: 'POST',
      json: {
        name: 'tldr',
        template: {
          mode: 'structured',
          instruction: 'Summarise the abstract.',
          test_input: '{{abstract}}',
          model_id: 'llamacpp:tiny',
          parameters: { decoding_method: 'greedy', max_new_tokens: 16 },
        },
      },
    }),
  );
  ok(
    await keel.call('/api/v1/datasets', {
      method: 'POST',
      json: { name: 'scitldr', rows, mapping: { input: ['abstract'], reference: 'tldr', split: 'split' } },
    }),
  );
  const started = performance.now();
  const response = await keel.call('/api/v1/tuning/jobs', {
    method: 'POST',
    json: {
      type: 'prompt',
      template: 'tldr',
      dataset: 'scitldr',
      metric: METRIC,
      budget: { calls: CALLS, tokens: TOKENS },
      seed: 1,
      instructions: ['Write a one-sentence TLDR of the abstract.'],
      propose_instructions: 1,
      few_shot: { k: [2], per_input: true },
      joint: 3,
      dev_size: DEV,
    },
  });
  const job = (await response.json()) as { id: string };
  let done: { status: string; result: PromptJobResult; error?: unknown };
  for (;;) {
    done = (await (await keel.call(`/api/v1/jobs/${job.id}`)).json()) as typeof done;
    if (['succeeded', 'failed', 'cancelled'].includes(done.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 'succeeded') throw new Error(`job ${done.status}: ${JSON.stringify(done.error)}`);
  const r = done.result;
  log(
    `Prompt optimisation on SciTLDR-A (${rows.length} rows: 20 train, ${r.dataset.dev} dev scored), llamacpp:tiny`,
  );
  log('The tiny model has RANDOM weights: scores are noise; this measures the harness, not quality.');
  log(
    `load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')} (the machine is shared by other work)\n`,
  );
  log('| candidate | kind | status | chrF | failed items | calls | tokens |');
  log('|---|---|---|---:|---:|---:|---:|');
  for (const t of r.trace) {
    log(
      `| ${t.id} | ${t.kind} | ${t.status} | ${t.score === null ? '–' : t.score.toFixed(4)} | ${t.failedItems} | ${t.calls} | ${t.tokens} |`,
    );
  }
  log(
    `\nbaseline ${r.baseline.toFixed(4)}, best ${r.best.score.toFixed(4)} (${r.best.id}); spent ${r.spent.calls}/${CALLS} calls, ${r.spent.tokens}/${TOKENS} tokens; stopped: ${r.stopped}; ${seconds.toFixed(1)} s; saved version ${r.template.savedVersion ?? 'none'}`,
  );
  log(`evaluation runs: baseline ${r.evaluations.baseline}, winner ${r.evaluations.winner}`);
  log(
    JSON.stringify({
      bench: 'tuning.prompt-optimisation',
      dataset: 'sum-en-scitldr',
      model: 'llamacpp:tiny (random weights)',
      metric: METRIC,
      candidates: r.trace.length,
      per_input: r.trace.filter((t) => t.detail.per_input === true).length,
      joint: r.trace.filter((t) => t.kind === 'joint').length,
      baseline: r.baseline,
      best: r.best.score,
      best_id: r.best.id,
      calls: r.spent.calls,
      tokens: r.spent.tokens,
      budget: r.budget,
      stopped: r.stopped,
      seconds: Number(seconds.toFixed(2)),
      load: loadavg()[0],
    }),
  );
} finally {
  await tiny.close();
}
