/**
 * Experiments and their runs. A RAG experiment records one evaluation run per grid point (a
 * Prompt Lab comparison one per column): the experiment view (`/evaluations?experiment=<id>`)
 * lists them with links to each run's page (`/evaluations?run=<id>`), and a run's page links back
 * to the experiment it belongs to.
 */
import type { EvaluationJson } from '@keel/api/evals';
import { useId } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { Link } from '../../lib/router';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';

type Source = NonNullable<EvaluationJson['source']>;

export const runHref = (id: string) => `/evaluations?run=${encodeURIComponent(id)}`;
export const experimentHref = (id: string) => `/evaluations?experiment=${encodeURIComponent(id)}`;

function useKindName() {
  const { t } = useI18n();
  return (kind: string) =>
    kind === 'rag.experiment'
      ? t('evals.sourceRagExperiment')
      : kind === 'prompts.compare'
        ? t('evals.sourceComparison')
        : kind;
}

/** On a run's page: the experiment (or comparison) that recorded it, and its grid point. */
export function RunSource({ run }: { run: EvaluationJson }) {
  const { t } = useI18n();
  const kindName = useKindName();
  if (!run.source) return null;
  return (
    <p className="run-source">
      {t('evals.partOf', { kind: kindName(run.source.kind) })}{' '}
      <Link href={experimentHref(run.source.id)}>{run.source.id}</Link>
      {run.source.cell ? ` · ${t('evals.cell', { cell: run.source.cell })}` : null}
    </p>
  );
}

/** The experiments among the recent runs, each linking to its view. */
export function ExperimentList({ runs }: { runs: readonly EvaluationJson[] }) {
  const { t, format } = useI18n();
  const kindName = useKindName();
  const title = useId();
  const sources = new Map<string, { source: Source; runs: number; created: string }>();
  for (const run of runs) {
    if (!run.source) continue;
    const entry = sources.get(run.source.id) ?? { source: run.source, runs: 0, created: run.created_at };
    entry.runs++;
    if (run.created_at < entry.created) entry.created = run.created_at;
    sources.set(run.source.id, entry);
  }
  if (!sources.size) return null;
  return (
    <section className="page-section" aria-labelledby={title}>
      <h2 id={title}>{t('evals.experiments')}</h2>
      <div className="table-wrap">
        <table aria-label={t('evals.experiments')}>
          <thead>
            <tr>
              <th scope="col">{t('evals.experiment')}</th>
              <th scope="col">{t('evals.sourceKind')}</th>
              <th scope="col">{t('evals.runs')}</th>
              <th scope="col">{t('evals.created')}</th>
            </tr>
          </thead>
          <tbody>
            {[...sources.values()].map(({ source, runs: count, created }) => (
              <tr key={source.id}>
                <th scope="row">
                  <Link href={experimentHref(source.id)}>{source.id}</Link>
                </th>
                <td>{kindName(source.kind)}</td>
                <td>{format.number(count)}</td>
                <td>{format.dateTime(created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** One experiment: its runs, one per grid point, each linking to the run's page. */
export function ExperimentView({ id }: { id: string }) {
  const { t, format } = useI18n();
  const { client, projectId } = useSession();
  const kindName = useKindName();
  const title = useId();
  const runs = useLoad(
    (signal) =>
      client.evals.list({ source: id, limit: 500 }).then((r) => (signal.aborted ? [] : r.evaluations)),
    [projectId, id],
  );
  const list = ('value' in runs ? runs.value : undefined) ?? [];
  // Grid points in order; the metrics every run reports, as columns.
  const sorted = [...list].sort((a, b) => (a.source?.cell ?? '').localeCompare(b.source?.cell ?? ''));
  const metrics = [...new Set(sorted.flatMap((run) => Object.keys(run.aggregates?.metrics ?? {})))].slice(
    0,
    6,
  );
  const score = (value: number | undefined) =>
    value === undefined ? '—' : format.number(value, { maximumFractionDigits: 3 });
  return (
    <section className="page-section" aria-labelledby={title}>
      <h2 id={title}>{t('evals.experimentTitle', { id })}</h2>
      {runs.status === 'failed' ? <ErrorNotice error={runs.error} /> : null}
      {runs.status === 'loading' ? <Loading /> : null}
      {runs.status === 'loaded' && !sorted.length ? (
        <p className="notice">{t('evals.noExperimentRuns')}</p>
      ) : null}
      {sorted.length ? (
        <>
          <p className="notice-meta">
            {kindName(sorted[0]!.source?.kind ?? '')} ·{' '}
            {t('evals.experimentRunCount', { n: format.number(sorted.length) })}
          </p>
          <div className="table-wrap">
            <table aria-label={t('evals.experimentRuns')}>
              <thead>
                <tr>
                  <th scope="col">{t('evals.run')}</th>
                  <th scope="col">{t('evals.cellColumn')}</th>
                  <th scope="col">{t('evals.status')}</th>
                  {metrics.map((metric) => (
                    <th scope="col" key={metric}>
                      {metric}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {sorted.map((run) => (
                  <tr key={run.id}>
                    <th scope="row">
                      <Link href={runHref(run.id)}>{run.name ?? run.id}</Link>
                    </th>
                    <td>{run.source?.cell ?? '—'}</td>
                    <td>{t(`evals.status.${run.status}`)}</td>
                    {metrics.map((metric) => (
                      <td key={metric}>{score(run.aggregates?.metrics[metric]?.score)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
