/**
 * Saves the draft: as a new immutable version of the template it came from (`base_version` guards
 * against overwriting someone else's newer version: a 409 says so), or as a new template.
 */
import type { PromptTask, PromptTemplate } from '@keel/api/prompts';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { ModalDialog } from '../../components/modal-dialog';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';
import type { PromptDraft } from './prompt-draft';
import { toTemplateBody } from './template-body';

const tasks: PromptTask[] = ['generate', 'extract', 'summarize', 'classify', 'qa', 'rag', 'chat', 'code'];

export type SaveMode = 'version' | 'new';

export function SaveDialog({
  mode,
  draft,
  onClose,
  onSaved,
}: {
  mode: SaveMode | undefined;
  draft: PromptDraft;
  onClose(): void;
  onSaved(template: PromptTemplate): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { name: useId(), title: useId(), task: useId(), message: useId() };
  const [name, setName] = useState('');
  const [title, setTitle] = useState('');
  const [task, setTask] = useState<PromptTask | ''>('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError>();
  const asVersion = mode === 'version' && draft.origin;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const template = toTemplateBody(draft);
      const saved = asVersion
        ? await client.prompts.saveVersion(draft.origin!.name, {
            template,
            base_version: draft.origin!.version,
            ...(message.trim() ? { message: message.trim() } : {}),
          })
        : await client.prompts.create({
            name: name.trim(),
            template,
            ...(title.trim() ? { title: title.trim() } : {}),
            ...(task ? { task } : {}),
            ...(message.trim() ? { message: message.trim() } : {}),
          });
      setMessage('');
      setName('');
      setTitle('');
      onSaved(saved);
    } catch (cause) {
      setError(describeError(cause));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalDialog
      title={asVersion ? t('save.versionTitle', { name: draft.origin!.name }) : t('save.newTitle')}
      open={mode !== undefined}
      onClose={onClose}
    >
      <form className="stack" onSubmit={(event) => void submit(event)}>
        {asVersion ? (
          <p className="hint">{t('save.versionHint', { version: draft.origin!.version + 1 })}</p>
        ) : (
          <>
            <div className="field">
              <label htmlFor={ids.name}>{t('save.name')}</label>
              <input
                id={ids.name}
                required
                value={name}
                pattern="[a-z0-9][a-z0-9._\-]{0,99}"
                spellCheck={false}
                aria-describedby={`${ids.name}-hint`}
                onChange={(event) => setName(event.target.value)}
              />
              <p id={`${ids.name}-hint`} className="hint">
                {t('save.nameHint')}
              </p>
            </div>
            <div className="field">
              <label htmlFor={ids.title}>{t('save.titleLabel')}</label>
              <input id={ids.title} value={title} onChange={(event) => setTitle(event.target.value)} />
            </div>
            <div className="field">
              <label htmlFor={ids.task}>{t('samples.task')}</label>
              <select
                id={ids.task}
                value={task}
                onChange={(event) => setTask(event.target.value as PromptTask | '')}
              >
                <option value="">{t('save.noTask')}</option>
                {tasks.map((option) => (
                  <option key={option} value={option}>
                    {t(`promptTask.${option}`)}
                  </option>
                ))}
              </select>
            </div>
          </>
        )}
        <div className="field">
          <label htmlFor={ids.message}>{t('save.message')}</label>
          <input
            id={ids.message}
            value={message}
            placeholder={t('save.messagePlaceholder')}
            onChange={(event) => setMessage(event.target.value)}
          />
        </div>
        {error ? <ErrorNotice error={error} title={t('save.failed')} /> : null}
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {asVersion ? t('save.saveVersion') : t('save.create')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </ModalDialog>
  );
}
