/**
 * Shapes `/api/v1/usage` rows (grouped by model or key, and day) into per-series daily values for
 * the charts: every day of the range present, at most eight series (the rest summed as "other").
 */
import type { UsageResponse } from '@keel/api/platform';
import type { TimeSeries } from '../../components/charts/time-chart';

export type UsageRow = UsageResponse['rows'][number];
export type Dimension = 'model' | 'key';
export const maxSeries = 8;

export function seriesName(row: UsageRow, dimension: Dimension): string {
  return (dimension === 'model' ? row.model : row.key_id) ?? '—';
}

/** UTC days from `from` to `to` inclusive, as YYYY-MM-DD. */
export function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const cursor = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (cursor <= to) {
    days.push(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() + 1);
  }
  return days;
}

export function rangeStart(days: number, now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
}

export interface UsageCharts {
  names: string[];
  tokens: TimeSeries[];
  requests: TimeSeries[];
  latency: TimeSeries[];
}

export function buildCharts(
  rows: readonly UsageRow[],
  dimension: Dimension,
  days: readonly string[],
  label: (name: string) => string,
  otherLabel: string,
): UsageCharts {
  const weight = new Map<string, number>();
  for (const row of rows) {
    const name = seriesName(row, dimension);
    weight.set(name, (weight.get(name) ?? 0) + row.input_tokens + row.output_tokens + row.requests);
  }
  const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = ranked.length > maxSeries ? ranked.slice(0, maxSeries - 1) : ranked;
  const hasOther = ranked.length > kept.length;
  const names = [...kept.map(label), ...(hasOther ? [otherLabel] : [])];
  const index = new Map(days.map((day, at) => [day, at]));
  const blank = () => days.map(() => 0);
  const tokens = names.map(blank);
  const requests = names.map(blank);
  const latencySum = names.map(blank);
  for (const row of rows) {
    const day = row.day === undefined ? undefined : index.get(row.day);
    if (day === undefined) continue;
    const at = kept.indexOf(seriesName(row, dimension));
    const series = at === -1 ? names.length - 1 : at;
    tokens[series]![day]! += row.input_tokens + row.output_tokens;
    requests[series]![day]! += row.requests;
    latencySum[series]![day]! += row.latency_ms_avg * row.requests;
  }
  return {
    names,
    tokens: names.map((name, at) => ({ name, values: tokens[at]! })),
    requests: names.map((name, at) => ({ name, values: requests[at]! })),
    // Average latency weighted by requests; a day without requests has no latency (a gap).
    latency: names.map((name, at) => ({
      name,
      values: latencySum[at]!.map((sum, day) => (requests[at]![day] ? sum / requests[at]![day]! : null)),
    })),
  };
}
