/**
 * Evaluations: datasets (upload, preview), runs with live progress and their results (intervals,
 * thresholds, per-item diff), metric trends over runs, comparison of two runs (with a chart of the
 * differences), experiments with their runs (`?experiment=<id>`; a run's page is `?run=<id>`), and
 * red-team reports. Starting a run or
 * uploading needs `write`.
 */
import type { EvaluationJson } from '@keel/api/evals';
import type { Dataset } from '@keel/sdk';
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import '../../styles/evals.css';
import './evaluation-charts.css';
import { useSearch } from '../../lib/router';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import { CompareRuns } from './compare-runs';
import { DatasetsSection } from './datasets-section';
import { ExperimentList, ExperimentView } from './experiment-runs';
import { MetricTrends } from './metric-trends';
import { NewRunForm } from './new-run-form';
import { RedTeamSection } from './red-team-section';
import { RunDetails } from './run-details';

function RunsSection({ datasetsChanged }: { datasetsChanged: number }) {
  const { t, format } = useI18n();
  const { client, projectId, can } = useSession();
  const title = useId();
  const runs = useLoad(
    (signal) => client.evals.list({ limit: 50 }).then((r) => (signal.aborted ? [] : r.evaluations)),
    [projectId],
  );
  const datasets = useLoad(
    (signal) => client.evals.datasets().then((r) => (signal.aborted ? [] : r.datasets)),
    [projectId, datasetsChanged],
  );
  // A run's page: /evaluations?run=<id> (experiment views link here).
  const search = new URLSearchParams(useSearch());
  const linked = search.get('run');
  // Two runs compared at once: /evaluations?compare=<a>,<b> (a prompt optimisation links here).
  const compareLinked = search.get('compare')?.split(',') as [string, string] | undefined;
  const [selected, setSelected] = useState<string | null>(linked);
  useEffect(() => {
    if (linked) setSelected(linked);
  }, [linked]);
  const list: EvaluationJson[] = ('value' in runs ? runs.value : undefined) ?? [];
  const datasetList: Dataset[] = ('value' in datasets ? datasets.value : undefined) ?? [];
  const datasetName = (id: string) => datasetList.find((each) => each.id === id)?.name ?? id;
  return (
    <>
      <section className="page-section" aria-labelledby={title}>
        <div className="section-head">
          <h2 id={title}>{t('evals.runs')}</h2>
          <button
            type="button"
            className="button"
            onClick={() => {
              runs.reload();
              datasets.reload();
            }}
          >
            {t('common.refresh')}
          </button>
        </div>
        {can('write') ? (
          <NewRunForm
            datasets={datasetList}
            onCreated={(run) => {
              setSelected(run.id);
              runs.reload();
            }}
          />
        ) : null}
        {runs.status === 'failed' ? <ErrorNotice error={runs.error} /> : null}
        {list.length ? (
          <div className="table-wrap">
            <table aria-label={t('evals.runs')}>
              <thead>
                <tr>
                  <th scope="col">{t('evals.run')}</th>
                  <th scope="col">{t('evals.dataset')}</th>
                  <th scope="col">{t('evals.status')}</th>
                  <th scope="col">{t('evals.thresholds')}</th>
                  <th scope="col">{t('evals.created')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((run) => (
                  <tr key={run.id} aria-selected={run.id === selected}>
                    <td>
                      <button
                        type="button"
                        className="link-button"
                        aria-pressed={run.id === selected}
                        onClick={() => setSelected(run.id)}
                      >
                        {run.name ?? run.id}
                      </button>
                    </td>
                    <td>
                      {datasetName(run.dataset_id)} v{run.dataset_version}
                    </td>
                    <td>{t(`evals.status.${run.status}`)}</td>
                    <td>
                      {run.passed === null ? (
                        '—'
                      ) : (
                        <span className={run.passed ? 'verdict-pass' : 'verdict-fail'}>
                          {t(run.passed ? 'evals.pass' : 'evals.fail')}
                        </span>
                      )}
                    </td>
                    <td>{format.dateTime(run.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : runs.status === 'loaded' ? (
          <p className="notice">{t('evals.noRuns')}</p>
        ) : runs.status === 'loading' ? (
          <Loading />
        ) : null}
        {selected ? <RunDetails key={selected} runId={selected} onChanged={() => runs.reload()} /> : null}
      </section>
      <ExperimentList runs={list} />
      <MetricTrends datasets={datasetList} runs={list} />
      <CompareRuns runs={list} initial={compareLinked} />
    </>
  );
}

export function EvaluationsPage() {
  const { t } = useI18n();
  // An upload adds a dataset the run form offers.
  const [datasetsChanged, setDatasetsChanged] = useState(0);
  const experiment = new URLSearchParams(useSearch()).get('experiment');
  return (
    <div className="page">
      <h1>{t('nav.evaluations')}</h1>
      {experiment ? <ExperimentView key={experiment} id={experiment} /> : null}
      <DatasetsSection onChanged={() => setDatasetsChanged((n) => n + 1)} />
      <RunsSection datasetsChanged={datasetsChanged} />
      <RedTeamSection />
    </div>
  );
}
