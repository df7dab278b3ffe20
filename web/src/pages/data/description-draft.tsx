/**
 * Drafted descriptions of a table: the chosen model drafts the table's and its columns'
 * descriptions (English or Korean) from what the signed-in role may see; the draft is shown for
 * review, each text editable, then accepted (the edits go with it; an emptied column text keeps
 * that column's own description) or discarded. Nothing a person wrote changes before that.
 */
import type { DataTableJson } from '@keel/sdk';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { languageModels, useModelDirectory } from '../../lib/use-model-directory';
import { useSession } from '../../session/session-context';

type Busy = 'draft' | 'accept' | 'discard' | null;

export function DescriptionDraft({ table, onChanged }: { table: DataTableJson; onChanged(): void }) {
  const { t, language: shown } = useI18n();
  const { client } = useSession();
  const ids = { model: useId(), language: useId(), description: useId() };
  const directory = useModelDirectory();
  const models = directory.status === 'loaded' ? languageModels(directory.value.choices) : [];
  const [picked, setModel] = useState('');
  const model = picked || (models[0]?.id ?? '');
  const [language, setLanguage] = useState<'en' | 'ko'>(shown);
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ShownError | null>(null);
  const draft = table.draft;
  const [description, setDescription] = useState(draft?.description ?? '');
  const [columns, setColumns] = useState<Record<string, string>>(draft?.columns ?? {});
  useEffect(() => {
    setDescription(draft?.description ?? '');
    setColumns(draft?.columns ?? {});
  }, [draft]);

  async function act(kind: Exclude<Busy, null>, work: () => Promise<unknown>) {
    setBusy(kind);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(null);
    }
  }

  function requestDraft(event: FormEvent) {
    event.preventDefault();
    void act('draft', () => client.data.draftDescriptions(table.name, { model, language }));
  }

  function accept(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    // Only what the person changed is sent; the rest of the draft goes as drafted.
    const edited = Object.fromEntries(
      table.columns
        .map((column) => [column.name, columns[column.name] ?? ''] as const)
        .filter(([name, text]) => text !== (draft.columns[name] ?? '')),
    );
    void act('accept', () =>
      client.data.acceptDescriptions(table.name, {
        ...(description !== draft.description ? { description } : {}),
        ...(Object.keys(edited).length ? { columns: edited } : {}),
      }),
    );
  }

  return (
    <section aria-label={t('data.draft.title')} className="data-draft">
      <h4>{t('data.draft.title')}</h4>
      {draft ? (
        <form onSubmit={accept} aria-label={t('data.draft.review')}>
          <p>
            {t('data.draft.by', { model: draft.model, language: t(`data.draft.language.${draft.language}`) })}
          </p>
          <label htmlFor={ids.description}>{t('data.draft.description')}</label>
          <textarea
            id={ids.description}
            rows={2}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <ul className="data-draft-columns">
            {table.columns.map((column) => (
              <li key={column.name}>
                <label>
                  {t('data.draft.columnOf', { column: column.name })}
                  <input
                    value={columns[column.name] ?? ''}
                    maxLength={4000}
                    onChange={(e) => {
                      const text = e.target.value;
                      setColumns((current) => ({ ...current, [column.name]: text }));
                    }}
                  />
                </label>
              </li>
            ))}
          </ul>
          <button type="submit" disabled={busy !== null}>
            {t('data.draft.accept')}
          </button>{' '}
          <button
            type="button"
            disabled={busy !== null}
            onClick={() => void act('discard', () => client.data.discardDescriptions(table.name))}
          >
            {t('data.draft.discard')}
          </button>
        </form>
      ) : (
        <form onSubmit={requestDraft} aria-label={t('data.draft.request')}>
          <label htmlFor={ids.model}>{t('data.draft.model')}</label>
          <select id={ids.model} value={model} onChange={(e) => setModel(e.target.value)}>
            {models.map((choice) => (
              <option key={choice.id} value={choice.id}>
                {choice.id}
              </option>
            ))}
          </select>
          <label htmlFor={ids.language}>{t('data.draft.language')}</label>
          <select
            id={ids.language}
            value={language}
            onChange={(e) => setLanguage(e.target.value === 'ko' ? 'ko' : 'en')}
          >
            <option value="en">{t('data.draft.language.en')}</option>
            <option value="ko">{t('data.draft.language.ko')}</option>
          </select>
          <button type="submit" disabled={busy !== null || !model}>
            {t('data.draft.start')}
          </button>
        </form>
      )}
      {busy === 'draft' ? <p role="status">{t('data.draft.drafting')}</p> : null}
      {error ? <ErrorNotice error={error} /> : null}
    </section>
  );
}
