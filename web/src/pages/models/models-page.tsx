/**
 * Models: provider reachability, the models served now, the catalog (task, context, licence,
 * size, presence) with downloads and their live progress. Downloads need the `manage` permission.
 */
import type { ModelsOverview, PullJobJson } from '@keel/api/models';
import { useEffect, useId, useMemo, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { useI18n } from '../../i18n/i18n-context';
import { useLoad } from '../../lib/use-load';
import { loadModelDirectory } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';
import { CatalogCard } from './catalog-card';
import { ProviderStatusList } from './provider-status-list';
import { PullForm } from './pull-form';
import { PullProgress } from './pull-progress';
import { ServedModelsTable } from './served-models-table';
import { modelTasks, taskLabelKey } from './task-tags';
import { inProgress, usePulls } from './use-pulls';

function CatalogSection({
  overview,
  onPulled,
}: {
  overview: ModelsOverview;
  onPulled(modelId: string | null): void;
}) {
  const { t } = useI18n();
  const { can } = useSession();
  const ids = { task: useId(), search: useId(), title: useId() };
  const canPull = can('manage');
  const { jobs, start, cancel, error } = usePulls(canPull, (job: PullJobJson) => {
    if (job.status === 'succeeded') onPulled(job.model_id);
  });
  const [task, setTask] = useState('');
  const [search, setSearch] = useState('');
  const entries = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return overview.catalog.filter(
      (entry) =>
        (!task || entry.tasks.includes(task)) &&
        (!needle || `${entry.display_name} ${entry.id} ${entry.publisher}`.toLowerCase().includes(needle)),
    );
  }, [overview.catalog, task, search]);
  const jobFor = (id: string) =>
    jobs.filter((job) => job.source === id).sort((a, b) => b.started_at.localeCompare(a.started_at))[0];
  const catalogIds = new Set(overview.catalog.map((entry) => entry.id));
  const otherJobs = jobs.filter((job) => !catalogIds.has(job.source));

  return (
    <>
      <section className="page-section" aria-labelledby={ids.title}>
        <div className="section-head">
          <h2 id={ids.title}>{t('models.catalog')}</h2>
          <div className="filters">
            <div className="field">
              <label htmlFor={ids.task}>{t('models.filterTask')}</label>
              <select id={ids.task} value={task} onChange={(event) => setTask(event.target.value)}>
                <option value="">{t('models.allTasks')}</option>
                {modelTasks.map((option) => (
                  <option key={option} value={option}>
                    {t(taskLabelKey(option)!)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.search}>{t('common.search')}</label>
              <input
                id={ids.search}
                type="search"
                value={search}
                onChange={(event) => setSearch(event.target.value)}
              />
            </div>
          </div>
        </div>
        {error ? <ErrorNotice error={error} title={t('models.pullError')} /> : null}
        {!canPull ? <p className="hint">{t('models.pullNeedsAdmin')}</p> : null}
        {entries.length === 0 ? <p className="hint">{t('models.noMatch')}</p> : null}
        <ul className="catalog-grid">
          {entries.map((entry) => (
            <CatalogCard
              key={entry.id}
              entry={entry}
              job={jobFor(entry.id)}
              canPull={canPull}
              onPull={() => void start(entry.id)}
              onCancel={(id) => void cancel(id)}
            />
          ))}
        </ul>
      </section>
      {canPull ? (
        <section className="page-section" aria-labelledby={`${ids.title}-other`}>
          <h2 id={`${ids.title}-other`}>{t('models.pullOther')}</h2>
          <p className="hint">{t('models.pullOtherHint')}</p>
          <PullForm onPull={start} />
          <ul className="stack small downloads" aria-label={t('models.downloads')}>
            {otherJobs.map((job) => (
              <li key={job.id}>
                <PullProgress job={job} onCancel={inProgress(job) ? () => void cancel(job.id) : undefined} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function ModelsPage() {
  const { t } = useI18n();
  const { client, projectId } = useSession();
  const directory = useLoad(() => loadModelDirectory(client), [client, projectId]);
  const [arriving, setArriving] = useState<{ modelId: string; tries: number }>();
  // The server lists models from a short cache, so a model that has just been pulled can take a
  // few seconds to be listed: ask again until it is (or give up after a while).
  useEffect(() => {
    if (!arriving || directory.status !== 'loaded') return;
    if (directory.value.choices.some((choice) => choice.id === arriving.modelId) || arriving.tries >= 8) {
      setArriving(undefined);
      return;
    }
    const timer = window.setTimeout(() => {
      setArriving({ ...arriving, tries: arriving.tries + 1 });
      directory.reload();
    }, 1000);
    return () => window.clearTimeout(timer);
  }, [arriving, directory]);
  return (
    <section className="page models-page" aria-labelledby="models-title">
      <header className="page-head">
        <h1 id="models-title">{t('nav.models')}</h1>
        <button type="button" className="button" onClick={directory.reload}>
          {t('common.refresh')}
        </button>
      </header>
      {directory.status === 'failed' ? (
        <ErrorNotice error={directory.error} title={t('models.loadFailed')} />
      ) : null}
      {directory.status === 'loading' && !directory.value ? <Loading /> : null}
      {directory.status !== 'failed' && directory.value ? (
        directory.value.source === 'models-api' ? (
          <>
            <section className="page-section" aria-labelledby="providers-title">
              <h2 id="providers-title">{t('models.providers')}</h2>
              <ProviderStatusList providers={directory.value.overview.providers} />
            </section>
            <section className="page-section" aria-labelledby="served-title">
              <h2 id="served-title">{t('models.served')}</h2>
              <ServedModelsTable models={directory.value.overview.models} />
            </section>
            {arriving ? (
              <p className="hint" role="status">
                {t('models.waitingForList', { model: arriving.modelId })}
              </p>
            ) : null}
            <CatalogSection
              overview={directory.value.overview}
              onPulled={(modelId) => {
                if (modelId) setArriving({ modelId, tries: 0 });
                directory.reload();
              }}
            />
          </>
        ) : (
          <>
            <p className="notice notice-warning" role="status">
              {t('models.noModelsApi')}
            </p>
            <ul className="plain-list">
              {directory.value.choices.map((choice) => (
                <li key={choice.id}>
                  <code>{choice.id}</code>
                </li>
              ))}
            </ul>
          </>
        )
      ) : null}
    </section>
  );
}
