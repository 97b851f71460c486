import type { Wallet } from '@scanforpay/protocol';

import { OFFER_LANGS, type OfferLang } from '../domain/offer-texts.js';

/** The hosted pay page's languages: the shopper's, as everywhere on the proxy. */
export const PAY_LANGS = OFFER_LANGS;
export type PayLang = OfferLang;

/** Every text of the hosted pay page, in one language. */
export interface PayMessages {
  /** "Pay {merchant}", the page's heading line above the item. */
  payTo: (merchant: string) => string;
  quantity: (count: number) => string;
  total: (amount: string) => string;
  amountLabel: (currency: string) => string;
  amountHint: (min: string, max: string) => string;
  continue: string;
  payWith: (wallet: string) => string;
  wallets: Record<Wallet, string>;
  secure: string;
  language: string;
  notFoundTitle: string;
  notFound: (item: string) => string;
  badRequestTitle: string;
  errors: {
    quantity: string;
    amount: string;
    amountRange: (min: string, max: string) => string;
    price: string;
    wallet: (wallets: string) => string;
    reference: string;
  };
}

const en: PayMessages = {
  payTo: (merchant) => `Pay ${merchant}`,
  quantity: (count) => `Quantity: ${count}`,
  total: (amount) => `Total: ${amount}`,
  amountLabel: (currency) => `Amount (${currency})`,
  amountHint: (min, max) => `From ${min} to ${max}.`,
  continue: 'Continue',
  payWith: (wallet) => `Pay with ${wallet}`,
  wallets: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
  secure: 'Payments are processed by ScanForPay. You pay in your wallet app.',
  language: 'Language',
  notFoundTitle: 'Nothing to pay here',
  notFound: (item) => `There is no item "${item}". Check the link you were given.`,
  badRequestTitle: 'This payment link is not right',
  errors: {
    quantity: 'The quantity must be a whole number from 1 to 99.',
    amount: 'The amount must be a whole number of cents.',
    amountRange: (min, max) => `Enter an amount from ${min} to ${max}.`,
    price: 'Enter an amount such as 50 or 50.00.',
    wallet: (wallets) => `This item is paid with ${wallets}.`,
    reference: 'The reference must be 1 to 64 printable characters (A-Z, 0-9, punctuation).',
  },
};

const zhHK: PayMessages = {
  payTo: (merchant) => `付款給 ${merchant}`,
  quantity: (count) => `數量：${count}`,
  total: (amount) => `總額：${amount}`,
  amountLabel: (currency) => `金額（${currency}）`,
  amountHint: (min, max) => `由 ${min} 至 ${max}。`,
  continue: '繼續',
  payWith: (wallet) => `使用${wallet}付款`,
  wallets: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
  secure: '付款由 ScanForPay 處理，你會在錢包應用程式內付款。',
  language: '語言',
  notFoundTitle: '找不到要付款的項目',
  notFound: (item) => `沒有「${item}」這個項目，請檢查你收到的連結。`,
  badRequestTitle: '這條付款連結不正確',
  errors: {
    quantity: '數量必須是 1 至 99 的整數。',
    amount: '金額必須是以仙為單位的整數。',
    amountRange: (min, max) => `請輸入 ${min} 至 ${max} 的金額。`,
    price: '請輸入金額，例如 50 或 50.00。',
    wallet: (wallets) => `這個項目可用${wallets}付款。`,
    reference: '參考編號必須是 1 至 64 個可列印字元（A-Z、0-9、標點）。',
  },
};

const zhCN: PayMessages = {
  payTo: (merchant) => `付款给 ${merchant}`,
  quantity: (count) => `数量：${count}`,
  total: (amount) => `总额：${amount}`,
  amountLabel: (currency) => `金额（${currency}）`,
  amountHint: (min, max) => `从 ${min} 到 ${max}。`,
  continue: '继续',
  payWith: (wallet) => `使用${wallet}付款`,
  wallets: { Alipay: '支付宝', AlipayHK: '支付宝香港', Wechat: '微信支付' },
  secure: '付款由 ScanForPay 处理，你将在钱包应用内付款。',
  language: '语言',
  notFoundTitle: '找不到要付款的项目',
  notFound: (item) => `没有“${item}”这个项目，请检查你收到的链接。`,
  badRequestTitle: '这个付款链接不正确',
  errors: {
    quantity: '数量必须是 1 到 99 的整数。',
    amount: '金额必须是以分为单位的整数。',
    amountRange: (min, max) => `请输入 ${min} 到 ${max} 的金额。`,
    price: '请输入金额，例如 50 或 50.00。',
    wallet: (wallets) => `这个项目可用${wallets}付款。`,
    reference: '参考编号必须是 1 到 64 个可打印字符（A-Z、0-9、标点）。',
  },
};

export const PAY_MESSAGES: Record<PayLang, PayMessages> = { en, 'zh-HK': zhHK, 'zh-CN': zhCN };

/** The language names in the page's language switch, each in its own language. */
export const LANG_NAMES: Record<PayLang, string> = {
  en: 'English',
  'zh-HK': '繁體中文',
  'zh-CN': '简体中文',
};
