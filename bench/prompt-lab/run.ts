/**
 * bench/prompt-lab — what Prompt Lab costs on top of the model call, and whether comparisons run
 * side by side. In one run:
 *   - overhead: running a stored template by label (`name@production`: resolve the label, check
 *     variables, render, count tokens against the context window, call, record the run in the
 *     history) against calling the same model directly with the already-rendered prompt through
 *     the generation service. Measured in process on the echo provider and on an OpenAI-compatible
 *     provider talking to a local fake upstream (its own process). Direct and Prompt Lab calls
 *     alternate, so drift hits both; the overhead is the median of the paired differences. Parts
 *     of it (label lookup, history write) are timed alone too.
 *   - compare: 4 models × 10 inputs against fake upstreams that answer after 25, 50, 75 and
 *     100 ms, at the default concurrency (4) and with every cell at once (40). Reports the wall
 *     time against the slowest model's serial time and against the sum of all calls.
 * Prints a table and one JSON line. Absolute times on shared machines move ±40%: read the ratios.
 *
 * Usage: npx tsx bench/prompt-lab/run.ts [--quick]
 */
import type { TemplateBody } from '../../src/api/prompts.js';
import { createOpenAICompatibleProvider } from '../../src/models/providers/openai-compatible/index.js';
import { planCompare } from '../../src/prompts/compare.js';
import type { Caller } from '../../src/prompts/prompt-lab.js';
import { runPrompt } from '../../src/prompts/prompt-runner.js';
import { createEchoProvider } from '../../src/testing/echo-provider.js';
import { createTestKeel } from '../../src/testing/test-keel.js';
import { startTsChild } from './child-process.js';

const quick = process.argv.includes('--quick');
const iterations = quick ? 400 : 3000;
const warmup = quick ? 100 : 500;
const delays = [25, 50, 75, 100];

const template: TemplateBody = {
  mode: 'structured',
  instruction:
    'Classify the customer complaint as delivery, defect, billing, service or other, and rate its urgency.',
  examples: [
    { input: 'My fridge has not arrived after a week.', output: 'delivery, medium' },
    { input: 'I was charged twice and one charge is still pending after ten days.', output: 'billing, high' },
  ],
  test_input: '{{complaint}} (customer tier: {{tier}})',
  variables: [
    { name: 'complaint', description: 'the complaint' },
    { name: 'tier', default: 'standard' },
  ],
  parameters: { decoding_method: 'greedy', max_new_tokens: 60 },
};
const variables = { complaint: 'The microwave sparked the first time I switched it on.' };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const upstreams = await startTsChild<{ immediate: string; delayed: { url: string; delayMs: number }[] }>(
  'bench/prompt-lab/upstreams.ts',
  delays.map(String),
);
const keel = await createTestKeel({
  providers: [
    createEchoProvider(),
    createOpenAICompatibleProvider({
      name: 'fake',
      baseURL: `${upstreams.info.immediate}/v1`,
      models: ['bench-model'],
    }),
    ...upstreams.info.delayed.map((upstream) =>
      createOpenAICompatibleProvider({
        name: `slow${upstream.delayMs}`,
        baseURL: `${upstream.url}/v1`,
        models: ['bench-model'],
      }),
    ),
  ],
});

try {
  const lab = keel.services.prompts;
  const caller: Caller & { endpoint: string } = {
    projectId: keel.services.installation.defaultProjectId,
    keyId: null,
    actor: 'bench',
    endpoint: '/api/v1/prompts/run',
  };
  await lab.create(caller, { name: 'bench', template });
  await lab.labels.setLabel(caller.projectId, 'bench', 'bench', 'production', 1);

  /** Direct and Prompt Lab calls, alternating; overhead = median of the paired differences. */
  async function overhead(model: string) {
    const rendered = await lab.render(caller, { prompt: 'bench@production', variables, model });
    if (rendered.prompt.type !== 'text') throw new Error('expected a text prompt');
    const prompt = { type: 'text' as const, text: rendered.prompt.text };
    const parameters = { decodingMethod: 'greedy' as const, maxNewTokens: 60 };
    const direct: number[] = [];
    const viaLab: number[] = [];
    const context = { projectId: caller.projectId, keyId: null, endpoint: '/bench/direct' };
    for (let i = 0; i < warmup + iterations; i++) {
      let started = performance.now();
      await keel.services.generation.generate({ model, prompt, parameters }, context);
      const directMs = performance.now() - started;
      started = performance.now();
      const source = await lab.source(caller.projectId, { prompt: 'bench@production' });
      const run = await runPrompt(lab, caller, { source, variables, model });
      const labMs = performance.now() - started;
      if (run.status !== 'ok') throw new Error(`run failed: ${run.error?.message}`);
      if (i >= warmup) {
        direct.push(directMs);
        viaLab.push(labMs);
      }
    }
    const differences = viaLab.map((ms, index) => ms - direct[index]!);
    return {
      model,
      direct_p50_ms: percentile(direct, 0.5),
      lab_p50_ms: percentile(viaLab, 0.5),
      lab_p99_ms: percentile(viaLab, 0.99),
      overhead_p50_ms: percentile(differences, 0.5),
      overhead_p90_ms: percentile(differences, 0.9),
    };
  }

  /** The parts of the overhead that touch the database, timed alone. */
  async function parts() {
    const resolve: number[] = [];
    const render: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      let started = performance.now();
      await lab.source(caller.projectId, { prompt: 'bench@production' });
      const resolveMs = performance.now() - started;
      started = performance.now();
      await lab.render(caller, { prompt: 'bench@production', variables, model: 'echo:reverse' });
      if (i >= warmup) {
        resolve.push(resolveMs);
        render.push(performance.now() - started - resolveMs);
      }
    }
    const sample = (await lab.runs.search(caller.projectId, { limit: 1 })).runs[0]!;
    const record: number[] = [];
    for (let i = 0; i < warmup + iterations; i++) {
      const started = performance.now();
      await lab.runs.insert(caller.projectId, { ...sample, id: `${sample.id}_${i}` });
      if (i >= warmup) record.push(performance.now() - started);
    }
    return {
      resolve_label_p50_ms: percentile(resolve, 0.5),
      render_and_budget_p50_ms: percentile(render, 0.5),
      record_run_p50_ms: percentile(record, 0.5),
    };
  }

  async function compare(concurrency: number) {
    const plan = await planCompare(lab, caller, {
      variants: [
        {
          template: {
            mode: 'freeform',
            text: 'Answer briefly: {{question}}',
            parameters: { max_new_tokens: 40 },
          },
        },
      ],
      models: delays.map((delay) => `slow${delay}:bench-model`),
      inputs: Array.from({ length: 10 }, (_, index) => ({ question: `question number ${index + 1}` })),
      concurrency,
    });
    const result = await plan.run();
    const errors = result.summary.reduce((sum, column) => sum + column.errors, 0);
    if (errors)
      throw new Error(`${errors} compare cells failed: ${JSON.stringify(result.rows[0]!.cells[0]!.error)}`);
    const serialByModel = result.columns.map((column) =>
      result.rows.reduce((sum, row) => sum + row.cells[column.index]!.latency_ms, 0),
    );
    const sum = serialByModel.reduce((total, ms) => total + ms, 0);
    const slowest = Math.max(...serialByModel);
    return {
      concurrency,
      cells: result.rows.length * result.columns.length,
      wall_ms: result.wall_ms,
      slowest_model_serial_ms: slowest,
      sum_serial_ms: sum,
      wall_over_slowest_model: result.wall_ms / slowest,
      wall_over_sum: result.wall_ms / sum,
    };
  }

  const echo = await overhead('echo:reverse');
  const fake = await overhead('fake:bench-model');
  const breakdown = await parts();
  await compare(4); // warm the connections to the delayed upstreams
  const compareDefault = await compare(4);
  const compareAll = await compare(40);

  const f = (ms: number) => ms.toFixed(3);
  const rows: [string, string][] = [
    ['echo: direct p50 / via Prompt Lab p50', `${f(echo.direct_p50_ms)} / ${f(echo.lab_p50_ms)} ms`],
    ['echo: overhead p50 (p90)', `${f(echo.overhead_p50_ms)} (${f(echo.overhead_p90_ms)}) ms`],
    ['fake upstream: direct p50 / via Prompt Lab p50', `${f(fake.direct_p50_ms)} / ${f(fake.lab_p50_ms)} ms`],
    ['fake upstream: overhead p50 (p90)', `${f(fake.overhead_p50_ms)} (${f(fake.overhead_p90_ms)}) ms`],
    ['  of which: resolve name@label (p50)', `${f(breakdown.resolve_label_p50_ms)} ms`],
    ['  of which: render + token budget (p50)', `${f(breakdown.render_and_budget_p50_ms)} ms`],
    ['  of which: record the run (p50)', `${f(breakdown.record_run_p50_ms)} ms`],
    ...[compareDefault, compareAll].map((c): [string, string] => [
      `compare 4 models × 10 inputs, concurrency ${c.concurrency}`,
      `wall ${c.wall_ms.toFixed(0)} ms; slowest model serial ${c.slowest_model_serial_ms.toFixed(0)} ms (×${c.wall_over_slowest_model.toFixed(2)}); sum ${c.sum_serial_ms.toFixed(0)} ms (×${c.wall_over_sum.toFixed(2)})`,
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(
    `Prompt Lab benchmark (${iterations} paired calls per target${quick ? ', quick' : ''})\n`,
  );
  for (const [label, value] of rows) process.stdout.write(`${label.padEnd(width)}  ${value}\n`);
  process.stdout.write(
    `${JSON.stringify({
      bench: 'prompt-lab',
      iterations,
      overhead: { echo, fake_upstream: fake, breakdown },
      overhead_target_ms: 1,
      overhead_within_target: echo.overhead_p50_ms <= 1 && fake.overhead_p50_ms <= 1,
      compare: [compareDefault, compareAll],
      compare_bounded_by_slowest_model:
        compareDefault.wall_over_slowest_model <= 1 && compareAll.wall_over_slowest_model <= 1,
    })}\n`,
  );
} finally {
  await keel.close();
  await upstreams.stop();
}
