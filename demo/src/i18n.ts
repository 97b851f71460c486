// The storefront's own strings in English and Traditional Chinese. The pay elements translate
// themselves from their `lang`; this module keeps the page and the elements on one language.

export const LANGS = ['en', 'zh-HK'] as const;

export type Lang = (typeof LANGS)[number];

const STORAGE_KEY = 'harbour-goods-lang';

const zhHK: Record<string, string> = {
  'nav.shop': '商店',
  'nav.nocode': '免編程',
  'nav.nojs': '無需 JavaScript',
  'nav.csp': '嚴格 CSP',
  'hero.title': '香港小店好物，用心製作。',
  'hero.text':
    '以支付寶香港、支付寶或微信支付，數秒完成付款。這是示範商店：付款只會經過本機的 ScanForPay 沙盒，不涉及真實金錢。',
  'wallet.AlipayHK': '支付寶香港',
  'wallet.Alipay': '支付寶',
  'wallet.Wechat': '微信支付',
  'products.title': '本週精選',
  'products.note': '價格以港幣計算',
  'tee.title': '海港T恤',
  'tee.text': '厚身有機棉，絲印維港浪花圖案。',
  'tote.title': '帆布袋',
  'tote.text': '12 安士厚帆布，去街市買餸都夠位。',
  'coffee.title': '大嶼山咖啡豆 250 克',
  'coffee.text': '中度烘焙，帶可可與龍眼風味，每週新鮮烘焙。',
  'donation.title': '支持社區雪櫃',
  'donation.text': '每一元都會為深水埗街坊補充新鮮食物。捐款金額由 HK$10 至 HK$5,000 不等。',
  note: '每個按鈕都會向代理伺服器查詢價格，按下後只建立一張訂單，再帶你前往 ScanForPay 收銀台。此示範的收銀台是本機沙盒：可在那裡選擇付款、失敗或取消。',
  footer: '海港良品是 ScanForPay 付款按鈕的示範商店。',
  'result.title': '你的訂單',
  'result.paid': '多謝惠顧！',
  'result.failed': '付款未完成',
  'result.order': '訂單編號',
  'result.continue': '繼續購物',
  'csp.title': '以嚴格內容安全政策（CSP）提供的頁面',
  'csp.text':
    "此頁附帶標頭 Content-Security-Policy: script-src 'self'; style-src 'self'，不容許任何內嵌程式碼或樣式，付款按鈕依然正常運作。",
};

const en: Record<string, string> = {
  'result.paid': 'Thank you for your order!',
  'result.failed': 'Payment not completed',
};

/** The English text is the page's own markup, remembered before the first switch. */
const original = new WeakMap<Element, string>();

export function text(key: string, lang: Lang): string | undefined {
  return lang === 'zh-HK' ? zhHK[key] : en[key];
}

function isLang(value: string | null): value is Lang {
  return LANGS.includes(value as Lang);
}

/** `?lang=` first, then the shopper's last choice, then the browser's languages. */
export function preferredLang(): Lang {
  const query = new URLSearchParams(location.search).get('lang');
  if (isLang(query)) return query;
  const stored = readStored();
  if (isLang(stored)) return stored;
  return navigator.languages.some((l) => /^zh-(hk|mo|tw|hant)/i.test(l)) ? 'zh-HK' : 'en';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    if (!original.has(el)) original.set(el, el.textContent ?? '');
    const key = el.dataset.i18n ?? '';
    el.textContent = text(key, lang) ?? original.get(el) ?? '';
  }
  // Setting `lang` on the elements themselves re-renders them in the new language.
  for (const el of document.querySelectorAll('scanforpay-button, scanforpay-result')) {
    el.setAttribute('lang', lang);
  }
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === lang));
  }
  document.dispatchEvent(new CustomEvent('langchange', { detail: { lang } }));
}

/** Wires the EN / 繁 switch and applies the preferred language. */
export function setUpLanguageSwitch(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-lang]')) {
    button.addEventListener('click', () => {
      const lang = button.dataset.lang ?? null;
      if (!isLang(lang)) return;
      try {
        localStorage.setItem(STORAGE_KEY, lang);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      applyLang(lang);
    });
  }
  applyLang(preferredLang());
}

export function currentLang(): Lang {
  const lang = document.documentElement.lang;
  return isLang(lang) ? lang : 'en';
}
