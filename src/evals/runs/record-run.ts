/**
 * @module evals/runs/record-run
 * Recorded runs: outputs a client feature produced itself (a RAG experiment's grid point, a
 * Prompt Lab comparison's column) stored as a finished evaluation run. The items become a dataset
 * version through the ordinary dataset path (equal content, equal version, so two experiments on
 * the same questions compare item by item); the scores come from the same metric code and the
 * same aggregation (bootstrap intervals, failures at the worst value) as an executed run's.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { RecordedItemV1, RecordedRunV1, RecordRunV1 } from '../../spec/evaluation-recorder.js';
import type { DatasetService } from '../datasets/dataset-service.js';
import type { StoredItem } from '../datasets/dataset-store.js';
import type { Row } from '../datasets/parse-file.js';
import { computeMetric, metricInfo } from '../metrics/index.js';
import { checkThresholds } from './run-job.js';
import type { RunStore } from './run-store.js';
import type { RunAggregates, RunRow } from './run-types.js';
import { aggregate, corpusScores, costMetrics } from './scoring.js';

export interface RecordRunDeps {
  db: DatabaseV1;
  datasets: DatasetService;
  runs: RunStore;
  audit: AuditRecorder;
}

const isCost = (metric: string) => (costMetrics as readonly string[]).includes(metric);

/** Dataset rows: the inputs as columns (a `row` number when there are none) and the references. */
function datasetRows(items: readonly RecordedItemV1[]): { rows: Row[]; input: string[]; reference?: string } {
  const input = [...new Set(items.flatMap((item) => Object.keys(item.input)))];
  const withReferences = items.some((item) => item.references?.length);
  let reference: string | undefined;
  if (withReferences) {
    reference = 'references';
    while (input.includes(reference)) reference = `_${reference}`;
  }
  const rows = items.map((item, index): Row => {
    const row: Row = input.length ? { ...item.input } : { row: index + 1 };
    if (reference) row[reference] = item.references ?? [];
    return row as Row;
  });
  return { rows, input: input.length ? input : ['row'], ...(reference ? { reference } : {}) };
}

export function checkRecordedMetrics(metrics: readonly string[]): void {
  const unknown = metrics.filter((metric) => !isCost(metric) && !metricInfo(metric));
  if (unknown.length)
    throw new KeelError('invalid_request', `Unknown metric(s) for a recorded run: ${unknown.join(', ')}.`, {
      issues: unknown.map((metric) => ({
        code: 'unknown_metric',
        path: ['metrics', metrics.indexOf(metric)],
        message: metric,
      })),
    });
}

/**
 * Per-item scores by metric: registry metrics over the items they apply to, cost from the items.
 * With `stored` (the dataset version's items, in the order of `input.items`), registry metrics
 * are scored against their labels and references as an executed run scores them.
 */
function scoreItems(
  input: RecordRunV1,
  stored?: readonly StoredItem[],
): {
  perItem: Record<string, number>[];
  corpus: Record<string, { score: number; details?: Record<string, unknown> | undefined }>;
} {
  const perItem = input.items.map((item) => ({ ...item.observed }));
  const corpus: Record<string, { score: number; details?: Record<string, unknown> | undefined }> = {};
  const succeeded = input.items.flatMap((item, index) => (item.output === null ? [] : [{ item, index }]));
  for (const metric of input.metrics) {
    if (isCost(metric)) {
      for (const { item, index } of succeeded) {
        const value =
          metric === 'latency'
            ? item.latencyMs
            : metric === 'tokens'
              ? item.inputTokens === undefined && item.outputTokens === undefined
                ? undefined
                : (item.inputTokens ?? 0) + (item.outputTokens ?? 0)
              : item.cost;
        if (typeof value === 'number' && Number.isFinite(value)) perItem[index]![metric] = value;
      }
      continue;
    }
    if (stored) {
      const { perItem: byOrdinal, details } = corpusScores(
        [metric],
        input.items.map((item, index) => ({
          item: stored[index]!,
          status: item.output === null ? ('failed' as const) : ('succeeded' as const),
          output: item.output,
          scores: {},
        })),
      );
      if (details[metric]) corpus[metric] = details[metric];
      stored.forEach((item, index) => Object.assign(perItem[index]!, byOrdinal.get(item.ordinal)));
      continue;
    }
    const info = metricInfo(metric)!;
    const retrieval = info.family === 'retrieval';
    // Retrieval metrics read what was retrieved; reference metrics only the items that have references.
    const scored = succeeded.filter(({ item }) =>
      retrieval ? item.retrieved !== undefined : !info.needsReferences || !!item.references?.length,
    );
    if (!scored.length) continue;
    const result = computeMetric(metric, {
      predictions: scored.map(({ item }) => (retrieval ? item.retrieved : item.output)),
      references: scored.map(({ item }) => (retrieval ? (item.relevant ?? []) : (item.references ?? []))),
      contexts: scored.map(({ item }) => item.contexts ?? []),
      ...(input.metricOptions ? { options: input.metricOptions } : {}),
    });
    corpus[metric] = { score: result.score, details: result.details };
    result.per_item.forEach((score, position) => {
      perItem[scored[position]!.index]![metric] = score;
    });
  }
  return { perItem, corpus };
}

/** A run's aggregates as the recorder port returns them: scores, and each with its interval. */
function recordedMetrics(metrics: RunAggregates['metrics']): Pick<RecordedRunV1, 'metrics' | 'aggregates'> {
  const scores: RecordedRunV1['metrics'] = {};
  const aggregates: RecordedRunV1['aggregates'] = {};
  for (const [name, result] of Object.entries(metrics)) {
    scores[name] = result.score;
    aggregates[name] = {
      score: result.score,
      ci: result.ci ? { low: result.ci.low, high: result.ci.high, confidence: result.ci.confidence } : null,
      n: result.n,
      higher_is_better: result.higher_is_better,
    };
  }
  return { metrics: scores, aggregates };
}

/** A run already recorded, as the recorder returns it. */
async function recordedOf(deps: RecordRunDeps, run: RunRow): Promise<RecordedRunV1> {
  const { items } = await deps.runs.items(run.id);
  return {
    id: run.id,
    ...recordedMetrics(run.aggregates?.metrics ?? {}),
    perItem: items.map((item) => item.scores),
  };
}

/**
 * The dataset version the run sits on: a stored one of the project (its items by ordinal), or a
 * version made of the items themselves.
 */
async function datasetOf(deps: RecordRunDeps, input: RecordRunV1) {
  const caller = { projectId: input.projectId, actor: input.actor };
  if ('version' in input.dataset) {
    const dataset = await deps.datasets.store.get(input.projectId, input.dataset.name);
    const version = await deps.datasets.store.version(dataset, input.dataset.version);
    const ordinals = input.items.map((item) => item.ordinal ?? -1);
    const byOrdinal = new Map(
      (await deps.datasets.store.itemsAt(dataset.id, version.version, ordinals)).map((item) => [
        item.ordinal,
        item,
      ]),
    );
    const missing = ordinals.findIndex((ordinal) => !byOrdinal.has(ordinal));
    if (missing >= 0)
      throw new KeelError(
        'invalid_request',
        `Item ${missing} names no item of ${dataset.name}@${version.version}.`,
        {
          issues: [
            { code: 'unknown_item', path: ['items', missing, 'ordinal'], message: String(ordinals[missing]) },
          ],
        },
      );
    return { dataset, version, ordinals, stored: ordinals.map((ordinal) => byOrdinal.get(ordinal)!) };
  }
  const { rows, input: inputColumns, reference } = datasetRows(input.items);
  const { dataset, version } = await deps.datasets.add(caller, {
    name: input.dataset.name,
    description: input.dataset.description,
    message: `${input.source.kind} ${input.source.id}`,
    rows,
    mapping: { input: inputColumns, ...(reference ? { reference } : {}) },
  });
  return { dataset, version, ordinals: input.items.map((_, index) => index), stored: undefined };
}

/** Records the items as a finished run; see the module comment. A cell already recorded is returned as it is. */
export async function recordRun(deps: RecordRunDeps, input: RecordRunV1): Promise<RecordedRunV1> {
  checkRecordedMetrics(input.metrics);
  if (!input.items.length)
    throw new KeelError('invalid_request', 'A recorded run needs at least one item.', {
      issues: [{ code: 'empty_run', path: ['items'], message: 'no items' }],
    });
  const cell = input.source.cell;
  const existing = async () => {
    const run = cell ? await deps.runs.bySourceCell(input.projectId, input.source.id, cell) : undefined;
    return run ? recordedOf(deps, run) : undefined;
  };
  const before = await existing();
  if (before) return before;
  const { dataset, version, ordinals, stored } = await datasetOf(deps, input);
  const { perItem, corpus } = scoreItems(input, stored);
  const observed = [...new Set(input.items.flatMap((item) => Object.keys(item.observed ?? {})))];
  const names = [...input.metrics, ...observed.filter((name) => !input.metrics.includes(name))];
  const statuses = input.items.map((item, index) => ({
    status: item.output === null ? ('failed' as const) : ('succeeded' as const),
    scores: perItem[index]!,
  }));
  const metrics: RunAggregates['metrics'] = {};
  for (const name of names) {
    const result = aggregate(name, statuses, corpus[name], 0);
    if (result) metrics[name] = result;
  }
  const failed = statuses.filter((item) => item.status === 'failed').length;
  const failures: Record<string, number> = {};
  for (const item of input.items)
    if (item.output === null) {
      const code = item.error?.code ?? 'failed';
      failures[code] = (failures[code] ?? 0) + 1;
    }
  const aggregates: RunAggregates = {
    metrics,
    thresholds: checkThresholds(metrics, input.thresholds ?? []),
    items: { total: input.items.length, succeeded: input.items.length - failed, failed, cached: 0 },
    failures,
  };
  const id = newId('evr');
  const target = {
    ...input.target,
    resolved: { source: input.source },
  } as unknown as RunRow['target'];
  const inserted = await deps.db.transaction(async (tx) => {
    const fresh = await deps.runs.insert(
      {
        id,
        projectId: input.projectId,
        name: input.name,
        target,
        datasetId: dataset.id,
        datasetVersion: version.version,
        ordinals,
        metrics: names,
        thresholds: input.thresholds ?? [],
        options: input.metricOptions ? { metric_options: input.metricOptions } : {},
        createdBy: input.actor,
        source: { id: input.source.id, cell },
      },
      tx,
    );
    // Recorded meanwhile by another attempt at the same cell: keep that one.
    if (!fresh) return false;
    for (const [index, item] of input.items.entries()) {
      await deps.runs.recordItem(tx, id, {
        ordinal: ordinals[index]!,
        status: statuses[index]!.status,
        output: item.output,
        scores: perItem[index]!,
        error: item.output === null ? (item.error ?? { code: 'failed', message: 'The item failed.' }) : null,
        latencyMs: item.latencyMs ?? null,
        inputTokens: item.inputTokens ?? null,
        outputTokens: item.outputTokens ?? null,
        cost: item.cost ?? null,
        cached: false,
      });
    }
    const passed = aggregates.thresholds.every((threshold) => threshold.passed);
    await deps.runs.setStatus(id, 'succeeded', { aggregates, passed }, tx);
    return true;
  });
  if (!inserted) return (await existing())!;
  deps.audit.record({
    action: 'evaluation.record',
    projectId: input.projectId,
    target: { type: 'evaluation', id },
    after: { target: input.target, dataset: dataset.id, version: version.version, metrics: names },
    detail: {
      items: input.items.length,
      source: input.source.kind,
      sourceId: input.source.id,
      ...(cell ? { cell } : {}),
    },
  });
  return { id, ...recordedMetrics(metrics), perItem };
}
