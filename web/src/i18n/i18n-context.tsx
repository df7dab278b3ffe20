/**
 * The console's language: English or Korean, remembered in localStorage, the browser's language
 * as the default. `t(key, values)` looks a message up and fills `{name}` placeholders.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { readString, storageKeys, writeString } from '../lib/storage';
import { createFormatters, type Formatters } from './format';
import { en, type MessageKey } from './messages-en';
import { ko } from './messages-ko';

export const languages = ['en', 'ko'] as const;
export type Language = (typeof languages)[number];

const catalogs: Record<Language, Record<MessageKey, string>> = { en, ko };
const locales: Record<Language, string> = { en: 'en-US', ko: 'ko-KR' };

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export interface I18n {
  language: Language;
  locale: string;
  setLanguage(language: Language): void;
  t: Translate;
  /** Whether `key` is a message key (for keys built from server codes). */
  has(key: string): key is MessageKey;
  format: Formatters;
}

function isLanguage(value: string | undefined): value is Language {
  return value === 'en' || value === 'ko';
}

export function initialLanguage(): Language {
  const remembered = readString('local', storageKeys.language);
  if (isLanguage(remembered)) return remembered;
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language];
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLanguage(base)) return base;
  }
  return 'en';
}

export function interpolate(template: string, values?: Record<string, string | number>): string {
  if (!values) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    values[name] === undefined ? match : String(values[name]),
  );
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    writeString('local', storageKeys.language, next);
    setLanguageState(next);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const value = useMemo<I18n>(() => {
    const catalog = catalogs[language];
    return {
      language,
      locale: locales[language],
      setLanguage,
      t: (key, values) => interpolate(catalog[key], values),
      has: (key): key is MessageKey => Object.hasOwn(catalog, key),
      format: createFormatters(locales[language]),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n needs an <I18nProvider> above it.');
  return context;
}
