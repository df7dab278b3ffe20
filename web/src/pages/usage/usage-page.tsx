/**
 * Usage: tokens, requests and latency of the project per model or per key, day by day, as charts
 * and as a table (`GET /api/v1/usage?group_by=model,day`).
 */
import { useId, useState } from 'react';
import { ChartLegend } from '../../components/charts/chart-legend';
import { TimeChart } from '../../components/charts/time-chart';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { buildCharts, type Dimension, daysBetween, rangeStart } from './usage-series';
import { UsageTable } from './usage-table';

const ranges = [7, 30, 90] as const;

export function UsagePage() {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const ids = { range: useId(), dimension: useId() };
  const [span, setSpan] = useState<(typeof ranges)[number]>(30);
  const [dimension, setDimension] = useState<Dimension>('model');
  const data = useLoad(async () => {
    const now = new Date();
    const from = rangeStart(span, now);
    const query = { from: from.toISOString() };
    const [daily, totals, keys] = await Promise.all([
      client.usage({ ...query, group_by: `${dimension},day` }),
      client.usage({ ...query, group_by: dimension }),
      // Key names need `manage`; others see key ids.
      dimension === 'key' && can('manage') ? client.keys.list({ includeRevoked: true }) : undefined,
    ]);
    return {
      // Rendered with the grouping they were asked for, also while the next grouping loads.
      dimension,
      daily,
      totals,
      days: daysBetween(from, now),
      keyNames: new Map(keys?.keys.map((key) => [key.id, key.name])),
    };
  }, [client, projectId, span, dimension]);

  const value = data.status === 'failed' ? undefined : data.value;
  const label = (name: string) => value?.keyNames.get(name) ?? name;
  const charts = value
    ? buildCharts(value.daily.rows, value.dimension, value.days, label, t('usage.other'))
    : undefined;

  return (
    <section className="page usage-page" aria-labelledby="usage-title">
      <header className="page-head">
        <h1 id="usage-title">{t('nav.usage')}</h1>
        <div className="toolbar">
          <div className="field">
            <label htmlFor={ids.range}>{t('usage.range')}</label>
            <select
              id={ids.range}
              value={span}
              onChange={(event) => setSpan(Number(event.target.value) as typeof span)}
            >
              {ranges.map((days) => (
                <option key={days} value={days}>
                  {t('usage.lastDays', { days })}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.dimension}>{t('usage.groupBy')}</label>
            <select
              id={ids.dimension}
              value={dimension}
              onChange={(event) => setDimension(event.target.value as Dimension)}
            >
              <option value="model">{t('usage.perModel')}</option>
              <option value="key">{t('usage.perKey')}</option>
            </select>
          </div>
          <button type="button" className="button" onClick={data.reload}>
            {t('common.refresh')}
          </button>
        </div>
      </header>
      {data.status === 'failed' ? <ErrorNotice error={data.error} title={t('usage.loadFailed')} /> : null}
      {data.status === 'loading' && !value ? <Loading /> : null}
      {value && charts ? (
        value.totals.rows.length === 0 ? (
          <p className="notice" role="status">
            {t('usage.empty', { days: span })}
          </p>
        ) : (
          <>
            <ChartLegend names={charts.names} />
            <div className="chart-grid-layout">
              <TimeChart
                title={t('usage.tokensChart')}
                days={value.days}
                series={charts.tokens}
                kind="stacked-bars"
                formatValue={format.compact}
                formatDay={format.day}
              />
              <TimeChart
                title={t('usage.requestsChart')}
                days={value.days}
                series={charts.requests}
                kind="stacked-bars"
                formatValue={format.compact}
                formatDay={format.day}
              />
              <TimeChart
                title={t('usage.latencyChart')}
                days={value.days}
                series={charts.latency}
                kind="lines"
                formatValue={format.milliseconds}
                formatDay={format.day}
              />
            </div>
            <UsageTable rows={value.totals.rows} dimension={value.dimension} label={label} />
          </>
        )
      ) : null}
    </section>
  );
}
