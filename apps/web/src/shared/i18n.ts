// Chinese first, English second: each front passes its own messages; the choice is kept per
// browser and starts from the browser's language.
import { createI18n, type I18nOptions } from 'vue-i18n';

export type Locale = 'zh-CN' | 'en';
export interface MessageTree {
  [key: string]: string | MessageTree;
}
const KEY = 'vouchers.locale';

export function startingLocale(): Locale {
  const saved = localStorage.getItem(KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function rememberLocale(locale: Locale): void {
  localStorage.setItem(KEY, locale);
  document.documentElement.lang = locale;
}

export function createFrontI18n(messages: Record<Locale, MessageTree>) {
  const locale = startingLocale();
  document.documentElement.lang = locale;
  return createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages: messages as I18nOptions['messages'] });
}
