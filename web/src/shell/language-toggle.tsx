import { type Language, languages, useI18n } from '../i18n/i18n-context';

const names: Record<Language, string> = { en: 'English', ko: '한국어' };

/** Switches the console between English and Korean; each option is named in its own language. */
export function LanguageToggle({ tone = 'dark' }: { tone?: 'dark' | 'light' }) {
  const { language, setLanguage, t } = useI18n();
  return (
    <fieldset className={`segmented language-toggle ${tone === 'dark' ? 'on-dark' : ''}`}>
      <legend className="visually-hidden">{t('shell.language')}</legend>
      {languages.map((option) => (
        <button
          key={option}
          type="button"
          lang={option}
          aria-pressed={language === option}
          onClick={() => setLanguage(option)}
        >
          {names[option]}
        </button>
      ))}
    </fieldset>
  );
}
