import type { Wallet } from '@scanforpay/protocol';
import type { CheckoutContext } from './checkout-context.js';

/** Languages of the button's context texts (the same as the button's own strings). */
export const OFFER_LANGS = ['en', 'zh-HK', 'zh-CN'] as const;
export type OfferLang = (typeof OFFER_LANGS)[number];

/**
 * The words `<scanforpay-button>` shows for a context, served with the item so that they stay
 * out of the shopper's script bundle: a one-line hint per wallet, a notice for in-app browsers,
 * and the labels of the desktop "pay on your phone" dialog and of the copy-link button.
 */
export interface OfferTexts {
  hints: Record<Wallet, string>;
  /** In WeChat: how to open the page in the browser to use Alipay. In a social app: why and how. */
  notice?: string;
  /** Labels: the dialog's title, its fallback link, its close button. */
  scan: string;
  here: string;
  close: string;
  /** The copy-link button's label, in a social app's browser only (where the button shows it). */
  copy?: string;
  /** Each wallet's name, and the pay button's label with it ("Pay with AlipayHK"). */
  names: Record<Wallet, string>;
  pay: Record<Wallet, string>;
  /** The accessible name of the wallet choice. */
  method: string;
  /** The label of the amount field of an open-amount item. */
  label: string;
}

interface LangTexts extends Omit<OfferTexts, 'notice' | 'copy' | 'pay'> {
  copy: string;
  wechat: string;
  social: string;
  pay: (name: string) => string;
}

const TEXTS: Readonly<Record<OfferLang, LangTexts>> = {
  en: {
    hints: {
      AlipayHK: 'Hong Kong wallet, pays in HKD',
      Alipay: 'Mainland China wallet',
      Wechat: 'Pays in the WeChat app',
    },
    wechat:
      'To pay with Alipay or AlipayHK, tap ··· at the top right and choose “Open in Browser”.',
    social:
      'Payments work best in your browser: tap ··· or the share icon and choose “Open in browser”, or copy the link and paste it there.',
    scan: 'Scan with your phone to pay',
    here: 'Continue on this computer',
    close: 'Close',
    copy: 'Copy link',
    names: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
    pay: (name) => `Pay with ${name}`,
    method: 'Payment method',
    label: 'Amount',
  },
  'zh-HK': {
    hints: {
      AlipayHK: '香港錢包，以港幣付款',
      Alipay: '內地錢包',
      Wechat: '在微信應用程式內付款',
    },
    wechat: '如要使用支付寶或支付寶香港，請點按右上角的「···」，再選擇「在瀏覽器開啟」。',
    social:
      '在瀏覽器付款最順暢：點按「···」或分享圖示，選擇「在瀏覽器開啟」，或複製連結後貼到瀏覽器。',
    scan: '請用手機掃描付款',
    here: '在這部電腦繼續',
    close: '關閉',
    copy: '複製連結',
    names: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
    pay: (name) => `使用${name}付款`,
    method: '付款方式',
    label: '金額',
  },
  'zh-CN': {
    hints: {
      AlipayHK: '香港钱包，以港币支付',
      Alipay: '内地钱包',
      Wechat: '在微信内支付',
    },
    wechat: '如需使用支付宝或支付宝香港，请点击右上角的“···”，再选择“在浏览器打开”。',
    social:
      '在浏览器中支付最顺畅：点击“···”或分享图标，选择“在浏览器打开”，或复制链接后粘贴到浏览器。',
    scan: '请用手机扫码支付',
    here: '在这台电脑上继续',
    close: '关闭',
    copy: '复制链接',
    names: { Alipay: '支付宝', AlipayHK: '支付宝香港', Wechat: '微信支付' },
    pay: (name) => `使用${name}支付`,
    method: '支付方式',
    label: '金额',
  },
};

/** The texts for a context in a language; a notice (and copy button) only where needed. */
export function offerTexts(context: CheckoutContext, lang: OfferLang): OfferTexts {
  const { wechat, social, copy, pay: payWith, ...rest } = TEXTS[lang];
  const pay = { ...rest.names };
  for (const wallet of Object.keys(pay) as Wallet[]) pay[wallet] = payWith(rest.names[wallet]);
  const texts = { ...rest, pay };
  if (context === 'wechat') return { ...texts, notice: wechat };
  if (context === 'social') return { ...texts, notice: social, copy };
  return texts;
}

export function isOfferLang(value: unknown): value is OfferLang {
  return (OFFER_LANGS as readonly unknown[]).includes(value);
}

/**
 * The shopper's language for the proxy's words and pages: `?lang=` when it names one (any case),
 * else the best of `Accept-Language` by its q-values (Traditional Chinese → zh-HK, other Chinese
 * → zh-CN), else English.
 */
export function shopperLang(asked: string | undefined, accept: string | undefined = ''): OfferLang {
  const exact = OFFER_LANGS.find((lang) => lang.toLowerCase() === asked?.trim().toLowerCase());
  if (exact) return exact;
  const ranked = accept
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q.slice(2)) || 0 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (/^zh-(hk|mo|tw|hant)/.test(tag)) return 'zh-HK';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'en';
}
