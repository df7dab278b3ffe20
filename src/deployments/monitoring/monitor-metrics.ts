/**
 * @module deployments/monitoring/monitor-metrics
 * What one run of a monitor measures over its window, read from the request log
 * (`monitor_samples`, scaled back by the sample rate) and the guardrail decisions:
 *
 * - traffic: requests, latency p50/p95/p99, tokens, cost, error rate;
 * - guardrails: the share of requests each detector acted on, and the share blocked;
 * - drift against the baseline window: PSI of input length, output length and of each input's
 *   distance to the baseline's embedding centroid (hashing embedder), the language mix and its
 *   PSI, the distance between the two centroids, and the refusal rate against the baseline's;
 * - fairness: disparate impact and statistical parity difference of the outputs' labels across a
 *   protected attribute.
 */
import type { DatabaseSession } from '../../spec/database.js';
import type { Monitor } from './monitor-store.js';
import {
  categoricalPsi,
  centroid,
  cosineDistance,
  groupFairness,
  mean,
  mix,
  numericPsi,
  percentile,
} from './statistics.js';

export interface Window {
  from: Date;
  to: Date;
}

interface SampleRow {
  status: number;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost: number;
  sample_rate: number;
  input_chars: number;
  output_chars: number;
  language: string;
  refused: boolean;
  embedding: number[] | null;
  output_label: string | null;
  attributes: Record<string, string> | null;
  request_id: string | null;
}

const round = (value: number | null, digits = 4) =>
  value === null || !Number.isFinite(value) ? null : Math.round(value * 10 ** digits) / 10 ** digits;

async function samples(
  db: DatabaseSession,
  monitor: Monitor,
  window: Window,
  columns: string,
): Promise<SampleRow[]> {
  const { rows } = await db.query<SampleRow>(
    `SELECT ${columns} FROM monitor_samples
      WHERE project_id = $1 AND ($2::text IS NULL OR deployment_id = $2) AND created_at >= $3 AND created_at < $4`,
    [monitor.projectId, monitor.deploymentId, window.from, window.to],
  );
  return rows;
}

export async function trafficMetrics(db: DatabaseSession, monitor: Monitor, window: Window) {
  const rows = await samples(
    db,
    monitor,
    window,
    'status, latency_ms, input_tokens, output_tokens, cost, sample_rate',
  );
  // Each logged call stands for 1/rate calls.
  let requests = 0;
  let errors = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let cost = 0;
  for (const row of rows) {
    const weight = 1 / (row.sample_rate || 1);
    requests += weight;
    if (row.status >= 400) errors += weight;
    inputTokens += row.input_tokens * weight;
    outputTokens += row.output_tokens * weight;
    cost += row.cost * weight;
  }
  const latencies = rows.map((row) => row.latency_ms);
  return {
    requests: Math.round(requests),
    sampled: rows.length,
    latency_p50_ms: round(percentile(latencies, 0.5), 2),
    latency_p95_ms: round(percentile(latencies, 0.95), 2),
    latency_p99_ms: round(percentile(latencies, 0.99), 2),
    input_tokens: Math.round(inputTokens),
    output_tokens: Math.round(outputTokens),
    cost: round(cost, 6),
    error_rate: requests ? round(errors / requests) : 0,
  };
}

export async function guardrailMetrics(db: DatabaseSession, monitor: Monitor, window: Window) {
  const requests = await samples(db, monitor, window, 'request_id, sample_rate');
  const total = requests.reduce((sum, row) => sum + 1 / (row.sample_rate || 1), 0);
  // Decisions of the project's requests in the window (a deployment's: those of its logged requests).
  const { rows } = await db.query<{ detector: string; requests: number; blocked: number }>(
    `SELECT detector, count(DISTINCT COALESCE(request_id, id::text))::int AS requests,
            count(DISTINCT COALESCE(request_id, id::text)) FILTER (WHERE action = 'block')::int AS blocked
       FROM guardrail_decisions
      WHERE project_id = $1 AND created_at >= $2 AND created_at < $3
        AND ($4::text IS NULL OR request_id IN (SELECT request_id FROM monitor_samples
              WHERE project_id = $1 AND deployment_id = $4 AND created_at >= $2 AND created_at < $3))
      GROUP BY detector ORDER BY detector`,
    [monitor.projectId, window.from, window.to, monitor.deploymentId],
  );
  const metrics: Record<string, number | null> = { requests: Math.round(total) };
  let blocked = 0;
  for (const row of rows) {
    metrics[`hit_rate.${row.detector}`] = total ? round(Math.min(1, row.requests / total)) : null;
    blocked += row.blocked;
  }
  metrics.blocked_rate = total ? round(Math.min(1, blocked / total)) : 0;
  return metrics;
}

/** The baseline window of a drift monitor: explicit, or the `baselineSeconds` before `window`. */
export function baselineOf(monitor: Monitor, window: Window): Window {
  const { baselineFrom, baselineTo, baselineSeconds } = monitor.config;
  if (baselineFrom && baselineTo) return { from: new Date(baselineFrom), to: new Date(baselineTo) };
  const length = (baselineSeconds ?? 86_400) * 1000;
  return { from: new Date(window.from.getTime() - length), to: window.from };
}

export async function driftMetrics(db: DatabaseSession, monitor: Monitor, window: Window) {
  const columns = 'input_chars, output_chars, language, refused, embedding';
  const baselineWindow = baselineOf(monitor, window);
  const [baseline, current] = await Promise.all([
    samples(db, monitor, baselineWindow, columns),
    samples(db, monitor, window, columns),
  ]);
  const vectors = (rows: SampleRow[]) =>
    rows.flatMap((row) => (row.embedding ? [row.embedding.map(Number)] : []));
  const baseCentroid = centroid(vectors(baseline));
  const currentCentroid = centroid(vectors(current));
  const distances = (rows: SampleRow[]) =>
    baseCentroid ? vectors(rows).map((vector) => cosineDistance(vector, baseCentroid)) : [];
  const refusal = (rows: SampleRow[]) =>
    rows.length ? rows.filter((row) => row.refused).length / rows.length : null;
  const baseRefusal = refusal(baseline);
  const currentRefusal = refusal(current);
  const roundMix = (shares: Record<string, number>) =>
    Object.fromEntries(Object.entries(shares).map(([key, value]) => [key, round(value)]));
  return {
    baseline_samples: baseline.length,
    samples: current.length,
    baseline_from: baselineWindow.from.toISOString(),
    baseline_to: baselineWindow.to.toISOString(),
    input_length_mean: round(mean(current.map((row) => row.input_chars)), 2),
    input_length_psi: round(
      numericPsi(
        baseline.map((row) => row.input_chars),
        current.map((row) => row.input_chars),
      ),
    ),
    output_length_mean: round(mean(current.map((row) => row.output_chars)), 2),
    output_length_psi: round(
      numericPsi(
        baseline.map((row) => row.output_chars),
        current.map((row) => row.output_chars),
      ),
    ),
    language_mix: roundMix(mix(current.map((row) => row.language))),
    baseline_language_mix: roundMix(mix(baseline.map((row) => row.language))),
    language_psi: round(
      categoricalPsi(
        baseline.map((row) => row.language),
        current.map((row) => row.language),
      ),
    ),
    centroid_distance:
      baseCentroid && currentCentroid ? round(cosineDistance(currentCentroid, baseCentroid)) : null,
    embedding_psi: round(numericPsi(distances(baseline), distances(current))),
    refusal_rate: round(currentRefusal),
    baseline_refusal_rate: round(baseRefusal),
    refusal_rate_change:
      currentRefusal !== null && baseRefusal !== null ? round(currentRefusal - baseRefusal) : null,
  };
}

export async function fairnessMetrics(db: DatabaseSession, monitor: Monitor, window: Window) {
  const attribute = monitor.config.attribute ?? '';
  const rows = await samples(db, monitor, window, 'output_label, attributes');
  const labelled = rows.flatMap((row) => {
    const group = row.attributes?.[attribute];
    return group !== undefined && row.output_label
      ? [{ group: String(group), outcome: row.output_label }]
      : [];
  });
  const report = groupFairness(labelled, monitor.config.favourable ?? [], monitor.config.referenceGroup);
  return {
    samples: labelled.length,
    attribute,
    disparate_impact: report ? round(report.disparateImpact) : null,
    statistical_parity_difference: report ? round(report.statisticalParityDifference) : null,
    reference_group: report?.referenceGroup ?? null,
    groups: report
      ? Object.fromEntries(
          Object.entries(report.groups).map(([name, group]) => [name, { ...group, rate: round(group.rate) }]),
        )
      : {},
  };
}

export function measure(
  db: DatabaseSession,
  monitor: Monitor,
  window: Window,
): Promise<Record<string, unknown>> {
  switch (monitor.kind) {
    case 'traffic':
      return trafficMetrics(db, monitor, window);
    case 'guardrails':
      return guardrailMetrics(db, monitor, window);
    case 'drift':
      return driftMetrics(db, monitor, window);
    default:
      return fairnessMetrics(db, monitor, window);
  }
}
