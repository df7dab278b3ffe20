/**
 * @module deployments/monitoring/monitoring-service
 * Monitors as periodic jobs: a scheduler tick (every replica runs one; the claim is one UPDATE,
 * so each due monitor is taken once) enqueues a `monitors.run` job per due monitor; the job
 * measures the monitor's window (monitor-metrics), keeps the result, and raises alerts, opens
 * incidents and delivers webhooks (alerts/alert-service). `run` does the same on demand.
 */
import { KeelError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { Job, JobService } from '../../jobs/index.js';
import type { DatabaseSession } from '../../spec/database.js';
import type { Alert, AlertService } from '../alerts/alert-service.js';
import { measure } from './monitor-metrics.js';
import { type Monitor, type MonitorResult, type MonitorStore, toMonitor } from './monitor-store.js';
import type { RequestLog } from './request-log.js';

export const MONITOR_JOB = 'monitors.run';

interface RunPayload {
  monitorId: string;
  /** End of the window, epoch milliseconds (the start is `windowSeconds` earlier). */
  windowEnd: number;
}

export interface MonitorRun {
  result: MonitorResult;
  alerts: Alert[];
}

export interface MonitoringServiceOptions {
  db: DatabaseSession;
  jobs: JobService;
  monitors: MonitorStore;
  alerts: AlertService;
  requestLog: RequestLog;
  logger?: Logger | undefined;
  /** How often each replica looks for due monitors (default 15 s; 0: never, tests run on demand). */
  tickMs?: number;
}

export class MonitoringService {
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MonitoringServiceOptions) {
    options.jobs.register<RunPayload, { resultId: string; alerts: number }>(MONITOR_JOB, {
      maxAttempts: 2,
      describe: (payload) => ({ monitorId: payload.monitorId }),
      run: async (context) => {
        const { result, alerts } = await this.#runStored(
          context.payload.monitorId,
          new Date(context.payload.windowEnd),
        );
        await context.progress(1, 1);
        return { resultId: result.id, alerts: alerts.length };
      },
    });
  }

  get monitors(): MonitorStore {
    return this.options.monitors;
  }

  start(): void {
    const tickMs = this.options.tickMs ?? 15_000;
    if (!tickMs) return;
    this.#timer = setInterval(() => {
      this.tick().catch((error: unknown) =>
        this.options.logger?.warn({ err: error }, 'monitor scheduling failed'),
      );
    }, tickMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** Enqueues a run of every due monitor; returns the jobs. */
  async tick(now: Date = new Date()): Promise<Job[]> {
    const due = await this.options.monitors.claimDue(now);
    const jobs: Job[] = [];
    for (const monitor of due) jobs.push(await this.enqueue(monitor, now));
    return jobs;
  }

  /** Queues one run of `monitor` for the window ending at `windowEnd`. */
  enqueue(monitor: Monitor, windowEnd: Date = new Date(), createdBy: string | null = null): Promise<Job> {
    return this.options.jobs.enqueue<RunPayload>({
      projectId: monitor.projectId,
      kind: MONITOR_JOB,
      payload: { monitorId: monitor.id, windowEnd: windowEnd.getTime() },
      idempotencyKey: `${monitor.id}:${windowEnd.getTime()}`,
      createdBy,
    });
  }

  /** Runs a monitor now, in this process (the CLI's and the tests' path; the API queues a job). */
  async run(projectId: string, monitorId: string, windowEnd: Date = new Date()): Promise<MonitorRun> {
    await this.options.monitors.get(projectId, monitorId);
    return this.#runStored(monitorId, windowEnd);
  }

  async #runStored(monitorId: string, windowEnd: Date): Promise<MonitorRun> {
    // Calls logged up to now are in the window: write what is buffered first.
    await this.options.requestLog.flush();
    const row = await this.options.monitors.row(null, monitorId).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'not_found')
        throw new KeelError('not_found', `Monitor ${monitorId} was removed.`);
      throw error;
    });
    const monitor = toMonitor(row);
    const length = (monitor.config.windowSeconds ?? monitor.intervalSeconds) * 1000;
    const window = { from: new Date(windowEnd.getTime() - length), to: windowEnd };
    const metrics = await measure(this.options.db, monitor, window);
    const result = await this.options.monitors.saveResult(monitor, window.from, window.to, metrics);
    const alerts = await this.options.alerts.evaluate(monitor, row, metrics);
    return { result, alerts };
  }
}
