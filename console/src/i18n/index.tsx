import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { en } from './en';
import { ko, type MessageKey } from './ko';

/** Korean first; the choice of English is kept in this browser (localStorage). */
export type Lang = 'ko' | 'en';
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { ko, en };
const KEY = 'butler.lang';

interface I18n {
  lang: Lang;
  locale: string;
  t(key: MessageKey): string;
  toggle(): void;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLang] = useState<Lang>(() => (localStorage.getItem(KEY) === 'en' ? 'en' : 'ko'));
  // The page's language follows the choice (screen readers, fonts, the browser's own translation offer).
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value: I18n = {
    lang,
    locale: lang === 'ko' ? 'ko-KR' : 'en-GB',
    t: (key) => CATALOGUES[lang][key],
    toggle: () => {
      const next = lang === 'ko' ? 'en' : 'ko';
      localStorage.setItem(KEY, next);
      setLang(next);
    },
  };
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
