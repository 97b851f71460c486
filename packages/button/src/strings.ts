import type { ResultStatus } from './events/scanforpay-status-event.js';
import { resolveLang } from './resolve-lang.js';
import type { Wallet } from './wallets.js';

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
  if (!/^zh(-|$)/i.test(lang)) return 'en';
  return /-(hk|mo|tw|hant)\b/i.test(lang) ? 'zh-HK' : 'zh-CN';
}

/** The locale an element speaks: its `lang`, else its nearest ancestor's (through shadow roots). */
export function localeOf(element: HTMLElement): Locale {
  return pickLocale(resolveLang(element));
}

/** Words a merchant puts in place of the proxy's, or of the element's own, for both elements. */
export interface SharedStrings {
  /** In place of "Can’t reach the shop…" (the only words shown when the proxy cannot be asked). */
  offline?: string;
  /**
   * A problem's message by its `code` (`amount_out_of_range`, `rate_limited`,
   * `network_error`…), in place of the proxy's words for it.
   */
  errors?: Record<string, string>;
}

/**
 * `<scanforpay-button>`'s `strings`: every word it shows, each optional. A map (`names`,
 * `hints`, `pay`) replaces the proxy's whole map: give each wallet you offer.
 */
export interface ButtonStrings extends SharedStrings {
  /** Each wallet's name on its tile. */
  names?: Partial<Record<Wallet, string>>;
  /** Each wallet's one-line hint on its tile. */
  hints?: Partial<Record<Wallet, string>>;
  /** The pay button's label with each wallet ("Pay with AlipayHK"). */
  pay?: Partial<Record<Wallet, string>>;
  /** The accessible name of the wallet choice. */
  method?: string;
  /** The in-app browser notice, and its copy-link button. */
  notice?: string;
  copy?: string;
  /** The desktop dialog: its title, its "continue on this computer" link, its close button. */
  scan?: string;
  here?: string;
  close?: string;
  /** The amount field's label, and its bounds line. */
  label?: string;
  range?: string;
}

/** `<scanforpay-result>`'s `strings`: every word it shows, each optional. */
export interface ResultStrings extends SharedStrings {
  /** The status line by status, in place of the proxy's (`timeout`: a wait that ran out). */
  status?: Partial<Record<ResultStatus, string>>;
  /** The label of the "Try again" link. */
  retry?: string;
}
