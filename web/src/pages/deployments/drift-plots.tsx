/**
 * Drift plots from a drift monitor's runs: PSI of input length, output length, language mix and
 * input embedding per run, the refusal rate against the baseline's, the mean input length, and
 * the latest run's language mix beside the baseline's.
 */
import type { MonitorResultJson } from '@keel/sdk';
import { ChartLegend } from '../../components/charts/chart-legend';
import { colourOf } from '../../components/charts/chart-scale';
import type { TimeSeries } from '../../components/charts/time-chart';
import { useI18n } from '../../i18n/i18n-context';
import { numberOf, RunLines, useRunAxis } from './run-lines';

const sharesOf = (value: unknown): Record<string, number> =>
  value && typeof value === 'object'
    ? Object.fromEntries(
        Object.entries(value as Record<string, unknown>).flatMap(([key, share]) =>
          typeof share === 'number' ? [[key, share]] : [],
        ),
      )
    : {};

export function DriftPlots({ results }: { results: readonly MonitorResultJson[] }) {
  const { t, format } = useI18n();
  const { runs, at, formatRun } = useRunAxis(results);
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
        <RunLines
          title={t('mon.psiChart')}
          at={at}
          series={psi}
          formatValue={(value) => format.number(value, { maximumFractionDigits: 2 })}
          formatRun={formatRun}
        />
        <RunLines
          title={t('mon.refusalChart')}
          at={at}
          series={refusal}
          formatValue={percent}
          formatRun={formatRun}
        />
        <RunLines
          title={t('mon.inputLengthChart')}
          at={at}
          series={inputLength}
          formatValue={(value) => format.number(value, { maximumFractionDigits: 0 })}
          formatRun={formatRun}
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
