/**
 * Drift plots from a drift monitor's runs: PSI of input length, output length, language mix and
 * input embedding per run, the refusal rate against the baseline's, the mean input length, and
 * the latest run's language mix beside the baseline's.
 */
import type { MonitorResultJson } from '@keel/sdk';
import { ChartLegend } from '../../components/charts/chart-legend';
import { colourOf } from '../../components/charts/chart-scale';
import { TimeChart, type TimeSeries } from '../../components/charts/time-chart';
import { useI18n } from '../../i18n/i18n-context';

const numberOf = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

const sharesOf = (value: unknown): Record<string, number> =>
  value && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>).flatMap(([key, share]) =>
          typeof share === 'number' ? [[key, share]] : [],
        ),
      )
    : {};

export function DriftPlots({ results }: { results: readonly MonitorResultJson[] }) {
  const { t, format, locale } = useI18n();
  // Oldest first, as a time axis reads.
  const runs = [...results].reverse();
  const at = runs.map((run) => run.window_to);
  const time = new Intl.DateTimeFormat(locale, {
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const formatRun = (iso: string) => time.format(new Date(iso));
  const line = (name: string, metric: string): TimeSeries => ({
    name,
    values: runs.map((run) => numberOf(run.metrics[metric])),
  });
  const psi = [
    line(t('mon.psi.input'), 'input_length_psi'),
    line(t('mon.psi.output'), 'output_length_psi'),
    line(t('mon.psi.language'), 'language_psi'),
    line(t('mon.psi.embedding'), 'embedding_psi'),
  ];
  const refusal = [
    line(t('mon.refusal.current'), 'refusal_rate'),
    line(t('mon.refusal.baseline'), 'baseline_refusal_rate'),
  ];
  const inputLength = [line(t('mon.psi.input'), 'input_length_mean')];
  const latest = runs.at(-1);
  const current = sharesOf(latest?.metrics.language_mix);
  const baseline = sharesOf(latest?.metrics.baseline_language_mix);
  const languages = [...new Set([...Object.keys(baseline), ...Object.keys(current)])].sort();
  const percent = (share: number) => format.number(share, { style: 'percent', maximumFractionDigits: 1 });
  return (
    <section className="page-section drift-plots" aria-label={t('mon.drift')}>
      <h3>{t('mon.drift')}</h3>
      <p className="hint">{t('mon.psiGuide')}</p>
      <div className="chart-grid-layout">
        <div>
          <ChartLegend names={psi.map((entry) => entry.name)} />
          <TimeChart
            title={t('mon.psiChart')}
            days={at}
            series={psi}
            kind="lines"
            formatValue={(value) => format.number(value, { maximumFractionDigits: 2 })}
            formatDay={formatRun}
          />
        </div>
        <div>
          <ChartLegend names={refusal.map((entry) => entry.name)} />
          <TimeChart
            title={t('mon.refusalChart')}
            days={at}
            series={refusal}
            kind="lines"
            formatValue={percent}
            formatDay={formatRun}
          />
        </div>
        <TimeChart
          title={t('mon.inputLengthChart')}
          days={at}
          series={inputLength}
          kind="lines"
          formatValue={(value) => format.number(value, { maximumFractionDigits: 0 })}
          formatDay={formatRun}
        />
        <figure className="chart language-mix">
          <figcaption>{t('mon.languageMix')}</figcaption>
          <ChartLegend names={[t('mon.share.current'), t('mon.share.baseline')]} />
          <ul className="share-bars" aria-label={t('mon.languageMix')}>
            {languages.map((language) => (
              <li key={language} data-language={language}>
                {(
                  [
                    [t('mon.share.current'), current[language] ?? 0, 0],
                    [t('mon.share.baseline'), baseline[language] ?? 0, 1],
                  ] as const
                ).map(([label, share, colour]) => (
                  <div className="share-row" key={label}>
                    <span>{colour === 0 ? language : ''}</span>
                    <span
                      className="bar"
                      style={{ width: `${Math.round(share * 100)}%`, background: colourOf(colour) }}
                      title={`${language} · ${label}: ${percent(share)}`}
                    />
                    <span>{percent(share)}</span>
                  </div>
                ))}
              </li>
            ))}
          </ul>
        </figure>
      </div>
    </section>
  );
}
