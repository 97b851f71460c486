export const LOCALES = ['en', 'zh-HK', 'zh-CN'] as const;

export type Locale = (typeof LOCALES)[number];

/**
 * The only words the elements carry: those needed when the proxy cannot be asked. Everything
 * else (wallet names, labels, hints, every error and status message) comes from the proxy in
 * the shopper's language (`?lang=`), which keeps the script small. In order: the button cannot
 * reach the shop (it retries loading by itself; paying is retried with the pay button); the
 * result page cannot reach it (and keeps trying); the pay button's text before its item is
 * loaded.
 */
export type Strings = readonly [offline: string, polling: string, pay: string];

const STRINGS: Readonly<Record<Locale, Strings>> = {
  en: ['Can’t reach the shop. No money was taken.', 'Can’t reach the shop. Still trying…', 'Pay'],
  'zh-HK': ['無法連線到商店，未有扣款。', '無法連線到商店，正在重試…', '付款'],
  'zh-CN': ['无法连接到商店，未扣款。', '无法连接到商店，正在重试…', '支付'],
};

/** Traditional Chinese for Hong Kong, Macau, Taiwan and `zh-Hant`; Simplified for other `zh`. */
export function pickLocale(lang: string): Locale {
  const tag = lang.toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return 'en';
  return /-(hk|mo|tw|hant)\b/.test(tag) ? 'zh-HK' : 'zh-CN';
}

/** The strings for a `lang` value; English unless it names Chinese. */
export function strings(lang: string): Strings {
  return STRINGS[pickLocale(lang)];
}
