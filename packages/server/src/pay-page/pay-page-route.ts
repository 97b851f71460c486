import { Hono, type Context } from 'hono';
import { ITEM_ID, type CatalogItem } from '../catalog/parse-catalog.js';
import type { ButtonBundle } from '../encoding/button-bundle.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import type { ItemLookup } from '../orders/price-order.js';
import { ProblemError } from '../problem.js';
import { shopperLang } from '../domain/offer-texts.js';
import { PAY_MESSAGES, PAY_LANGS, type PayLang } from './pay-messages.js';
import { PAY_PAGE_CSS, payPage, payProblemPage } from './pay-page-html.js';
import { payLinkPng, payLinkSvg, payLinkUrl } from './pay-link.js';
import { readPayRequest, type PayQuery } from './pay-request.js';

export interface PayPageRouteDeps {
  lookupItem: ItemLookup;
  /** The proxy's public URL, without a trailing slash. */
  publicUrl: string;
  merchantName: string;
  bundle: ButtonBundle;
  /** CSP sources of the gateway's pages (`/checkout` redirects the fallback form there). */
  payUrlSources: readonly string[];
}

const QR_TYPES = { svg: 'image/svg+xml; charset=utf-8', png: 'image/png' } as const;

/**
 * The hosted pay page and its payment links:
 * - `GET /pay/:item` — the page (`?amount=` in minor units for open-amount items, `?quantity=`,
 *   `?wallet=`, `?reference=`, `?lang=`), with a strict CSP: the pinned button script by its
 *   integrity, its own inline style by hash, nothing else;
 * - `GET /pay/:item.svg`, `GET /pay/:item.png` — the QR code of that link (same parameters).
 */
export function payPageRoute(deps: PayPageRouteDeps): Hono<ProxyEnv> {
  const origin = new URL(deps.publicUrl).origin;
  let styleHash: Promise<string> | undefined;
  const lookup = async (id: string) => (ITEM_ID.test(id) ? deps.lookupItem(id) : undefined);

  return new Hono<ProxyEnv>().get('/pay/:name', async function payLink(c) {
    const name = c.req.param('name');
    const qr = /^(.+)\.(svg|png)$/.exec(name);
    const qrItem = qr ? await lookup(qr[1]!) : undefined;
    if (qr && qrItem) return qrCode(c, qrItem, qr[2] as 'svg' | 'png');
    if (qr && !(await lookup(name))) {
      throw new ProblemError('item_not_found', `there is no item "${qr[1]!.slice(0, 64)}"`);
    }

    const lang = shopperLang(c.req.query('lang'), c.req.header('accept-language'));
    const t = PAY_MESSAGES[lang];
    styleHash ??= sha256(PAY_PAGE_CSS);
    const headers = {
      'content-security-policy': pageCsp(origin, await styleHash, deps.payUrlSources),
      'cache-control': 'public, max-age=60',
      vary: 'Accept-Language',
      // Not `no-referrer`: under it the page's own POSTs (the element's order, the form) carry
      // `Origin: null`, which the origin guard refuses. Other origins still get no Referer.
      'referrer-policy': 'same-origin',
    };
    const item = await lookup(name);
    if (!item) {
      const page = payProblemPage(lang, t, t.notFoundTitle, t.notFound(name.slice(0, 64)));
      return c.html(page, 404, { ...headers, 'cache-control': 'no-store' });
    }
    const { request, problem } = readPayRequest(item, payQuery(c), t, lang);
    if (problem && problem.field !== 'amount' && problem.field !== 'price') {
      const page = payProblemPage(lang, t, t.badRequestTitle, problem.message);
      return c.html(page, 400, { ...headers, 'cache-control': 'no-store' });
    }
    const bundle = await deps.bundle().catch(() => undefined);
    if (item.image) {
      headers['content-security-policy'] = headers['content-security-policy'].replace(
        'img-src ',
        `img-src ${new URL(item.image).origin} `,
      );
    }
    const page = payPage({
      lang,
      t,
      merchant: deps.merchantName,
      item,
      request,
      ...(problem ? { problem } : {}),
      publicUrl: deps.publicUrl,
      ...(bundle
        ? {
            script: {
              url: `${deps.publicUrl}/v/${encodeURIComponent(bundle.version)}/scanforpay-button.js`,
              integrity: bundle.integrity,
            },
          }
        : {}),
      here: new URL(c.req.url),
    });
    if (problem) return c.html(page, 400, { ...headers, 'cache-control': 'no-store' });
    return c.html(page, 200, headers);
  });

  async function qrCode(c: Context<ProxyEnv>, item: CatalogItem, type: 'svg' | 'png') {
    const asked = c.req.query('lang');
    const lang = PAY_LANGS.find((l) => l.toLowerCase() === asked?.toLowerCase());
    if (asked !== undefined && !lang) {
      throw new ProblemError('invalid_request', 'lang: en, zh-HK or zh-CN');
    }
    const { request, problem } = readPayRequest(item, payQuery(c), PAY_MESSAGES.en, 'en');
    if (problem) throw new ProblemError('invalid_request', `${problem.field}: ${problem.message}`);
    const link = payLinkUrl(deps.publicUrl, item.id, request, lang as PayLang | undefined);
    const headers = {
      'content-type': QR_TYPES[type],
      'cache-control': 'public, max-age=86400',
      'cross-origin-resource-policy': 'cross-origin',
      // The link the code stands for (the CLI prints it).
      link: `<${link}>; rel="canonical"`,
    };
    if (type === 'svg') return c.body(payLinkSvg(link, item.title), 200, headers);
    return c.body(new Uint8Array(await payLinkPng(link)).buffer, 200, headers);
  }
}

function payQuery(c: Context<ProxyEnv>): PayQuery {
  const query: PayQuery = {};
  for (const key of ['quantity', 'amount', 'price', 'wallet', 'reference'] as const) {
    const value = c.req.query(key);
    if (value !== undefined) query[key] = value;
  }
  return query;
}

/**
 * The page's policy: scripts only from the proxy (the pinned bundle, checked by its integrity),
 * the one inline style by its hash, requests and images to the proxy, forms to the proxy and
 * on to the gateway; no base, no framing.
 */
function pageCsp(origin: string, styleHash: string, paySources: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${origin}`,
    `style-src '${styleHash}'`,
    `img-src ${origin} data:`,
    `connect-src ${origin}`,
    `form-action ${[origin, ...paySources].join(' ')}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let binary = '';
  for (const byte of new Uint8Array(digest)) binary += String.fromCharCode(byte);
  return `sha256-${btoa(binary)}`;
}
