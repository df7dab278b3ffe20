/**
 * What the monitor plots share: the runs oldest first with their time axis, a metric read as a
 * number or nothing, and a line chart of several series with its legend.
 */
import type { MonitorResultJson } from '@keel/sdk';
import { ChartLegend } from '../../components/charts/chart-legend';
import { type ReferenceLine, TimeChart, type TimeSeries } from '../../components/charts/time-chart';
import { useI18n } from '../../i18n/i18n-context';

export const numberOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** The runs oldest first (as a time axis reads), their end times and how to label one. */
export function useRunAxis(results: readonly MonitorResultJson[], options: { seconds?: boolean } = {}) {
  const { locale } = useI18n();
  const runs = [...results].reverse();
  const time = new Intl.DateTimeFormat(locale, {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    ...(options.seconds ? { second: '2-digit' } : {}),
  });
  return {
    runs,
    at: runs.map((run) => run.window_to),
    formatRun: (iso: string) => time.format(new Date(iso)),
  };
}

/** Lines over the runs, with a legend above when there is more than one series. */
export function RunLines({
  title,
  at,
  series,
  formatValue,
  formatRun,
  references,
}: {
  title: string;
  at: readonly string[];
  series: readonly TimeSeries[];
  formatValue(value: number): string;
  formatRun(iso: string): string;
  references?: readonly ReferenceLine[];
}) {
  const chart = (
    <TimeChart
      title={title}
      days={at}
      series={series}
      kind="lines"
      formatValue={formatValue}
      formatDay={formatRun}
      {...(references ? { references } : {})}
    />
  );
  if (series.length < 2) return chart;
  return (
    <div>
      <ChartLegend names={series.map((entry) => entry.name)} />
      {chart}
    </div>
  );
}
