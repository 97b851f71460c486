/** Languages of the cashier page. */
export const LANGS = ['en', 'zh-HK'] as const;
export type Lang = (typeof LANGS)[number];

export interface CashierStrings {
  title: string;
  sandboxNote: string;
  merchant: string;
  remark: string;
  orderNumber: string;
  amount: string;
  wallet: string;
  scanHint: string;
  /** On a phone, in place of the QR: the step that opens the wallet app (`{wallet}` is replaced). */
  openApp: string;
  expiresIn: string;
  expired: string;
  pay: string;
  fail: string;
  cancel: string;
  returnToMerchant: string;
  returning: string;
  closePage: string;
  notFound: string;
  states: Record<'pending' | 'paid' | 'failed' | 'cancelled' | 'expired' | 'refunded', string>;
  wallets: Record<string, string>;
  otherLang: string;
}

export const CASHIER_STRINGS: Readonly<Record<Lang, CashierStrings>> = {
  en: {
    title: 'ScanForPay cashier',
    sandboxNote: 'Sandbox: no real money moves.',
    merchant: 'Merchant',
    remark: 'Remark',
    orderNumber: 'Order number',
    amount: 'Order amount',
    wallet: 'Wallet',
    scanHint: 'Scan to open this page on your phone',
    openApp:
      'On a phone there is nothing to scan: pressing Pay opens the {wallet} app, as the real cashier does.',
    expiresIn: 'Expires in',
    expired: 'Expired',
    pay: 'Pay',
    fail: 'Simulate failure',
    cancel: 'Cancel',
    returnToMerchant: 'Return to merchant',
    returning: 'Taking you back to the merchant…',
    closePage: 'You can close this page.',
    notFound: 'This payment page does not exist.',
    states: {
      pending: 'Waiting for payment',
      paid: 'Payment successful',
      failed: 'Payment failed',
      cancelled: 'Payment cancelled',
      expired: 'This order has expired',
      refunded: 'This order was refunded',
    },
    wallets: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
    otherLang: '中文',
  },
  'zh-HK': {
    title: 'ScanForPay 收銀台',
    sandboxNote: '沙盒環境：不涉及真實款項。',
    merchant: '商戶',
    remark: '備註',
    orderNumber: '訂單號碼',
    amount: '訂單金額',
    wallet: '錢包',
    scanHint: '用手機掃描以開啟此頁面',
    openApp: '手機上毋須掃描：按「付款」會開啟{wallet}應用程式，與真實收銀台相同。',
    expiresIn: '剩餘時間',
    expired: '已過期',
    pay: '支付',
    fail: '模擬失敗',
    cancel: '取消',
    returnToMerchant: '返回商戶',
    returning: '正在返回商戶…',
    closePage: '你可以關閉此頁面。',
    notFound: '此付款頁面不存在。',
    states: {
      pending: '等待付款',
      paid: '付款成功',
      failed: '付款失敗',
      cancelled: '付款已取消',
      expired: '訂單已過期',
      refunded: '訂單已退款',
    },
    wallets: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
    otherLang: 'English',
  },
};

/** `?lang=` wins; otherwise any Chinese in `Accept-Language` before English picks zh-HK. */
export function resolveLang(query: string | undefined, acceptLanguage: string | undefined): Lang {
  if (query === 'en' || query === 'zh-HK') return query;
  if (query?.toLowerCase().startsWith('zh')) return 'zh-HK';
  if (query?.toLowerCase().startsWith('en')) return 'en';
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => /^q=([0-9.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { tag, q: q === undefined ? 1 : Number(q), index };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-HK';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
