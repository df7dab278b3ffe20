/**
 * @module bench/evals/run
 * The evaluation benchmark: one section per part (metrics first; runs and red-teaming add theirs).
 * Prints the tables, then ONE JSON line.
 *
 *   npx tsx bench/evals/run.ts          (KEEL_BENCH_METRIC_ITEMS=<n> to change the 10,000)
 */
import { metricsJson, printMetricsBench, runMetricsBench } from './metrics.js';

const log = (line: string) => process.stdout.write(`${line}\n`);

const metrics = runMetricsBench();
log('## Metrics');
printMetricsBench(metrics, log);
log(JSON.stringify({ bench: 'evals', metrics: metricsJson(metrics) }));
