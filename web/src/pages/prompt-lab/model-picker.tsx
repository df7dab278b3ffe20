import { useId } from 'react';
import { useI18n } from '../../i18n/i18n-context';
import type { ModelChoice } from '../../lib/use-model-directory';

export function ModelPicker({
  models,
  value,
  onChange,
  label,
}: {
  models: readonly ModelChoice[];
  value: string;
  onChange(modelId: string): void;
  label?: string;
}) {
  const { t } = useI18n();
  const id = useId();
  const known = models.some((model) => model.id === value);
  return (
    <div className="field model-picker">
      <label htmlFor={id}>{label ?? t('lab.model')}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        {!known ? (
          <option value={value} disabled>
            {value ? t('lab.modelUnavailable', { model: value }) : t('lab.chooseModel')}
          </option>
        ) : null}
        {models.map((model) => (
          <option key={model.id} value={model.id}>
            {model.label}
          </option>
        ))}
      </select>
    </div>
  );
}
