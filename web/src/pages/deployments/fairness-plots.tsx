/**
 * Fairness plots from a fairness monitor's runs (classifications grouped by a protected
 * attribute): disparate impact per run against the four-fifths threshold (0.8), each group's
 * favourable rate per run (statistical parity), and the latest run's groups beside the reference.
 */
import type { MonitorResultJson } from '@keel/sdk';
import type { TimeSeries } from '../../components/charts/time-chart';
import { useI18n } from '../../i18n/i18n-context';
import { numberOf, RunLines, useRunAxis } from './run-lines';

/** The four-fifths rule: a disparate impact under 0.8 is the usual sign of adverse impact. */
export const DISPARATE_IMPACT_THRESHOLD = 0.8;

interface Group {
  count: number;
  favourable: number;
  rate: number;
}

const groupsOf = (value: unknown): Record<string, Group> =>
  value && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>).flatMap(([name, group]) => {
          const entry = group as Partial<Group> | null;
          return entry && typeof entry.rate === 'number'
            ? [[name, { count: entry.count ?? 0, favourable: entry.favourable ?? 0, rate: entry.rate }]]
            : [];
        }),
      )
    : {};

export function FairnessPlots({ results }: { results: readonly MonitorResultJson[] }) {
  const { t, format } = useI18n();
  const { runs, at, formatRun } = useRunAxis(results, { seconds: true });
  const ratio = (value: number) => format.number(value, { maximumFractionDigits: 2 });
  const percent = (share: number) => format.number(share, { style: 'percent', maximumFractionDigits: 1 });
  const impact: TimeSeries[] = [
    { name: t('mon.fair.impact'), values: runs.map((run) => numberOf(run.metrics.disparate_impact)) },
  ];
  const groupsByRun = runs.map((run) => groupsOf(run.metrics.groups));
  const names = [...new Set(groupsByRun.flatMap((groups) => Object.keys(groups)))].sort();
  const rates: TimeSeries[] = names.map((name) => ({
    name,
    values: groupsByRun.map((groups) => groups[name]?.rate ?? null),
  }));
  const latest = runs.at(-1);
  const latestImpact = numberOf(latest?.metrics.disparate_impact);
  const parity = numberOf(latest?.metrics.statistical_parity_difference);
  const reference =
    typeof latest?.metrics.reference_group === 'string' ? latest.metrics.reference_group : null;
  const attribute = typeof latest?.metrics.attribute === 'string' ? latest.metrics.attribute : '';
  const latestGroups = groupsByRun.at(-1) ?? {};
  const below = latestImpact !== null && latestImpact < DISPARATE_IMPACT_THRESHOLD;
  return (
    <section className="page-section fairness-plots" aria-label={t('mon.fair.title')}>
      <h3>{t('mon.fair.title')}</h3>
      <p className="hint">{t('mon.fair.guide', { attribute })}</p>
      <dl className="facts">
        <div>
          <dt>{t('mon.fair.impact')}</dt>
          <dd data-metric="disparate_impact">{latestImpact === null ? '—' : ratio(latestImpact)}</dd>
        </div>
        <div>
          <dt>{t('mon.fair.parity')}</dt>
          <dd data-metric="statistical_parity_difference">{parity === null ? '—' : ratio(parity)}</dd>
        </div>
        <div>
          <dt>{t('mon.fair.reference')}</dt>
          <dd>{reference ?? '—'}</dd>
        </div>
      </dl>
      {latestImpact === null ? (
        <p className="notice" role="status">
          {t('mon.fair.noGroups')}
        </p>
      ) : (
        <p className={`notice ${below ? 'notice-error' : 'notice-success'}`} role="status">
          {below
            ? t('mon.fair.below', {
                value: ratio(latestImpact),
                threshold: ratio(DISPARATE_IMPACT_THRESHOLD),
              })
            : t('mon.fair.within', {
                value: ratio(latestImpact),
                threshold: ratio(DISPARATE_IMPACT_THRESHOLD),
              })}
        </p>
      )}
      <div className="chart-grid-layout">
        <RunLines
          title={t('mon.fair.impactChart')}
          at={at}
          series={impact}
          formatValue={ratio}
          formatRun={formatRun}
          references={[
            {
              value: DISPARATE_IMPACT_THRESHOLD,
              label: t('mon.fair.threshold', { threshold: ratio(DISPARATE_IMPACT_THRESHOLD) }),
            },
            { value: 1, label: t('mon.fair.parityLine') },
          ]}
        />
        <RunLines
          title={t('mon.fair.ratesChart')}
          at={at}
          series={rates}
          formatValue={percent}
          formatRun={formatRun}
        />
      </div>
      <div className="table-wrap">
        <table aria-label={t('mon.fair.groups')}>
          <thead>
            <tr>
              <th scope="col">{t('mon.fair.group', { attribute })}</th>
              <th scope="col">{t('mon.fair.count')}</th>
              <th scope="col">{t('mon.fair.favourable')}</th>
              <th scope="col">{t('mon.fair.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(latestGroups).map(([name, group]) => (
              <tr key={name} data-group={name}>
                <th scope="row">
                  {name}
                  {name === reference ? ` (${t('mon.fair.reference')})` : ''}
                </th>
                <td>{format.number(group.count)}</td>
                <td>{format.number(group.favourable)}</td>
                <td>{percent(group.rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
