/**
 * Metric trends: for one dataset and one target (a model, template, collection or deployment),
 * each metric's score over the finished runs, oldest first, with bootstrap intervals and the
 * threshold. Runs are read per dataset (`GET /api/v1/evaluations?dataset=`).
 */
import type { EvaluationJson } from '@keel/api/evals';
import type { Dataset } from '@keel/sdk';
import { useId, useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { metricTrends, scored, targetsOf } from './metric-series';
import { ScoreChart } from './score-chart';

/** How many runs of a dataset the charts read (the newest). */
const runLimit = 200;

export function MetricTrends({
  datasets,
  runs,
}: {
  datasets: readonly Dataset[];
  /** The page's run list: its newest scored run picks the first dataset, and a change reloads. */
  runs: readonly EvaluationJson[];
}) {
  const { t, format, locale } = useI18n();
  const { client, projectId } = useSession();
  const tick = useMemo(
    () =>
      new Intl.DateTimeFormat(locale, {
        month: 'numeric',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
      }),
    [locale],
  );
  const ids = { title: useId(), dataset: useId(), target: useId() };
  const [datasetChoice, setDatasetChoice] = useState('');
  const [targetChoice, setTargetChoice] = useState('');
  const finished = runs.filter(scored);
  const datasetId = datasetChoice || finished[0]?.dataset_id || (datasets.length ? datasets[0]!.id : '');
  // Reload when a run of this dataset starts or ends.
  const signature = runs
    .filter((run) => run.dataset_id === datasetId)
    .map((run) => `${run.id}:${run.status}`)
    .join(',');
  const loaded = useLoad(
    (signal) =>
      datasetId
        ? client.evals
            .list({ dataset: datasetId, limit: runLimit })
            .then((r) => (signal.aborted ? [] : r.evaluations))
        : Promise.resolve([]),
    [projectId, datasetId, signature],
  );
  const datasetRuns = ('value' in loaded ? loaded.value : undefined) ?? [];
  const targets = targetsOf(datasetRuns.filter(scored));
  const target = targets.includes(targetChoice) ? targetChoice : (targets[0] ?? '');
  const trends = target ? metricTrends(datasetRuns, target) : [];
  const value = (n: number) => format.number(n, { maximumFractionDigits: 3 });
  if (!finished.length && !datasets.length) return null;
  return (
    <section className="page-section" aria-labelledby={ids.title}>
      <div className="section-head">
        <h2 id={ids.title}>{t('evals.trends')}</h2>
      </div>
      <div className="inline-form">
        <div className="field">
          <label htmlFor={ids.dataset}>{t('evals.trendDataset')}</label>
          <select
            id={ids.dataset}
            value={datasetId}
            onChange={(event) => setDatasetChoice(event.target.value)}
          >
            {datasets.map((dataset) => (
              <option key={dataset.id} value={dataset.id}>
                {dataset.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.target}>{t('evals.target')}</label>
          <select
            id={ids.target}
            value={target}
            disabled={!targets.length}
            onChange={(event) => setTargetChoice(event.target.value)}
          >
            {targets.map((each) => (
              <option key={each} value={each}>
                {each}
              </option>
            ))}
          </select>
        </div>
      </div>
      {loaded.status === 'failed' ? <ErrorNotice error={loaded.error} /> : null}
      {loaded.status === 'loading' && !datasetRuns.length ? <Loading /> : null}
      {trends.length ? (
        <>
          <p className="hint">{t('evals.trendsHint')}</p>
          <div className="chart-grid-layout">
            {trends.map((trend, index) => (
              <ScoreChart
                key={trend.metric}
                trend={trend}
                index={index}
                title={t('evals.trendChart', {
                  metric: `${trend.metric} ${trend.higherIsBetter ? '↑' : '↓'}`,
                })}
                formatValue={value}
                formatTime={format.dateTime}
                formatTick={(at) => tick.format(new Date(at))}
                labels={{
                  run: t('evals.run'),
                  score: t('evals.score'),
                  interval: t('evals.interval'),
                  threshold: t('evals.threshold'),
                  min: t('evals.chartMin'),
                  max: t('evals.chartMax'),
                }}
              />
            ))}
          </div>
        </>
      ) : loaded.status === 'loaded' ? (
        <p className="notice">{t('evals.noTrends')}</p>
      ) : null}
    </section>
  );
}
