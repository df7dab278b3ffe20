import { type KeyboardEvent, useId, useState } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import { maxStopSequences } from './generation-parameters';

/** Up to six stop sequences; Enter adds one, each has its own remove button. */
export function StopSequencesField({
  value,
  onChange,
}: {
  value: string[];
  onChange(value: string[]): void;
}) {
  const { t } = useI18n();
  const id = useId();
  const [next, setNext] = useState('');
  const full = value.length >= maxStopSequences;
  const add = () => {
    if (!next || full || value.includes(next)) return;
    onChange([...value, next]);
    setNext('');
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      add();
    }
  };
  return (
    <div className="field">
      <label htmlFor={id}>{t('param.stop_sequences')}</label>
      <div className="inline-add">
        <input
          id={id}
          value={next}
          disabled={full}
          placeholder={full ? t('param.stopFull', { max: maxStopSequences }) : t('param.stopPlaceholder')}
          onChange={(event) => setNext(event.target.value)}
          onKeyDown={onKey}
        />
        <button type="button" className="button small" onClick={add} disabled={!next || full}>
          {t('common.add')}
        </button>
      </div>
      {value.length ? (
        <ul className="chips" aria-label={t('param.stop_sequences')}>
          {value.map((stop) => (
            <li key={stop} className="chip">
              <code>{JSON.stringify(stop)}</code>
              <button
                type="button"
                aria-label={t('param.removeStop', { stop: JSON.stringify(stop) })}
                onClick={() => onChange(value.filter((other) => other !== stop))}
              >
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
