import { resolveLang } from './resolve-lang.js';

export const LOCALES = ['en', 'zh-HK', 'zh-CN'] as const;

export type Locale = (typeof LOCALES)[number];

/*
 * The only words the elements carry: those needed when the proxy cannot be asked. Everything
 * else (wallet names, labels, hints, every error and status message) comes from the proxy in the
 * shopper's language (`?lang=`), which keeps the script small. Each element has its own, so that
 * one used alone carries only its words.
 */

/** The button cannot reach the shop (it asks again by itself; paying again is the pay button). */
export const BUTTON_OFFLINE: Readonly<Record<Locale, string>> = {
  en: 'Can’t reach the shop. No money was taken.',
  'zh-HK': '無法連線到商店，未有扣款。',
  'zh-CN': '无法连接到商店，未扣款。',
};

/** The button's text before its item is loaded. */
export const BUTTON_PAY: Readonly<Record<Locale, string>> = {
  en: 'Pay',
  'zh-HK': '付款',
  'zh-CN': '支付',
};

/** The result page cannot reach the shop, and keeps trying (it never says no money was taken). */
export const RESULT_OFFLINE: Readonly<Record<Locale, string>> = {
  en: 'Can’t reach the shop. Still trying…',
  'zh-HK': '無法連線到商店，正在重試…',
  'zh-CN': '无法连接到商店，正在重试…',
};

/** Traditional Chinese for Hong Kong, Macau, Taiwan and `zh-Hant`; Simplified for other `zh`. */
export function pickLocale(lang: string): Locale {
  const tag = lang.toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return 'en';
  return /-(hk|mo|tw|hant)\b/.test(tag) ? 'zh-HK' : 'zh-CN';
}

/** The locale an element speaks: its `lang`, else its nearest ancestor's (through shadow roots). */
export function localeOf(element: HTMLElement): Locale {
  return pickLocale(resolveLang(element));
}
