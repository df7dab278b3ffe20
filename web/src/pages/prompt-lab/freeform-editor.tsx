import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';

export function FreeformEditor({ value, onChange }: { value: string; onChange(value: string): void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{t('lab.freeformLabel')}</label>
      <textarea
        id={id}
        className="freeform"
        rows={14}
        value={value}
        placeholder={t('lab.freeformPlaceholder')}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
