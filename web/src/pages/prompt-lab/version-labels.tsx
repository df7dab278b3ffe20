/** Points a label (production, staging …) at a version, or removes one. Needs `write`. */
import type { PromptVersionInfo } from '@keel/api/prompts';
import { type FormEvent, useId, useState } from 'react';
import { ErrorNotice } from '../../components/error-notice';
import { useI18n } from '../../i18n/i18n-context';
import { describeError, type ShownError } from '../../lib/errors';
import { useSession } from '../../session/session-context';

export function LabelForm({
  name,
  versions,
  onChanged,
}: {
  name: string;
  versions: readonly PromptVersionInfo[];
  onChanged(): void;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const ids = { label: useId(), version: useId() };
  const [label, setLabel] = useState('');
  const [version, setVersion] = useState(versions[0]?.version ?? 1);
  const [error, setError] = useState<ShownError>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    try {
      await client.prompts.setLabel(name, label.trim(), { version });
      setLabel('');
      onChanged();
    } catch (cause) {
      setError(describeError(cause));
    }
  };
  return (
    <form className="label-form" onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={ids.label}>{t('versions.label')}</label>
        <input
          id={ids.label}
          required
          value={label}
          pattern="[a-z][a-z0-9_\-]{0,49}"
          placeholder="production"
          spellCheck={false}
          onChange={(event) => setLabel(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.version}>{t('versions.version')}</label>
        <select id={ids.version} value={version} onChange={(event) => setVersion(Number(event.target.value))}>
          {versions.map((info) => (
            <option key={info.version} value={info.version}>
              v{info.version}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button small" disabled={!label.trim()}>
        {t('versions.setLabel')}
      </button>
      {error ? <ErrorNotice error={error} title={t('versions.labelFailed')} /> : null}
    </form>
  );
}

export function LabelChip({
  name,
  label,
  onRemoved,
  canWrite,
}: {
  name: string;
  label: string;
  onRemoved(): void;
  canWrite: boolean;
}) {
  const { t } = useI18n();
  const { client } = useSession();
  const [error, setError] = useState<ShownError>();
  return (
    <li className="chip label-chip">
      {label}
      {canWrite ? (
        <button
          type="button"
          aria-label={t('versions.removeLabel', { label })}
          onClick={() =>
            client.prompts
              .deleteLabel(name, label)
              .then(onRemoved, (cause: unknown) => setError(describeError(cause)))
          }
        >
          ✕
        </button>
      ) : null}
      {error ? <span className="notice-inline">{error.message}</span> : null}
    </li>
  );
}
