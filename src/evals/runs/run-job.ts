/**
 * @module evals/runs/run-job
 * The `evals.run` job: calls the target for every item of the run not yet recorded, a few at a
 * time, each output cached by (input, configuration) hash and each result committed with the
 * job's progress in one lease-fenced transaction as it finishes. A run stopped mid-way (shutdown,
 * a killed process) resumes from what was recorded, so no item runs twice. At the end, registry
 * metrics are scored over all items, aggregated with bootstrap intervals, and the thresholds
 * decide pass or fail.
 */
import { KeelError } from '../../core/errors.js';
import type { JobContext, JobHandler } from '../../jobs/index.js';
import type { DatasetStore, StoredItem } from '../datasets/dataset-store.js';
import { ItemError } from '../judge/judge.js';
import type { ItemResult, RunStore } from './run-store.js';
import type { RunAggregates, RunRow, ThresholdResult } from './run-types.js';
import { aggregate, corpusScores, itemScores, reportedName, type ScoredItem } from './scoring.js';
import {
  cacheKey,
  callPrepared,
  prepareTarget,
  type ResolvedTarget,
  type TargetServices,
} from './targets.js';

export const RUN_JOB_KIND = 'evals.run';
export const DEFAULT_CONCURRENCY = 4;

export interface RunJobPayload {
  runId: string;
}

export interface RunJobResult {
  runId: string;
  passed: boolean;
  succeeded: number;
  failed: number;
}

export interface RunJobDeps extends TargetServices {
  runs: RunStore;
  datasets: DatasetStore;
}

/** Each threshold against its metric's aggregate; a metric with no value fails its threshold. */
export function checkThresholds(
  aggregates: RunAggregates['metrics'],
  thresholds: RunRow['thresholds'],
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const value =
      aggregates[threshold.metric]?.score ?? aggregates[`${threshold.metric}_lexical`]?.score ?? null;
    const passed =
      value !== null &&
      (threshold.min === undefined || value >= threshold.min) &&
      (threshold.max === undefined || value <= threshold.max);
    return { ...threshold, value, passed };
  });
}

/** At most `size` holders at once; the rest wait in order. */
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

async function runItem(
  deps: RunJobDeps,
  context: JobContext<RunJobPayload>,
  run: RunRow,
  item: StoredItem,
  model: Slots,
): Promise<{ result: ItemResult; cache?: { key: string; output: NonNullable<unknown> } }> {
  const target = run.target as ResolvedTarget;
  const caller = { projectId: run.project_id, keyId: null, actor: run.created_by };
  const key = cacheKey(target.resolved.config_hash, item);
  // One controller per item: aborted by the job's signal or the item's time limit, and let go after.
  // The job's signal may have fired already (a cancel during start-up): stop before any work.
  context.signal.throwIfAborted();
  const controller = new AbortController();
  const abort = () => controller.abort(context.signal.reason);
  context.signal.addEventListener('abort', abort, { once: true });
  let timedOut = false;
  const timer = run.options.item_timeout_ms
    ? setTimeout(() => {
        timedOut = true;
        controller.abort('timeout');
      }, run.options.item_timeout_ms)
    : undefined;
  const signal = controller.signal;
  const base = { ordinal: item.ordinal, latencyMs: null, inputTokens: null, outputTokens: null, cost: null };
  try {
    // A deployment is evaluated through its serving path every time (gate, limits, guardrails).
    const cacheable = run.options.cache !== false && target.kind !== 'deployment';
    const hit = cacheable ? await deps.runs.cached(run.project_id, key) : undefined;
    let output = hit;
    if (!output) {
      // Rendering happens outside the model slots (while another item is on the model).
      const prepared = await prepareTarget(deps, caller, target, item, signal);
      output = await model.use(() => callPrepared(deps, caller, target, prepared, signal));
    }
    const scores = await itemScores(run.metrics, item, output, {
      generation: deps.generation,
      model: run.options.judge_model,
      signal,
      context: { projectId: run.project_id, keyId: null, endpoint: 'evals.judge' },
    });
    return {
      result: {
        ...base,
        status: 'succeeded',
        output: output.text,
        scores,
        error: null,
        latencyMs: output.latencyMs,
        inputTokens: output.inputTokens,
        outputTokens: output.outputTokens,
        cost: output.cost,
        cached: hit !== undefined,
      },
      ...(hit || !cacheable ? {} : { cache: { key, output } }),
    };
  } catch (error) {
    if (context.signal.aborted) throw error;
    const failure = timedOut
      ? { code: 'item_timeout', message: `The item took longer than ${run.options.item_timeout_ms} ms.` }
      : error instanceof ItemError || error instanceof KeelError
        ? { code: error.code, message: error.message }
        : { code: 'item_failed', message: (error as Error).message ?? String(error) };
    return { result: { ...base, status: 'failed', output: null, scores: {}, error: failure, cached: false } };
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', abort);
  }
}

async function finish(
  deps: RunJobDeps,
  context: JobContext<RunJobPayload>,
  run: RunRow,
): Promise<RunJobResult> {
  const { items: rows } = await deps.runs.items(run.id);
  const byOrdinal = new Map(
    (await deps.datasets.items(run.dataset_id, run.dataset_version)).map((item) => [item.ordinal, item]),
  );
  const scored: ScoredItem[] = rows.map((row) => ({
    item: byOrdinal.get(row.ordinal)!,
    status: row.status,
    output: row.output,
    scores: row.scores,
  }));
  const { perItem, details } = corpusScores(run.metrics, scored);
  for (const entry of scored) Object.assign(entry.scores, perItem.get(entry.item.ordinal));
  const metrics: RunAggregates['metrics'] = {};
  const seed = run.options.bootstrap_seed ?? 0;
  for (const metric of run.metrics) {
    const name = reportedName(metric, run.options.judge_model);
    const result = aggregate(name, scored, details[name], seed);
    if (result) metrics[name] = result;
  }
  const failures: Record<string, number> = {};
  for (const row of rows) if (row.error) failures[row.error.code] = (failures[row.error.code] ?? 0) + 1;
  const failed = rows.filter((row) => row.status === 'failed').length;
  const thresholds = checkThresholds(metrics, run.thresholds);
  const aggregates: RunAggregates = {
    metrics,
    thresholds,
    items: {
      total: rows.length,
      succeeded: rows.length - failed,
      failed,
      cached: rows.filter((row) => row.cached).length,
    },
    failures,
  };
  const passed = thresholds.every((threshold) => threshold.passed);
  await context.transaction(async (tx) => {
    await deps.runs.mergeScores(
      tx,
      run.id,
      [...perItem].map(([ordinal, scores]) => ({ ordinal, scores })),
    );
    await deps.runs.setStatus(run.id, 'succeeded', { aggregates, passed }, tx);
  });
  return { runId: run.id, passed, succeeded: rows.length - failed, failed };
}

/** The `evals.run` job handler. */
export function runJobHandler(deps: RunJobDeps): JobHandler<RunJobPayload, RunJobResult> {
  return {
    concurrency: 2,
    describe: (payload) => ({ run: payload.runId }),
    async run(context) {
      const run = await deps.runs.byId(context.payload.runId);
      if (!run) throw new KeelError('not_found', `Evaluation run ${context.payload.runId} no longer exists.`);
      await deps.runs.setStatus(run.id, 'running');
      const wanted = new Set(run.ordinals);
      const done = await deps.runs.doneOrdinals(run.id);
      const items = (await deps.datasets.items(run.dataset_id, run.dataset_version)).filter(
        (item) => wanted.has(item.ordinal) && !done.has(item.ordinal),
      );
      const total = run.ordinals.length;
      let finished = done.size;
      let failed = 0;
      await context.progress(finished, total, 'generating');
      let next = 0;
      let stop = false;
      const worker = async () => {
        while (!stop && next < items.length) {
          const item = items[next++]!;
          const { result, cache } = await runItem(deps, context, run, item, model);
          await context.transaction(async (tx) => {
            const recorded = await deps.runs.recordItem(tx, run.id, result);
            if (cache) await deps.runs.cache(tx, run.project_id, cache.key, cache.output as never);
            if (recorded) {
              finished += 1;
              if (result.status === 'failed') failed += 1;
            }
            await context.progress(finished, total, 'generating', { tx, data: { failed } });
          });
        }
      };
      const concurrency = Math.max(1, Math.min(run.options.concurrency ?? DEFAULT_CONCURRENCY, 32));
      // `concurrency` items on the model at once, and one more worker, so that an item is
      // rendered and the previous one recorded while the model works.
      const model = new Slots(concurrency);
      const outcomes = await Promise.allSettled(
        Array.from({ length: Math.min(concurrency + 1, items.length) }, () =>
          worker().catch((error: unknown) => {
            stop = true;
            throw error;
          }),
        ),
      );
      const rejected = outcomes.find((outcome) => outcome.status === 'rejected');
      if (rejected) throw (rejected as PromiseRejectedResult).reason;
      await context.progress(finished, total, 'scoring');
      return finish(deps, context, run);
    },
    onFinished(job) {
      if (job.status === 'succeeded') return;
      void deps.runs
        .setStatus(job.payload.runId, job.status, job.error ? { error: job.error } : {})
        .catch(() => {});
    },
  };
}
