/**
 * @module bench/evals/run
 * The evaluation benchmark: metric agreement and throughput, then a run's overhead over its model
 * time (1,000 items on the tiny GGUF). Prints the tables, then ONE JSON line. Red-teaming has its
 * own script, `bench/evals/red-team.ts` (attack success with the default policy against none).
 *
 *   npx tsx bench/evals/run.ts [--metrics-only]   (KEEL_BENCH_METRIC_ITEMS=<n> to change the 10,000)
 */
import { metricsJson, printMetricsBench, runMetricsBench } from './metrics.js';
import { printRunOverhead, runOverheadBench, runOverheadJson } from './run-overhead.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

const metrics = runMetricsBench();
log('## Metrics');
printMetricsBench(metrics, log);
const overhead = process.argv.includes('--metrics-only') ? undefined : await runOverheadBench();
if (overhead) {
  log('');
  log('## Evaluation run overhead (tiny GGUF, 1 thread, sequential)');
  printRunOverhead(overhead, log);
}
log(
  JSON.stringify({
    bench: 'evals',
    metrics: metricsJson(metrics),
    ...(overhead ? { run_overhead: runOverheadJson(overhead) } : {}),
  }),
);
