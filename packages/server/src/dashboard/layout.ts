import { html } from 'hono/html';
import type { Locale, Translate } from './messages.js';

/** What hono's `html` helper returns: escaped HTML, possibly still resolving. */
export type Html = ReturnType<typeof html>;

/** What every page knows about the request it answers. */
export interface PageContext {
  locale: Locale;
  t: Translate;
  /** The dashboard's own path prefix, e.g. `/admin/ui` (or `/shop/admin/ui` under a base path). */
  base: string;
  /** The current path and query, for the language links. */
  here: URL;
  /** The session's CSRF token; undefined on the sign-in page. */
  csrf?: string;
}

type Section = 'orders' | 'webhook';

/**
 * The page shell: one stylesheet and one script, both files (the CSP allows no inline code),
 * a skip link, the navigation, the language switch and sign-out. Every value is escaped by
 * `html`; only the `body` built by the same helper goes in as HTML.
 */
export function layout(p: PageContext, title: string, section: Section | null, body: Html): Html {
  const { t, base } = p;
  const nav = (name: Section, label: string) =>
    html`<a
      href="${base}/${name === 'orders' ? 'orders' : 'webhook'}"
      ${section === name ? html`aria-current="page"` : ''}
      >${label}</a
    >`;
  return html`<!doctype html>
    <html lang="${p.locale}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <meta name="referrer" content="same-origin" />
        <title>${title} · ${t('title')}</title>
        <link rel="stylesheet" href="${base}/assets/dashboard.css" />
        <script type="module" src="${base}/assets/dashboard.js"></script>
      </head>
      <body>
        <a class="skip" href="#main">${t('skip')}</a>
        <header class="top">
          <span class="brand">${t('title')}</span>
          ${
            p.csrf === undefined
              ? ''
              : html`<nav aria-label="${t('nav')}">
                  ${nav('orders', t('orders'))} ${nav('webhook', t('webhooks'))}
                </nav>`
          }
          <nav class="lang" aria-label="${t('language')}">
            ${languageLink(p, 'en', 'English')} ${languageLink(p, 'zh-HK', '繁體中文')}
          </nav>
          ${
            p.csrf === undefined
              ? ''
              : html`<form method="post" action="${base}/sign-out" class="inline">
                  <input type="hidden" name="_csrf" value="${p.csrf}" />
                  <button type="submit" class="link">${t('signOut')}</button>
                </form>`
          }
        </header>
        <main id="main" tabindex="-1">
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html>`;
}

function languageLink(p: PageContext, locale: Locale, name: string): Html {
  const url = new URL(p.here);
  url.searchParams.set('lang', locale);
  return html`<a
    href="${url.pathname}${url.search}"
    lang="${locale}"
    hreflang="${locale}"
    ${p.locale === locale ? html`aria-current="true"` : ''}
    >${name}</a
  >`;
}

/** A message box: `status` for news, `alert` for what went wrong. */
export function notice(kind: 'ok' | 'error', text: string): Html {
  return html`<p class="notice ${kind}" role="${kind === 'ok' ? 'status' : 'alert'}">${text}</p>`;
}

/** The hidden CSRF field of every state-changing form. */
export function csrfField(p: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${p.csrf ?? ''}" />`;
}
