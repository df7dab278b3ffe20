/**
 * @module evals/runs/run-service
 * Evaluation runs: create (checks the dataset, metrics and target, pins the target, picks the
 * items: a split, a seeded sample; then enqueues the `evals.run` job), list, get with aggregates,
 * per-item results with paging, cancel, compare, and the job's live events. Changes are audited.
 */
import type { AuditRecorder } from '../../audit/index.js';
import { KeelError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { JobEvent, JobService } from '../../jobs/index.js';
import { terminalStatuses } from '../../jobs/index.js';
import type { DatabaseV1 } from '../../spec/database.js';
import type { EvaluationRunSummaryV1, EvaluationRunsV1 } from '../../spec/evaluation-runs.js';
import type { DatasetStore } from '../datasets/dataset-store.js';
import { type SampleOptions, sampleOrdinals } from '../datasets/sampling.js';
import { compareRuns, type RunComparison } from './compare-runs.js';
import { RUN_JOB_KIND, type RunJobPayload, runJobHandler } from './run-job.js';
import { RunStore } from './run-store.js';
import type { RunItemRow, RunOptions, RunRow, RunTarget, Threshold } from './run-types.js';
import { checkMetrics } from './scoring.js';
import { resolveTarget, type TargetServices } from './targets.js';

export interface RunCaller {
  projectId: string;
  actor: string | null;
}

export interface CreateRunInput {
  name?: string | undefined;
  target: RunTarget;
  dataset: string;
  dataset_version?: number | undefined;
  split?: string | undefined;
  sample?: SampleOptions | undefined;
  metrics: string[];
  thresholds?: Threshold[] | undefined;
  options?: RunOptions | undefined;
}

export interface RunServiceDeps extends TargetServices {
  db: DatabaseV1;
  jobs: JobService;
  datasets: DatasetStore;
  audit: AuditRecorder;
}

export class RunService implements EvaluationRunsV1 {
  readonly specificationVersion = 'v1' as const;
  readonly store: RunStore;

  constructor(private readonly deps: RunServiceDeps) {
    this.store = new RunStore(deps.db);
    deps.jobs.register(RUN_JOB_KIND, runJobHandler({ ...deps, runs: this.store, datasets: deps.datasets }));
  }

  async create(caller: RunCaller, input: CreateRunInput): Promise<RunRow> {
    const dataset = await this.deps.datasets.get(caller.projectId, input.dataset);
    const version = await this.deps.datasets.version(dataset, input.dataset_version);
    const roles = new Set(version.columns.map((column) => column.role));
    checkMetrics(input.metrics, { references: roles.has('reference'), labels: roles.has('label') });
    for (const [index, threshold] of (input.thresholds ?? []).entries()) {
      if (!input.metrics.includes(threshold.metric.replace(/_lexical$/, ''))) {
        throw new KeelError(
          'invalid_request',
          `Threshold on ${threshold.metric}, which the run does not compute.`,
          {
            issues: [
              {
                code: 'unknown_threshold_metric',
                path: ['thresholds', index, 'metric'],
                message: threshold.metric,
              },
            ],
          },
        );
      }
    }
    if (input.split && version.splits[input.split] === undefined) {
      throw new KeelError('invalid_request', `The dataset has no split “${input.split}”.`, {
        issues: [
          {
            code: 'unknown_split',
            path: ['split'],
            message: Object.keys(version.splits).join(', ') || 'no splits',
          },
        ],
      });
    }
    const target = await resolveTarget(this.deps, caller.projectId, input.target);
    const all = await this.deps.datasets.ordinals(dataset.id, version.version, input.split);
    const ordinals = sampleOrdinals(all, input.sample);
    if (ordinals.length === 0) {
      throw new KeelError('invalid_request', 'The run has no items (empty split or sample).', {
        issues: [{ code: 'empty_run', path: ['sample'], message: 'no items' }],
      });
    }
    const id = newId('evr');
    // The run and its job land together: no run without a job, no job without its run.
    await this.deps.db.transaction(async (tx) => {
      await this.store.insert(
        {
          id,
          projectId: caller.projectId,
          name: input.name ?? null,
          target,
          datasetId: dataset.id,
          datasetVersion: version.version,
          ordinals,
          metrics: input.metrics,
          thresholds: input.thresholds ?? [],
          options: input.options ?? {},
          createdBy: caller.actor,
        },
        tx,
      );
      const job = await this.deps.jobs.enqueue<RunJobPayload>(
        {
          projectId: caller.projectId,
          kind: RUN_JOB_KIND,
          payload: { runId: id },
          createdBy: caller.actor,
          total: ordinals.length,
        },
        { tx },
      );
      await this.store.setJob(id, job.id, tx);
    });
    this.deps.jobs.notify();
    this.deps.audit.record({
      action: 'evaluation.create',
      projectId: caller.projectId,
      target: { type: 'evaluation', id },
      after: { target, dataset: dataset.id, version: version.version, metrics: input.metrics },
      detail: { items: ordinals.length, kind: target.kind },
    });
    return this.get(caller.projectId, id);
  }

  /** A run, its status following its job's (a queued run cancelled before it started, too). */
  async get(projectId: string, id: string): Promise<RunRow> {
    const run = await this.store.get(projectId, id);
    if (!run.job_id || terminalStatuses.has(run.status)) return run;
    const job = await this.deps.jobs.get(run.job_id, { projectId }).catch(() => undefined);
    if (job && terminalStatuses.has(job.status) && job.status !== 'succeeded') {
      await this.store.setStatus(run.id, job.status, job.error ? { error: job.error } : {});
      return this.store.get(projectId, id);
    }
    return run;
  }

  /** Recent runs; `source` keeps those one feature recorded (an experiment's, a comparison's). */
  list(
    projectId: string,
    options: { limit?: number; dataset?: string | undefined; source?: string | undefined } = {},
  ) {
    return this.store.list(projectId, {
      limit: options.limit ?? 100,
      datasetId: options.dataset,
      sourceId: options.source,
    });
  }

  async items(
    projectId: string,
    id: string,
    options: { limit?: number; offset?: number; status?: 'succeeded' | 'failed' | undefined } = {},
  ): Promise<{ items: RunItemRow[]; total: number }> {
    const run = await this.store.get(projectId, id);
    return this.store.items(run.id, options);
  }

  async cancel(caller: RunCaller, id: string): Promise<RunRow> {
    const run = await this.store.get(caller.projectId, id);
    if (run.job_id && !terminalStatuses.has(run.status)) {
      await this.deps.jobs.cancel(run.job_id, { projectId: caller.projectId });
      this.deps.audit.record({
        action: 'evaluation.cancel',
        projectId: caller.projectId,
        target: { type: 'evaluation', id },
      });
    }
    return this.get(caller.projectId, id);
  }

  /** Waits for the run's job to end (CLI, tests). */
  async wait(projectId: string, id: string, signal?: AbortSignal): Promise<RunRow> {
    const run = await this.store.get(projectId, id);
    if (run.job_id) await this.deps.jobs.wait(run.job_id, { projectId, ...(signal ? { signal } : {}) });
    return this.get(projectId, id);
  }

  /** The run's job events (state and lifecycle records) until it ends. */
  async events(projectId: string, id: string, signal?: AbortSignal): Promise<AsyncIterable<JobEvent>> {
    const run = await this.store.get(projectId, id);
    if (!run.job_id) throw new KeelError('not_found', 'The run has no job.');
    return this.deps.jobs.follow(run.job_id, { projectId, ...(signal ? { signal } : {}) });
  }

  async compare(
    projectId: string,
    a: string,
    b: string,
    options: { limit?: number } = {},
  ): Promise<RunComparison> {
    const [runA, runB] = await Promise.all([this.get(projectId, a), this.get(projectId, b)]);
    for (const [side, run] of [
      ['a', runA],
      ['b', runB],
    ] as const) {
      if (run.status !== 'succeeded') {
        throw new KeelError(
          'conflict',
          `Run ${run.id} has not finished (${run.status}); compare finished runs.`,
          {
            issues: [{ code: 'run_not_finished', path: [side], message: run.status }],
          },
        );
      }
    }
    const [itemsA, itemsB] = await Promise.all([this.store.items(runA.id), this.store.items(runB.id)]);
    return compareRuns({ run: runA, items: itemsA.items }, { run: runB, items: itemsB.items }, options);
  }

  /** The governance port: a run's state and aggregate scores. */
  async getRun(projectId: string, runId: string): Promise<EvaluationRunSummaryV1 | null> {
    const run = await this.get(projectId, runId).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'not_found') return null;
      throw error;
    });
    if (!run) return null;
    const metrics: Record<string, number> = {};
    for (const [name, aggregate] of Object.entries(run.aggregates?.metrics ?? {}))
      metrics[name] = aggregate.score;
    return { id: run.id, status: run.status, metrics };
  }
}
