import { type FormEvent, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';

/** Pull any GGUF: a catalog id, `hf:owner/repo/file.gguf` or an https URL, saved under a name. */
export function PullForm({ onPull }: { onPull(source: string, name?: string): Promise<void> }) {
  const { t } = useI18n();
  const ids = { source: useId(), name: useId() };
  const [source, setSource] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    await onPull(source.trim(), name.trim() || undefined);
    setBusy(false);
    setSource('');
    setName('');
  };
  return (
    <form className="pull-form" onSubmit={(event) => void submit(event)}>
      <div className="field grow">
        <label htmlFor={ids.source}>{t('models.source')}</label>
        <input
          id={ids.source}
          required
          value={source}
          spellCheck={false}
          placeholder="hf:owner/repo/file.gguf"
          onChange={(event) => setSource(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={ids.name}>{t('models.saveAs')}</label>
        <input
          id={ids.name}
          value={name}
          spellCheck={false}
          pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,127}"
          placeholder={t('models.saveAsPlaceholder')}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
      <button type="submit" className="button primary" disabled={busy || !source.trim()}>
        {t('models.pullShort')}
      </button>
    </form>
  );
}
