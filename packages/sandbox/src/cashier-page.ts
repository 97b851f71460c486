import { formatMoney } from '@scanforpay/protocol';
import { CASHIER_STRINGS, resolveLang, type Lang } from './cashier-strings.js';
import type { Order } from './order-book.js';

export interface CashierPageInput {
  order: Order;
  merchantName: string;
  lang: Lang;
  /** Inline SVG of a QR code of the page's own URL; undefined on a phone (nothing to scan there). */
  qrSvg: string | undefined;
  /** Seconds left before the order expires. */
  secondsLeft: number;
}

export interface ReturnPageInput {
  order: Order;
  merchantName: string;
  lang: Lang;
  /** Submit the return form by script as soon as the page loads. */
  autoSubmit: boolean;
}

/**
 * The cashier: order summary, countdown, and pay / fail / cancel buttons; on a computer a QR
 * code to open it on a phone, on a phone the "open the wallet app" step instead (the real
 * cashier adapts to PC or mobile, and never asks a phone to scan its own screen).
 */
export function renderCashierPage(input: CashierPageInput): string {
  const { order, lang } = input;
  const t = CASHIER_STRINGS[lang];
  const q = `?lang=${lang}`;
  const action = (name: 'pay' | 'fail' | 'cancel', label: string, kind: string) =>
    `<form method="post" action="/cashier/${order.token}/${name}${q}">` +
    `<button type="submit" class="${kind}" data-action="${name}">${escapeHtml(label)}</button></form>`;
  return layout(
    lang,
    t.title,
    `${summary(input.order, input.merchantName, lang)}
    ${
      input.qrSvg
        ? `<figure class="qr">${input.qrSvg}<figcaption>${escapeHtml(t.scanHint)}</figcaption></figure>`
        : `<p class="open-app" data-step="open-app">${escapeHtml(t.openApp.replace('{wallet}', t.wallets[order.wallet] ?? order.wallet))}</p>`
    }
    <p class="countdown">${escapeHtml(t.expiresIn)}
      <time data-remaining="${Math.max(0, Math.floor(input.secondsLeft))}" data-expired-label="${escapeHtml(t.expired)}" datetime="${order.expiresAt.toISOString()}">${formatDuration(input.secondsLeft)}</time></p>
    <div class="actions">
      ${action('pay', `${t.pay} ${amount(order, lang)}`, 'primary')}
      ${action('fail', t.fail, 'secondary')}
      ${action('cancel', t.cancel, 'secondary')}
    </div>`,
    order.token,
  );
}

/**
 * The page after the shopper acted (or came back to a settled order): the outcome and a form
 * that POSTs `partnerOrderNo` to `returnUrl`, query string kept, submitted by `/cashier.js`
 * when `autoSubmit` is set, with a visible button for browsers without script.
 */
export function renderReturnPage(input: ReturnPageInput): string {
  const { order, lang } = input;
  const t = CASHIER_STRINGS[lang];
  const back = order.returnUrl
    ? `<form method="post" action="${escapeHtml(order.returnUrl)}"${input.autoSubmit ? ' data-auto-submit' : ''}>
      <input type="hidden" name="partnerOrderNo" value="${escapeHtml(order.partnerOrderNo)}">
      ${input.autoSubmit ? `<p class="note">${escapeHtml(t.returning)}</p>` : ''}
      <button type="submit" class="primary" data-action="return">${escapeHtml(t.returnToMerchant)}</button>
    </form>`
    : `<p class="note">${escapeHtml(t.closePage)}</p>`;
  return layout(
    lang,
    t.states[order.state],
    `<p class="outcome outcome-${order.state}" role="status">${escapeHtml(t.states[order.state])}</p>
    ${summary(order, input.merchantName, lang)}
    ${back}`,
    order.token,
  );
}

/** A page for an unknown token or an unexpected failure. */
export function renderErrorPage(message: string, acceptLanguage: string | undefined): string {
  const lang = resolveLang(undefined, acceptLanguage);
  return layout(
    lang,
    CASHIER_STRINGS[lang].title,
    `<p class="outcome" role="alert">${escapeHtml(message)}</p>`,
  );
}

function summary(order: Order, merchantName: string, lang: Lang): string {
  const t = CASHIER_STRINGS[lang];
  const row = (label: string, value: string, name: string) =>
    `<div><dt>${escapeHtml(label)}</dt><dd data-field="${name}">${escapeHtml(value)}</dd></div>`;
  return `<dl class="summary">
      ${row(t.merchant, merchantName, 'merchant')}
      ${order.orderTitle ? row(t.remark, order.orderTitle, 'title') : ''}
      ${row(t.orderNumber, order.partnerOrderNo, 'partnerOrderNo')}
      ${row(t.amount, amount(order, lang), 'amount')}
      ${row(t.wallet, t.wallets[order.wallet] ?? order.wallet, 'wallet')}
    </dl>`;
}

function amount(order: Order, lang: Lang): string {
  return formatMoney(order.orderAmount, order.currency, lang === 'en' ? 'en-HK' : 'zh-HK', {
    currencyDisplay: 'code',
  });
}

function layout(lang: Lang, title: string, main: string, token?: string): string {
  const t = CASHIER_STRINGS[lang];
  const other: Lang = lang === 'en' ? 'zh-HK' : 'en';
  const switcher = token
    ? `<a class="lang" href="/cashier/${token}?lang=${other}" hreflang="${other}" lang="${other}">${t.otherLang}</a>`
    : '';
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/cashier.css">
<script src="/cashier.js" defer></script>
</head>
<body>
<main class="card">
  <header><span class="brand">ScanForPay</span> <span class="badge">SANDBOX</span> ${switcher}</header>
  <p class="note">${escapeHtml(t.sandboxNote)}</p>
  ${main}
</main>
</body>
</html>`;
}

/** `11:59:59`, or `04:05` under an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const rest = `${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return h > 0 ? `${h}:${rest}` : rest;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
