/**
 * @module platform/batch-writer
 * Buffered, batched inserts that one bad record cannot sink. Records are buffered in memory and
 * written in one statement per flush; when a batch fails, the failure is sorted out instead of
 * dropping the batch:
 *
 * - an error that says nothing about the rows (the database is down, restarting, busy) keeps the
 *   whole batch and retries it later with exponential backoff;
 * - otherwise the batch is halved and each half written again, down to the single record that
 *   fails; a record the database refuses as data (SQLSTATE classes 22 and 23) can never be written
 *   and is quarantined — logged with its coded reason (never its values) and counted — while every
 *   other record is written. A record that keeps failing for another reason is retried with
 *   backoff and quarantined after `maxAttempts`.
 *
 * `close()` writes everything still buffered, retrying through short outages until its deadline.
 * A process killed with SIGKILL loses at most what arrived since the last flush (one interval).
 */
import { Counter } from 'prom-client';
import type { Logger } from '../core/logger.js';
import type { KeelMetrics } from '../core/metrics.js';

export interface BatchWriterOptions<T> {
  /** Names the writer in logs and metrics, e.g. `usage_events`. */
  name: string;
  /** Inserts the records in one statement; throws when the database refuses them. */
  write: (records: T[]) => Promise<void>;
  /** Makes a record storable (text without NUL, numbers in range); runs once per record. */
  sanitize?: (record: T) => T;
  flushIntervalMs?: number;
  maxBatch?: number;
  /** First retry delay after a failed flush; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Tries of one record failing for reasons other than its data before it is quarantined. */
  maxAttempts?: number;
  /** Records kept while the database is unreachable; beyond it the oldest are quarantined. */
  maxPending?: number;
  /** How long `close()` keeps retrying through failures. */
  closeTimeoutMs?: number;
  logger?: Logger | undefined;
  metrics?: KeelMetrics | undefined;
}

/** Why a record was set aside, in codes that logs and metrics can carry. */
export type QuarantineReason = 'rejected_value' | 'repeated_failure' | 'backlog_full' | 'closed';

interface Entry<T> {
  record: T;
  attempts: number;
}

const counters = new WeakMap<object, Counter<'writer' | 'reason'>>();

function quarantineCounter(metrics: KeelMetrics | undefined): Counter<'writer' | 'reason'> | undefined {
  if (!metrics) return undefined;
  let counter = counters.get(metrics);
  if (!counter) {
    counter = new Counter({
      name: 'keel_batch_records_quarantined_total',
      help: 'Records a batch writer could not store and set aside, by writer and reason.',
      labelNames: ['writer', 'reason'],
      registers: [metrics.registry],
    });
    counters.set(metrics, counter);
  }
  return counter;
}

/** The SQLSTATE of a database error, translated or not. */
export function sqlStateOf(error: unknown): string | undefined {
  const data = (error as { data?: { sqlState?: unknown } } | undefined)?.data;
  if (typeof data?.sqlState === 'string') return data.sqlState;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** True for errors about the values of a record: retrying it as it is cannot succeed. */
function isDataError(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith('22') || state.startsWith('23'));
}

/** True for errors about the database rather than the rows: retry the whole batch later. */
function isOutage(error: unknown): boolean {
  const state = sqlStateOf(error);
  if (state) return /^(08|53|57|58|40|42|XX)/.test(state) && !isDataError(error);
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'service_unavailable' || code === 'timeout') return true;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code); // ECONNREFUSED, ECONNRESET …
}

export class BatchWriter<T> {
  #buffer: Entry<T>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  #failures = 0;
  #retryAt = 0;
  readonly #options: BatchWriterOptions<T>;
  readonly #interval: number;
  readonly #maxBatch: number;
  readonly #maxPending: number;
  readonly #quarantined: Counter<'writer' | 'reason'> | undefined;
  /** Totals since start, for tests and diagnostics. */
  readonly stats = { written: 0, quarantined: 0 };

  constructor(options: BatchWriterOptions<T>) {
    this.#options = options;
    this.#interval = options.flushIntervalMs ?? 1000;
    this.#maxBatch = options.maxBatch ?? 500;
    this.#maxPending = options.maxPending ?? 200_000;
    this.#quarantined = quarantineCounter(options.metrics);
  }

  /** Records waiting in memory (buffered or waiting for a retry). */
  get pending(): number {
    return this.#buffer.length;
  }

  push(record: T): void {
    this.#buffer.push({
      record: this.#options.sanitize ? this.#options.sanitize(record) : record,
      attempts: 0,
    });
    if (this.#buffer.length > this.#maxPending) {
      const overflow = this.#buffer.splice(0, this.#buffer.length - this.#maxPending);
      this.#quarantine(overflow, 'backlog_full');
    }
    if (this.#buffer.length >= this.#maxBatch && Date.now() >= this.#retryAt) void this.flush();
    else this.#schedule(Math.max(this.#interval, this.#retryAt - Date.now()));
  }

  /**
   * Writes what is buffered now. Resolves once every record has been tried: written, quarantined,
   * or kept for a retry after a backoff. Safe to call concurrently.
   */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const entries = this.#buffer;
    if (entries.length === 0) return this.#chain;
    this.#buffer = [];
    this.#chain = this.#chain.then(() => this.#run(entries));
    return this.#chain;
  }

  /** Writes everything, retrying failures until `closeTimeoutMs`; what is left then is reported. */
  async close(): Promise<void> {
    const deadline = Date.now() + (this.#options.closeTimeoutMs ?? 10_000);
    await this.flush();
    let delay = 50;
    while (this.#buffer.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(delay, Math.max(0, deadline - Date.now()))),
      );
      delay = Math.min(delay * 2, 1000);
      await this.flush();
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#buffer.length) this.#quarantine(this.#buffer.splice(0), 'closed');
  }

  #schedule(delay: number): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush(), delay);
    this.#timer.unref();
  }

  async #run(entries: Entry<T>[]): Promise<void> {
    const retry: Entry<T>[] = [];
    for (let start = 0; start < entries.length; start += this.#maxBatch) {
      retry.push(...(await this.#write(entries.slice(start, start + this.#maxBatch))));
    }
    if (retry.length === 0) {
      this.#failures = 0;
      this.#retryAt = 0;
      return;
    }
    this.#failures++;
    const base = this.#options.backoffMs ?? 1000;
    const delay = Math.min(base * 2 ** (this.#failures - 1), this.#options.maxBackoffMs ?? 60_000);
    this.#retryAt = Date.now() + delay;
    // Older records first, so that a retry keeps the order of arrival.
    this.#buffer = [...retry, ...this.#buffer];
    this.#options.logger?.warn(
      { writer: this.#options.name, records: retry.length, retryInMs: delay },
      'batch write failed; records kept for a retry',
    );
    this.#schedule(delay);
  }

  /** Writes entries; returns the ones to retry later. */
  async #write(entries: Entry<T>[]): Promise<Entry<T>[]> {
    try {
      await this.#options.write(entries.map((entry) => entry.record));
      this.stats.written += entries.length;
      return [];
    } catch (error) {
      if (isOutage(error)) return entries;
      if (entries.length > 1) {
        const middle = entries.length >>> 1;
        const first = await this.#write(entries.slice(0, middle));
        const second = await this.#write(entries.slice(middle));
        return [...first, ...second];
      }
      const entry = entries[0]!;
      entry.attempts++;
      if (isDataError(error)) this.#quarantine(entries, 'rejected_value', error);
      else if (entry.attempts >= (this.#options.maxAttempts ?? 5))
        this.#quarantine(entries, 'repeated_failure', error);
      else return entries;
      return [];
    }
  }

  #quarantine(entries: Entry<T>[], reason: QuarantineReason, error?: unknown): void {
    if (entries.length === 0) return;
    this.stats.quarantined += entries.length;
    this.#quarantined?.inc({ writer: this.#options.name, reason }, entries.length);
    // The reason and the database's code only: record values can hold user data.
    this.#options.logger?.error(
      {
        code: 'batch_record_quarantined',
        writer: this.#options.name,
        reason,
        records: entries.length,
        ...(error ? { sqlState: sqlStateOf(error) ?? null, err: (error as Error).message } : {}),
      },
      'records could not be stored and were set aside',
    );
  }
}

/** ES2024 string methods (in Node 20; the project's lib is ES2023). */
type WellFormedString = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * Text a database column accepts: no NUL, no lone surrogates (each becomes U+FFFD), at most `max`
 * characters. Runs once per metered call, so the usual case (nothing to replace) is two scans.
 */
export function storableText(value: string, max = 1000): string {
  let text = (value.length > max ? value.slice(0, max) : value) as WellFormedString;
  if (!text.isWellFormed()) text = text.toWellFormed() as WellFormedString;
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

export function storableOptionalText(value: string | null | undefined, max = 1000): string | null {
  return value === null || value === undefined ? null : storableText(String(value), max);
}

/** An integer within PostgreSQL's `integer` range; NaN becomes `fallback`. */
export function storableInt(value: number, min = -2_147_483_648, max = 2_147_483_647, fallback = 0): number {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? fallback : value > 0 ? max : min;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** A finite number within [min, max]; NaN becomes `fallback`. */
export function storableNumber(value: number, min: number, max: number, fallback = 0): number {
  if (Number.isNaN(value) || typeof value !== 'number') return fallback;
  return Math.min(max, Math.max(min, value));
}

/** A shallow copy with every string field made storable and every non-finite number set to 0. */
export function storableFields<T extends object>(record: T): T {
  const copy = { ...record } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) {
    if (typeof value === 'string') copy[key] = storableText(value);
    else if (typeof value === 'number' && !Number.isFinite(value)) copy[key] = 0;
  }
  return copy as T;
}
