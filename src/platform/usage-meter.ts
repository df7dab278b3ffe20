/**
 * @module platform/usage-meter
 * Records every model call (project, key, model, tokens, latency, status). Calls are buffered in
 * memory and written in one transaction per flush, so metering costs the request path nothing but
 * an array push. `close()` flushes what is left.
 */
import type { Logger } from '../core/logger.js';
import type { DatabaseV1 } from '../spec/database.js';

export interface UsageEvent {
  projectId: string;
  keyId: string | null;
  modelId: string;
  endpoint: string;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  status: number;
  errorCode?: string | null;
  streamed?: boolean;
  /** When the call happened, epoch milliseconds; now by default. */
  atMs?: number;
}

export interface UsageMeterOptions {
  flushIntervalMs?: number;
  maxBatch?: number;
  logger?: Logger;
}

export class UsageMeter {
  #buffer: UsageEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #maxBatch: number;
  readonly #interval: number;

  constructor(
    private readonly db: DatabaseV1,
    private readonly options: UsageMeterOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 500;
    this.#interval = options.flushIntervalMs ?? 1000;
  }

  /** Buffers one call. The meter keeps the event object (callers pass a fresh one). */
  record(event: UsageEvent): void {
    if (event.atMs === undefined) event.atMs = Date.now();
    this.#buffer.push(event);
    if (this.#buffer.length >= this.#maxBatch) void this.flush();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => void this.flush(), this.#interval);
      this.#timer.unref();
    }
  }

  /** Writes everything buffered so far. Safe to call concurrently. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#buffer;
    if (batch.length === 0) return this.#flushing;
    this.#buffer = [];
    this.#flushing = this.#flushing.then(() => this.#write(batch));
    return this.#flushing;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  async #write(batch: UsageEvent[]): Promise<void> {
    try {
      // One statement per flush with one array per column: parsing and binding cost the same for
      // ten rows or a thousand, which keeps metering cheap even on the embedded database.
      const columns: unknown[][] = Array.from({ length: 11 }, () => []);
      for (const event of batch) {
        columns[0]!.push(event.projectId);
        columns[1]!.push(event.keyId);
        columns[2]!.push(event.modelId);
        columns[3]!.push(event.endpoint);
        columns[4]!.push(Math.max(0, Math.round(event.inputTokens)));
        columns[5]!.push(Math.max(0, Math.round(event.outputTokens)));
        columns[6]!.push(event.latencyMs);
        columns[7]!.push(event.status);
        columns[8]!.push(event.errorCode ?? null);
        columns[9]!.push(event.streamed ?? false);
        columns[10]!.push(event.atMs ?? Date.now());
      }
      await this.db.query(
        `INSERT INTO usage_events (project_id, key_id, model_id, endpoint, input_tokens, output_tokens, latency_ms, status, error_code, streamed, created_at)
         SELECT p, k, m, e, i, o, l, s, c, st, to_timestamp(t / 1000.0)
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::float8[], $8::int[], $9::text[], $10::bool[], $11::float8[])
             AS u(p, k, m, e, i, o, l, s, c, st, t)`,
        columns,
      );
    } catch (error) {
      this.options.logger?.error(
        { err: (error as Error).message, events: batch.length },
        'usage flush failed; events dropped',
      );
    }
  }
}

export type UsageGroup = 'model' | 'key' | 'day' | 'endpoint';

export interface UsageQuery {
  projectId: string;
  from?: Date | undefined;
  to?: Date | undefined;
  groupBy: UsageGroup[];
}

export interface UsageRow {
  model?: string;
  keyId?: string | null;
  day?: string;
  endpoint?: string;
  requests: number;
  errors: number;
  inputTokens: number;
  outputTokens: number;
  latencyMsAvg: number;
  latencyMsP95: number;
}

const groupColumns: Record<UsageGroup, { sql: string; as: string }> = {
  model: { sql: 'model_id', as: 'model' },
  key: { sql: 'key_id', as: 'key_id' },
  day: { sql: "to_char(date_trunc('day', created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')", as: 'day' },
  endpoint: { sql: 'endpoint', as: 'endpoint' },
};

export async function queryUsage(db: DatabaseV1, query: UsageQuery): Promise<UsageRow[]> {
  const groups = [...new Set(query.groupBy)];
  const select = groups.map((group) => `${groupColumns[group].sql} AS ${groupColumns[group].as}`);
  const result = await db.query<Record<string, unknown>>(
    `SELECT ${[
      ...select,
      'count(*)::int AS requests',
      'count(*) FILTER (WHERE status >= 400)::int AS errors',
      'COALESCE(sum(input_tokens), 0)::int8 AS input_tokens',
      'COALESCE(sum(output_tokens), 0)::int8 AS output_tokens',
      'COALESCE(avg(latency_ms), 0)::float8 AS latency_avg',
      'COALESCE(percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), 0)::float8 AS latency_p95',
    ].join(', ')}
       FROM usage_events
      WHERE project_id = $1 AND ($2::timestamptz IS NULL OR created_at >= $2) AND ($3::timestamptz IS NULL OR created_at < $3)
      ${groups.length ? `GROUP BY ${groups.map((group) => groupColumns[group].sql).join(', ')}` : ''}
      ORDER BY ${groups.length ? groups.map((group) => groupColumns[group].sql).join(', ') : '1'}`,
    [query.projectId, query.from ?? null, query.to ?? null],
  );
  return result.rows.map((row) => ({
    ...(groups.includes('model') ? { model: row.model as string } : {}),
    ...(groups.includes('key') ? { keyId: (row.key_id as string | null) ?? null } : {}),
    ...(groups.includes('day') ? { day: row.day as string } : {}),
    ...(groups.includes('endpoint') ? { endpoint: row.endpoint as string } : {}),
    requests: row.requests as number,
    errors: row.errors as number,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    latencyMsAvg: Math.round((row.latency_avg as number) * 100) / 100,
    latencyMsP95: Math.round((row.latency_p95 as number) * 100) / 100,
  }));
}
