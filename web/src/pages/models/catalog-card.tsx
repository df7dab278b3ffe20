/** One catalog entry: what it is good for, its limits and licence, and whether it is here. */
import type { CatalogEntryJson, PullJobJson } from '@keel/api/models';
import { useI18n } from '../../i18n/i18n-context';
import { PullProgress } from './pull-progress';
import { TaskTags } from './task-tags';
import { inProgress } from './use-pulls';

export function CatalogCard({
  entry,
  job,
  canPull,
  onPull,
  onCancel,
}: {
  entry: CatalogEntryJson;
  job: PullJobJson | undefined;
  canPull: boolean;
  onPull(): void;
  onCancel(id: string): void;
}) {
  const { t, format, language } = useI18n();
  const notes = language === 'ko' ? (entry.notes_ko ?? entry.notes) : entry.notes;
  const languageNames = new Intl.DisplayNames([language], { type: 'language' });
  const titleId = `catalog-${entry.id}`;
  const running = job ? inProgress(job) : false;
  return (
    <li className="card catalog-card" aria-labelledby={titleId}>
      <div className="catalog-head">
        <h3 id={titleId}>{entry.display_name}</h3>
        {entry.present ? (
          <span className="status-pill status-done">{t('models.present')}</span>
        ) : (
          <span className="status-pill">{t('models.notPresent')}</span>
        )}
      </div>
      <p className="hint">
        {entry.publisher} · <code>{entry.model_id}</code>
      </p>
      <TaskTags tasks={entry.tasks} />
      <dl className="facts">
        <div>
          <dt>{t('models.context')}</dt>
          <dd>{t('models.tokens', { count: format.number(entry.context_length) })}</dd>
        </div>
        <div>
          <dt>{t('models.licence')}</dt>
          <dd>
            {entry.licence}
            <span className="hint">
              {' '}
              · {entry.commercial_use ? t('models.commercialYes') : t('models.commercialNo')}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('models.parameters')}</dt>
          <dd>{format.compact(entry.parameters)}</dd>
        </div>
        <div>
          <dt>{t('models.size')}</dt>
          <dd>
            {entry.size_bytes ? format.bytes(entry.size_bytes) : '—'}
            <span className="hint"> · {entry.quantisation}</span>
          </dd>
        </div>
        {entry.dimensions ? (
          <div>
            <dt>{t('models.dimensions')}</dt>
            <dd>{format.number(entry.dimensions)}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t('models.languages')}</dt>
          <dd>{entry.languages.map((code) => languageNames.of(code) ?? code).join(', ')}</dd>
        </div>
      </dl>
      {notes ? <p className="hint">{notes}</p> : null}
      {job ? (
        <PullProgress job={job} onCancel={running && canPull ? () => onCancel(job.id) : undefined} />
      ) : null}
      {!entry.present && canPull && !running ? (
        <button
          type="button"
          className="button primary small"
          aria-label={t('models.pull', { name: entry.display_name })}
          onClick={onPull}
        >
          {t('models.pullShort')}
        </button>
      ) : null}
    </li>
  );
}
