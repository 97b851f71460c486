import { html, raw } from 'hono/html';
import type { CatalogItem } from '../catalog/parse-catalog.js';
import { LANG_NAMES, PAY_LANGS, type PayLang, type PayMessages } from './pay-messages.js';
import { money } from '../domain/money.js';
import type { PayRequest, PayRequestProblem } from './pay-request.js';

/** What hono's `html` helper returns: escaped HTML. */
type Html = ReturnType<typeof html>;

/** The page's only style sheet, inline and allowed by its hash in the page's CSP. */
export const PAY_PAGE_CSS = `:root{color-scheme:light dark;font-family:system-ui,-apple-system,"Segoe UI","PingFang HK","Microsoft JhengHei",sans-serif;line-height:1.5}
body{margin:0;min-height:100vh;display:grid;place-items:center;background:Canvas;color:CanvasText}
main{box-sizing:border-box;width:100%;max-width:28rem;padding:1.5rem}
.merchant{margin:0;font-size:.95rem;opacity:.85}
h1{margin:.25rem 0 .5rem;font-size:1.5rem;line-height:1.25}
img{display:block;max-width:100%;height:auto;border-radius:.5rem;margin:0 0 1rem}
.price{margin:0 0 1rem;font-size:1.25rem;font-weight:600}
.line{margin:0;opacity:.85}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{font:inherit;padding:.5rem .75rem;width:100%;box-sizing:border-box;border:1px solid GrayText;border-radius:.375rem}
button{font:inherit;min-height:2.75rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0;border-radius:.375rem;border:1px solid ButtonText;background:ButtonFace;color:ButtonText;cursor:pointer}
.hint{margin:.25rem 0 0;font-size:.9rem;opacity:.85}
.error{margin:1rem 0 0;padding:.5rem .75rem;border-left:.25rem solid #b3261e;font-weight:600}
.pay{display:block;margin:1.25rem 0 0}
.secure{margin:1.5rem 0 0;font-size:.85rem;opacity:.85}
nav{margin:1rem 0 0;font-size:.9rem}
nav a{margin-right:.75rem;color:LinkText}
nav a[aria-current]{font-weight:600}`;

/** The style element, its text exactly `PAY_PAGE_CSS` (a constant: no input reaches it). */
const STYLE = raw(`<style>${PAY_PAGE_CSS}</style>`);

/** Everything one pay page shows. */
export interface PayPageView {
  lang: PayLang;
  t: PayMessages;
  merchant: string;
  item: CatalogItem;
  request: PayRequest;
  problem?: PayRequestProblem;
  /** The proxy's public URL, without a trailing slash. */
  publicUrl: string;
  /** The pinned button script; undefined while it is not built (the form alone then). */
  script?: { url: string; integrity: string };
  /** The page's own URL, for the language links. */
  here: URL;
}

/**
 * The hosted pay page: the shop, the item, its price, then the `<scanforpay-button>` with a
 * plain form inside it that posts to `/checkout` (shown while JavaScript is off, blocked or
 * loading); for an open-amount item without an amount, a form to type it first. Every value
 * is escaped by `html`.
 */
export function payPage(view: PayPageView): Html {
  const { t, item, lang } = view;
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${item.title} · ${view.merchant}</title>
        ${STYLE}
        ${
          view.script && !needsAmount(view)
            ? html`<script
                src="${view.script.url}"
                integrity="${view.script.integrity}"
                crossorigin="anonymous"
                defer
              ></script>`
            : ''
        }
      </head>
      <body>
        <main>
          <p class="merchant">${t.payTo(view.merchant)}</p>
          <h1>${item.title}</h1>
          ${item.image ? html`<img src="${item.image}" alt="" />` : ''} ${priceLines(view)}
          ${needsAmount(view) ? amountForm(view) : payButton(view)}
          <p class="secure">${t.secure}</p>
          ${languageLinks(view)}
        </main>
      </body>
    </html>`;
}

/** The page for a link that cannot be paid: an unknown item or a wrong parameter. */
export function payProblemPage(lang: PayLang, t: PayMessages, title: string, detail: string): Html {
  return html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <link rel="icon" href="data:," />
        <title>${title}</title>
        ${STYLE}
      </head>
      <body>
        <main>
          <h1>${title}</h1>
          <p>${detail}</p>
          <p class="secure">${t.secure}</p>
        </main>
      </body>
    </html>`;
}

function needsAmount(view: PayPageView): boolean {
  return view.item.kind === 'open' && (view.request.amount === undefined || !!view.problem);
}

function priceLines(view: PayPageView): Html {
  const { item, request, t, lang } = view;
  const shown = (minor: number) => money(lang, minor, item.currency);
  const quantity = request.quantity ?? 1;
  if (item.kind === 'open') {
    if (request.amount === undefined || view.problem) return html``;
    return html`<p class="price">${shown(request.amount * quantity)}</p>
      ${quantity > 1 ? html`<p class="line">${t.quantity(quantity)}</p>` : ''}`;
  }
  if (quantity === 1) return html`<p class="price">${shown(item.amount)}</p>`;
  return html`<p class="line">${shown(item.amount)} × ${quantity}</p>
    <p class="price">${t.total(shown(item.amount * quantity))}</p>`;
}

function hidden(name: string, value: string | number | undefined): Html | string {
  return value === undefined ? '' : html`<input type="hidden" name="${name}" value="${value}" />`;
}

function amountForm(view: PayPageView): Html {
  const { item, t, request, problem, lang } = view;
  if (item.kind !== 'open') return html``;
  const hint = t.amountHint(
    money(lang, item.min, item.currency),
    money(lang, item.max, item.currency),
  );
  return html`<form method="get" action="${view.publicUrl}/pay/${item.id}">
    ${hidden('lang', lang)} ${hidden('quantity', request.quantity)}
    ${hidden('wallet', request.wallet)} ${hidden('reference', request.reference)}
    <label for="price">${t.amountLabel(item.currency)}</label>
    <input
      id="price"
      name="price"
      inputmode="decimal"
      autocomplete="off"
      required
      aria-describedby="price-hint${problem ? ' price-error' : ''}"
      ${problem ? html`aria-invalid="true"` : ''}
    />
    <p class="hint" id="price-hint">${hint}</p>
    ${problem ? html`<p class="error" id="price-error" role="alert">${problem.message}</p>` : ''}
    <button type="submit">${t.continue}</button>
  </form>`;
}

function payButton(view: PayPageView): Html {
  const { item, request, t, lang } = view;
  const amount = item.kind === 'open' ? request.amount : undefined;
  const wallets = request.wallet ? [request.wallet] : item.wallets;
  return html`<scanforpay-button
    class="pay"
    item="${item.id}"
    endpoint="${view.publicUrl}"
    lang="${lang}"
    ${amount === undefined ? '' : html`amount="${amount}"`}
    ${request.quantity === undefined ? '' : html`quantity="${request.quantity}"`}
    ${request.wallet === undefined ? '' : html`wallet="${request.wallet}"`}
    ${request.reference === undefined ? '' : html`reference="${request.reference}"`}
  >
    <form method="post" action="${view.publicUrl}/checkout">
      ${hidden('item', item.id)} ${hidden('amount', amount)} ${hidden('quantity', request.quantity)}
      ${hidden('reference', request.reference)}
      ${wallets.map(
        (wallet) =>
          html`<button type="submit" name="wallet" value="${wallet}">
            ${t.payWith(t.wallets[wallet])}
          </button>`,
      )}
    </form>
  </scanforpay-button>`;
}

function languageLinks(view: PayPageView): Html {
  return html`<nav aria-label="${view.t.language}">
    ${PAY_LANGS.map((lang) => {
      const url = new URL(view.here);
      url.searchParams.set('lang', lang);
      return html`<a
        href="${url.pathname}${url.search}"
        lang="${lang}"
        hreflang="${lang}"
        ${lang === view.lang ? html`aria-current="true"` : ''}
        >${LANG_NAMES[lang]}</a
      >`;
    })}
  </nav>`;
}
