/**
 * @module platform/usage-meter
 * Records every model call (project, key, model, tokens, latency, status). Calls are buffered in
 * memory and written in one statement per flush, so metering costs the request path nothing but
 * an array push. Every text field is made storable and every number clamped on the way in, and a
 * batch the database refuses is sorted out record by record (platform/batch-writer): one bad call
 * never costs the others their usage. `close()` (SIGTERM) writes what is left; a SIGKILL loses at
 * most one flush interval.
 */
import type { Logger } from '../core/logger.js';
import type { KeelMetrics } from '../core/metrics.js';
import type { DatabaseV1 } from '../spec/database.js';
import {
  BatchWriter,
  storableInt,
  storableNumber,
  storableOptionalText,
  storableText,
} from './batch-writer.js';

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
  /** First retry delay after a failed write (doubles, up to a minute). */
  backoffMs?: number;
  logger?: Logger;
  metrics?: KeelMetrics;
}

// Timestamps PostgreSQL stores: years 1 to 9999 are plenty for a call that just happened.
const MIN_AT_MS = Date.UTC(1970, 0, 1);
const MAX_AT_MS = Date.UTC(9999, 11, 31);

/** A copy of the event every column accepts. */
export function storableUsageEvent(event: UsageEvent): UsageEvent {
  const atMs = event.atMs ?? Date.now();
  return {
    projectId: storableText(String(event.projectId), 200),
    keyId: storableOptionalText(event.keyId, 200),
    modelId: storableText(String(event.modelId), 500),
    endpoint: storableText(String(event.endpoint), 200),
    inputTokens: storableInt(event.inputTokens, 0),
    outputTokens: storableInt(event.outputTokens, 0),
    latencyMs: storableNumber(event.latencyMs, 0, Number.MAX_SAFE_INTEGER),
    status: storableInt(event.status, 0, 999),
    errorCode: storableOptionalText(event.errorCode, 200),
    streamed: event.streamed === true,
    atMs: Number.isFinite(atMs) ? storableNumber(atMs, MIN_AT_MS, MAX_AT_MS) : Date.now(),
  };
}

export class UsageMeter {
  readonly #writer: BatchWriter<UsageEvent>;

  constructor(
    private readonly db: DatabaseV1,
    options: UsageMeterOptions = {},
  ) {
    this.#writer = new BatchWriter<UsageEvent>({
      name: 'usage_events',
      write: (events) => this.#insert(events),
      sanitize: storableUsageEvent,
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      maxBatch: options.maxBatch ?? 500,
      ...(options.backoffMs !== undefined ? { backoffMs: options.backoffMs } : {}),
      logger: options.logger,
      metrics: options.metrics,
    });
  }

  /** Buffers one call. */
  record(event: UsageEvent): void {
    this.#writer.push(event);
  }

  /** Writes everything buffered so far. Safe to call concurrently. */
  flush(): Promise<void> {
    return this.#writer.flush();
  }

  /** Calls written and set aside since start. */
  get stats(): { written: number; quarantined: number; pending: number } {
    return { ...this.#writer.stats, pending: this.#writer.pending };
  }

  close(): Promise<void> {
    return this.#writer.close();
  }

  async #insert(batch: UsageEvent[]): Promise<void> {
    // One statement per flush with one array per column: parsing and binding cost the same for
    // ten rows or a thousand, which keeps metering cheap even on the embedded database.
    const columns: unknown[][] = Array.from({ length: 11 }, () => []);
    for (const event of batch) {
      columns[0]!.push(event.projectId);
      columns[1]!.push(event.keyId);
      columns[2]!.push(event.modelId);
      columns[3]!.push(event.endpoint);
      columns[4]!.push(event.inputTokens);
      columns[5]!.push(event.outputTokens);
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
