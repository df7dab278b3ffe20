/**
 * @module deployments/serving/metric-series
 * A deployment's traffic over time, read from the monitoring request log (`monitor_samples`):
 * per bucket the calls (each sampled row stands for 1/rate calls), errors, latency percentiles of
 * the sampled calls, tokens and cost. Empty buckets are returned as zeros so a chart's time axis
 * stays even; the same per deployment version, to compare the two sides of a split. Grouped
 * queries; percentiles are computed in SQL (`percentile_cont`).
 */
import { KeelError } from '../../core/errors.js';
import type { DatabaseSession } from '../../spec/database.js';

export interface MetricFigures {
  requests: number;
  errors: number;
  error_rate: number | null;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
  latency_p99_ms: number | null;
  input_tokens: number;
  output_tokens: number;
  cost: number;
}

export interface MetricSeries {
  from: Date;
  to: Date;
  bucketSeconds: number;
  buckets: (MetricFigures & { start: Date })[];
  totals: MetricFigures;
  /** The same per deployment version that took traffic in the window (the two sides of a split, side by side). */
  versions: { version: number; buckets: MetricFigures[]; totals: MetricFigures }[];
}

const MAX_BUCKETS = 1440;

interface FigureRow {
  requests: number | null;
  errors: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost: number | null;
}

const round = (value: number | null, digits: number) =>
  value === null || !Number.isFinite(Number(value))
    ? null
    : Math.round(Number(value) * 10 ** digits) / 10 ** digits;

function figuresOf(row: FigureRow | undefined): MetricFigures {
  const requests = Math.round(Number(row?.requests ?? 0));
  const errors = Math.round(Number(row?.errors ?? 0));
  return {
    requests,
    errors,
    error_rate: requests ? round(errors / requests, 4) : null,
    latency_p50_ms: round(row?.p50 ?? null, 2),
    latency_p95_ms: round(row?.p95 ?? null, 2),
    latency_p99_ms: round(row?.p99 ?? null, 2),
    input_tokens: Math.round(Number(row?.input_tokens ?? 0)),
    output_tokens: Math.round(Number(row?.output_tokens ?? 0)),
    cost: round(Number(row?.cost ?? 0), 6) ?? 0,
  };
}

const figureColumns = `
  sum(1 / COALESCE(NULLIF(sample_rate, 0), 1)) AS requests,
  sum(CASE WHEN status >= 400 THEN 1 / COALESCE(NULLIF(sample_rate, 0), 1) ELSE 0 END) AS errors,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms) AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95,
  percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99,
  sum(input_tokens / COALESCE(NULLIF(sample_rate, 0), 1)) AS input_tokens,
  sum(output_tokens / COALESCE(NULLIF(sample_rate, 0), 1)) AS output_tokens,
  sum(cost / COALESCE(NULLIF(sample_rate, 0), 1)) AS cost`;

/**
 * The series of the last `minutes` in buckets of `bucketSeconds`, ending at `now` (the last bucket
 * is the one in progress).
 *
 * @example
 * const series = await metricSeries(db, projectId, deploymentId, { minutes: 60, bucketSeconds: 60 });
 */
export async function metricSeries(
  db: DatabaseSession,
  projectId: string,
  deploymentId: string,
  options: { minutes?: number | undefined; bucketSeconds?: number | undefined; now?: Date | undefined } = {},
): Promise<MetricSeries> {
  const minutes = options.minutes ?? 60;
  const bucketSeconds = options.bucketSeconds ?? 60;
  const count = Math.ceil((minutes * 60) / bucketSeconds);
  if (count > MAX_BUCKETS) {
    throw new KeelError(
      'invalid_request',
      `At most ${MAX_BUCKETS} buckets: widen bucket_seconds or shorten minutes.`,
      {
        issues: [
          {
            code: 'too_many_buckets',
            path: ['bucket_seconds'],
            message: `${minutes} minutes in ${bucketSeconds}-second buckets is ${count} buckets (at most ${MAX_BUCKETS})`,
          },
        ],
      },
    );
  }
  const bucketMs = bucketSeconds * 1000;
  const now = (options.now ?? new Date()).getTime();
  // Buckets align to the epoch, so polling clients see the same buckets on every call.
  const last = Math.floor(now / bucketMs) * bucketMs;
  const first = last - (count - 1) * bucketMs;
  const from = new Date(first);
  const to = new Date(last + bucketMs);
  const scope = 'WHERE project_id = $1 AND deployment_id = $2 AND created_at >= $3 AND created_at < $4';
  // The version that served each call is recorded with it (`deployment_version`).
  const version = "(attributes->>'deployment_version')";
  const [grouped, total, perVersion, versionTotals] = await Promise.all([
    db.query<FigureRow & { bucket: number }>(
      `SELECT floor(extract(epoch FROM created_at) * 1000 / $5)::bigint AS bucket, ${figureColumns}
         FROM monitor_samples ${scope} GROUP BY 1`,
      [projectId, deploymentId, from, to, bucketMs],
    ),
    db.query<FigureRow>(`SELECT ${figureColumns} FROM monitor_samples ${scope}`, [
      projectId,
      deploymentId,
      from,
      to,
    ]),
    db.query<FigureRow & { bucket: number; version: string | null }>(
      `SELECT floor(extract(epoch FROM created_at) * 1000 / $5)::bigint AS bucket, ${version} AS version, ${figureColumns}
         FROM monitor_samples ${scope} AND ${version} IS NOT NULL GROUP BY 1, 2`,
      [projectId, deploymentId, from, to, bucketMs],
    ),
    db.query<FigureRow & { version: string | null }>(
      `SELECT ${version} AS version, ${figureColumns}
         FROM monitor_samples ${scope} AND ${version} IS NOT NULL GROUP BY 1`,
      [projectId, deploymentId, from, to],
    ),
  ]);
  const byBucket = new Map(grouped.rows.map((row) => [Number(row.bucket) * bucketMs, row]));
  const buckets = Array.from({ length: count }, (_, index) => {
    const start = first + index * bucketMs;
    return { start: new Date(start), ...figuresOf(byBucket.get(start)) };
  });
  const versions = versionTotals.rows
    .map((row) => ({ version: Number(row.version), totals: figuresOf(row) }))
    .filter((entry) => Number.isInteger(entry.version))
    .sort((a, b) => a.version - b.version)
    .map((entry) => {
      const rows = new Map(
        perVersion.rows
          .filter((row) => Number(row.version) === entry.version)
          .map((row) => [Number(row.bucket) * bucketMs, row]),
      );
      return {
        ...entry,
        buckets: Array.from({ length: count }, (_, index) => figuresOf(rows.get(first + index * bucketMs))),
      };
    });
  return { from, to, bucketSeconds, buckets, totals: figuresOf(total.rows[0]), versions };
}
