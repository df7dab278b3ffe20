/**
 * Saved templates of the project: open one (its latest version) in the editor; for the template
 * being edited, its immutable versions with their labels — open any version, move labels, diff two.
 */
import type { PromptTemplate } from '@keel/api/prompts';
import { useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { Loading } from '../../components/loading';
import { ModalDialog } from '../../components/modal-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useLoad } from '../../lib/use-load';
import { useSession } from '../../session/session-context';
import type { PromptDraft } from './prompt-draft';
import { VersionDiff } from './version-diff';
import { LabelChip, LabelForm } from './version-labels';

function Versions({
  name,
  current,
  refreshKey,
  onOpen,
}: {
  name: string;
  current: number;
  refreshKey: number;
  onOpen(ref: string): void;
}) {
  const { t, format } = useI18n();
  const { client, can } = useSession();
  const [diffOpen, setDiffOpen] = useState(false);
  const versions = useLoad(() => client.prompts.versions(name), [client, name, refreshKey]);
  if (versions.status === 'failed')
    return <ErrorNotice error={versions.error} title={t('versions.loadFailed')} />;
  if (!versions.value) return <Loading />;
  const list = versions.value.versions;
  return (
    <section className="stack small" aria-label={t('versions.title', { name })}>
      <div className="section-head">
        <h3>{t('versions.title', { name })}</h3>
        {list.length > 1 ? (
          <button type="button" className="button small" onClick={() => setDiffOpen(true)}>
            {t('versions.compare')}
          </button>
        ) : null}
      </div>
      <ol className="version-list">
        {list.map((version) => (
          <li key={version.version} className={version.version === current ? 'is-current' : undefined}>
            <div className="history-meta">
              <strong>v{version.version}</strong>
              <time dateTime={version.created_at}>{format.dateTime(version.created_at)}</time>
            </div>
            {version.message ? <p className="history-preview">{version.message}</p> : null}
            {version.labels.length ? (
              <ul className="chips" aria-label={t('versions.labels')}>
                {version.labels.map((label) => (
                  <LabelChip
                    key={label}
                    name={name}
                    label={label}
                    onRemoved={versions.reload}
                    canWrite={can('write')}
                  />
                ))}
              </ul>
            ) : null}
            {version.version === current ? (
              <span className="hint">{t('versions.editing')}</span>
            ) : (
              <button
                type="button"
                className="button small ghost"
                aria-label={t('versions.openNamed', { name, version: version.version })}
                onClick={() => onOpen(`${name}@${version.version}`)}
              >
                {t('versions.open')}
              </button>
            )}
          </li>
        ))}
      </ol>
      {can('write') ? <LabelForm name={name} versions={list} onChanged={versions.reload} /> : null}
      <ModalDialog title={t('diff.title', { name })} open={diffOpen} onClose={() => setDiffOpen(false)} wide>
        <VersionDiff name={name} versions={list} />
      </ModalDialog>
    </section>
  );
}

export function TemplatesPanel({
  origin,
  refreshKey,
  onOpen,
}: {
  origin: PromptDraft['origin'];
  refreshKey: number;
  onOpen(template: PromptTemplate): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<ShownError>();
  const templates = useLoad(
    () => client.prompts.list({ limit: 100, ...(query.trim() ? { q: query.trim() } : {}) }),
    [client, query, refreshKey],
  );
  const open = (ref: string) => {
    setError(undefined);
    client.prompts.get(ref).then(onOpen, (cause: unknown) => setError(describeError(cause)));
  };
  return (
    <div className="templates-panel stack">
      {origin ? (
        <Versions name={origin.name} current={origin.version} refreshKey={refreshKey} onOpen={open} />
      ) : null}
      {error ? <ErrorNotice error={error} title={t('templates.openFailed')} /> : null}
      <div className="field">
        <label htmlFor={searchId}>{t('templates.search')}</label>
        <input id={searchId} type="search" value={query} onChange={(event) => setQuery(event.target.value)} />
      </div>
      {templates.status === 'failed' ? (
        <ErrorNotice error={templates.error} title={t('templates.loadFailed')} />
      ) : null}
      {templates.status === 'failed' ? null : templates.value ? (
        templates.value.prompts.length === 0 ? (
          <p className="hint">{t('templates.empty')}</p>
        ) : (
          <ul className="template-list" aria-label={t('templates.title')}>
            {templates.value.prompts.map((prompt) => (
              <li key={prompt.id} className="history-item">
                <div className="history-meta">
                  <strong>{prompt.title || prompt.name}</strong>
                  <span className="hint">v{prompt.latest_version}</span>
                </div>
                <p className="history-model">
                  <code>{prompt.name}</code> · {t(`lab.mode.${prompt.mode}`)}
                </p>
                {Object.keys(prompt.labels).length ? (
                  <ul className="chips">
                    {Object.entries(prompt.labels).map(([label, version]) => (
                      <li key={label} className="chip">
                        {label} → v{version}
                      </li>
                    ))}
                  </ul>
                ) : null}
                <button
                  type="button"
                  className="button small"
                  aria-label={t('templates.openNamed', { name: prompt.name })}
                  onClick={() => open(prompt.name)}
                >
                  {t('versions.open')}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : (
        <Loading />
      )}
    </div>
  );
}
