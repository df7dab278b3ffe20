import { useI18n } from '../../i18n/i18n-context';
import { type PromptMode, promptModes } from './prompt-draft';

/** Freeform / structured / chat, as a radio group (arrow keys move between modes). */
export function ModeSwitch({ mode, onChange }: { mode: PromptMode; onChange(mode: PromptMode): void }) {
  const { t } = useI18n();
  return (
    <fieldset className="segmented radio-segmented">
      <legend className="visually-hidden">{t('lab.mode')}</legend>
      {promptModes.map((option) => (
        <label key={option} className={mode === option ? 'is-checked' : undefined}>
          <input
            type="radio"
            name="prompt-mode"
            value={option}
            checked={mode === option}
            onChange={() => onChange(option)}
          />
          {t(`lab.mode.${option}`)}
        </label>
      ))}
    </fieldset>
  );
}
