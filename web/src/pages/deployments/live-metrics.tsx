/**
 * Live metric charts of one deployment: requests per minute, latency p50/p95/p99, tokens, cost
 * and error rate over the last minutes, from `GET /api/v1/deployments/{id}/metrics`, polled every
 * few seconds while the page is open (the request log flushes about once a second).
 */
import type { DeploymentMetricsJson } from '@keel/sdk';
import { useId, useState } from 'react';
import { ChartLegend } from '../../components/charts/chart-legend';
import { TimeChart, type TimeSeries } from '../../components/charts/time-chart';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { useInterval } from './use-interval';

const POLL_SECONDS = 5;
const windows = [15, 60, 360] as const;

type Bucket = DeploymentMetricsJson['buckets'][number];

export function LiveMetrics({ deploymentId }: { deploymentId: string }) {
  const { t, format, locale } = useI18n();
  const { client, projectId } = useSession();
  const windowId = useId();
  const [minutes, setMinutes] = useState<(typeof windows)[number]>(60);
  const bucketSeconds = minutes > 60 ? 300 : 60;
  const series = useLoad(
    () => client.deployments.metrics(deploymentId, { minutes, bucket_seconds: bucketSeconds }),
    [client, projectId, deploymentId, minutes],
  );
  useInterval(series.reload, POLL_SECONDS * 1000);
  const value = series.status === 'failed' ? undefined : series.value;
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const formatTime = (start: string) => time.format(new Date(start));
  const line = (name: string, pick: (bucket: Bucket) => number | null): TimeSeries => ({
    name,
    values: value?.buckets.map(pick) ?? [],
  });
  const starts = value?.buckets.map((bucket) => bucket.start) ?? [];
  const perMinute = (count: number) => count / (bucketSeconds / 60);
  const charts = value
    ? {
        requests: [line(t('dep.requests'), (b) => perMinute(b.requests))],
        latency: [
          line('p50', (b) => b.latency_p50_ms),
          line('p95', (b) => b.latency_p95_ms),
          line('p99', (b) => b.latency_p99_ms),
        ],
        tokens: [
          line(t('dep.inputTokens'), (b) => perMinute(b.input_tokens)),
          line(t('dep.outputTokens'), (b) => perMinute(b.output_tokens)),
        ],
        cost: [line(t('dep.cost'), (b) => perMinute(b.cost))],
        errors: [line(t('dep.errorRate'), (b) => b.error_rate)],
        // The sides of a split (or versions before and after a rollback), side by side.
        byVersion:
          value.versions.length > 1
            ? {
                requests: value.versions.map((entry) => ({
                  name: `v${entry.version}`,
                  values: entry.buckets.map((bucket) => perMinute(bucket.requests)),
                })),
                latency: value.versions.map((entry) => ({
                  name: `v${entry.version}`,
                  values: entry.buckets.map((bucket) => bucket.latency_p95_ms),
                })),
              }
            : null,
      }
    : undefined;
  const totals = value?.totals;
  return (
    <section className="page-section live-metrics" aria-labelledby={`${windowId}-title`}>
      <header className="section-head">
        <h3 id={`${windowId}-title`}>{t('dep.live')}</h3>
        <div className="field">
          <label htmlFor={windowId}>{t('dep.window')}</label>
          <select
            id={windowId}
            value={minutes}
            onChange={(event) => setMinutes(Number(event.target.value) as typeof minutes)}
          >
            {windows.map((each) => (
              <option key={each} value={each}>
                {t('dep.lastMinutes', { minutes: each })}
              </option>
            ))}
          </select>
        </div>
      </header>
      <p className="hint">
        {t('dep.liveNote', { minutes, seconds: POLL_SECONDS })}{' '}
        {value ? (
          <span className="live-stamp" data-updated={value.to}>
            {t('dep.updatedAt', { time: format.dateTime(new Date()) })}
          </span>
        ) : null}
      </p>
      {series.status === 'failed' ? <ErrorNotice error={series.error} /> : null}
      {totals ? (
        <dl className="metric-totals" aria-label={t('dep.totals')}>
          <div>
            <dt>{t('dep.requests')}</dt>
            <dd data-metric="requests">{format.number(totals.requests)}</dd>
          </div>
          <div>
            <dt>{t('dep.errorRate')}</dt>
            <dd data-metric="error_rate">
              {totals.error_rate === null ? '—' : format.number(totals.error_rate, { style: 'percent' })}
            </dd>
          </div>
          <div>
            <dt>p95</dt>
            <dd data-metric="latency_p95_ms">
              {totals.latency_p95_ms === null ? '—' : format.milliseconds(totals.latency_p95_ms)}
            </dd>
          </div>
          <div>
            <dt>{t('dep.inputTokens')}</dt>
            <dd>{format.number(totals.input_tokens)}</dd>
          </div>
          <div>
            <dt>{t('dep.outputTokens')}</dt>
            <dd>{format.number(totals.output_tokens)}</dd>
          </div>
          <div>
            <dt>{t('dep.cost')}</dt>
            <dd>{format.number(totals.cost, { maximumFractionDigits: 6 })}</dd>
          </div>
        </dl>
      ) : null}
      {charts ? (
        <div className="chart-grid-layout">
          <TimeChart
            title={t('dep.requestsChart')}
            days={starts}
            series={charts.requests}
            kind="stacked-bars"
            formatValue={format.compact}
            formatDay={formatTime}
          />
          <div>
            <ChartLegend names={charts.latency.map((entry) => entry.name)} />
            <TimeChart
              title={t('dep.latencyChart')}
              days={starts}
              series={charts.latency}
              kind="lines"
              formatValue={format.milliseconds}
              formatDay={formatTime}
            />
          </div>
          <div>
            <ChartLegend names={charts.tokens.map((entry) => entry.name)} />
            <TimeChart
              title={t('dep.tokensChart')}
              days={starts}
              series={charts.tokens}
              kind="stacked-bars"
              formatValue={format.compact}
              formatDay={formatTime}
            />
          </div>
          <TimeChart
            title={t('dep.costChart')}
            days={starts}
            series={charts.cost}
            kind="stacked-bars"
            formatValue={(amount) => format.number(amount, { maximumFractionDigits: 6 })}
            formatDay={formatTime}
          />
          <TimeChart
            title={t('dep.errorChart')}
            days={starts}
            series={charts.errors}
            kind="lines"
            formatValue={(rate) => format.number(rate, { style: 'percent' })}
            formatDay={formatTime}
          />
          {charts.byVersion ? (
            <>
              <div>
                <ChartLegend names={charts.byVersion.requests.map((entry) => entry.name)} />
                <TimeChart
                  title={t('dep.requestsByVersion')}
                  days={starts}
                  series={charts.byVersion.requests}
                  kind="stacked-bars"
                  formatValue={format.compact}
                  formatDay={formatTime}
                />
              </div>
              <div>
                <ChartLegend names={charts.byVersion.latency.map((entry) => entry.name)} />
                <TimeChart
                  title={t('dep.latencyByVersion')}
                  days={starts}
                  series={charts.byVersion.latency}
                  kind="lines"
                  formatValue={format.milliseconds}
                  formatDay={formatTime}
                />
              </div>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
