import type { OrderStatus } from './api-client.js';
import type { Wallet } from './wallets.js';

export const LOCALES = ['en', 'zh-HK', 'zh-CN'] as const;

export type Locale = (typeof LOCALES)[number];

/** Every string the elements show, in one language. */
export interface Strings {
  /** The locale the strings are in, also used to format prices. */
  locale: Locale;
  wallets: Record<Wallet, string>;
  /** The accessible name of the wallet choice. */
  method: string;
  pay: (wallet: string) => string;
  /** The button's text before the wallet is known. */
  payPlain: string;
  retry: string;
  /** Messages by error code; `error` is the fallback for codes without their own message. */
  errors: Record<string, string> & { error: string };
  /** By order status; `partially_refunded` shows as `refunded`. */
  status: Record<Exclude<OrderStatus, 'partially_refunded'> | 'timeout', string>;
}

const en: Strings = {
  locale: 'en',
  wallets: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
  method: 'Payment method',
  pay: (w) => `Pay with ${w}`,
  payPlain: 'Pay',
  retry: 'Try again',
  errors: {
    error: 'Something went wrong.',
    network_error: 'No connection.',
    item_not_found: 'Item not available.',
    amount_out_of_range: 'Enter an amount in the range shown.',
    order_not_found: 'Order not found.',
  },
  status: {
    pending: 'Waiting for payment…',
    paid: 'Paid. Thank you!',
    failed: 'Payment failed.',
    expired: 'Payment expired.',
    refunded: 'Payment refunded.',
    timeout: 'Not confirmed yet. Check later.',
  },
};

const zhHK: Strings = {
  locale: 'zh-HK',
  wallets: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
  method: '付款方式',
  pay: (w) => `使用${w}付款`,
  payPlain: '付款',
  retry: '重試',
  errors: {
    error: '發生錯誤。',
    network_error: '無法連線。',
    item_not_found: '商品未能提供。',
    amount_out_of_range: '請輸入範圍內的金額。',
    order_not_found: '找不到訂單。',
  },
  status: {
    pending: '等待付款…',
    paid: '付款成功，謝謝！',
    failed: '付款失敗。',
    expired: '付款已逾時。',
    refunded: '已退款。',
    timeout: '尚未確認，請稍後再查看。',
  },
};

const zhCN: Strings = {
  locale: 'zh-CN',
  wallets: { Alipay: '支付宝', AlipayHK: '支付宝香港', Wechat: '微信支付' },
  method: '支付方式',
  pay: (w) => `使用${w}支付`,
  payPlain: '支付',
  retry: '重试',
  errors: {
    error: '出错了。',
    network_error: '无法连接。',
    item_not_found: '商品不可用。',
    amount_out_of_range: '请输入范围内的金额。',
    order_not_found: '找不到订单。',
  },
  status: {
    pending: '等待支付…',
    paid: '支付成功，谢谢！',
    failed: '支付失败。',
    expired: '支付已过期。',
    refunded: '已退款。',
    timeout: '尚未确认，请稍后再查看。',
  },
};

/** Traditional Chinese for Hong Kong, Macau, Taiwan and `zh-Hant`; Simplified for other `zh`. */
export function pickLocale(lang: string): Locale {
  const tag = lang.toLowerCase();
  if (!/^zh(-|$)/.test(tag)) return 'en';
  return /-(hk|mo|tw|hant)\b/.test(tag) ? 'zh-HK' : 'zh-CN';
}

/** The strings for a `lang` value; English unless it names Chinese. */
export function strings(lang: string): Strings {
  return [en, zhHK, zhCN].find((s) => s.locale === pickLocale(lang))!;
}

export function errorMessage(s: Strings, code: string): string {
  return s.errors[code] ?? s.errors.error;
}
