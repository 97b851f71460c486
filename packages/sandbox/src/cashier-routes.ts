import { Hono, type Context } from 'hono';
import QRCode from 'qrcode';
import { CASHIER_CSS, CASHIER_JS } from './cashier-assets.js';
import { escapeHtml, renderCashierPage, renderReturnPage } from './cashier-page.js';
import { CASHIER_STRINGS, resolveLang, type Lang } from './cashier-strings.js';
import type { Order } from './order-book.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError } from './sandbox-error.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { Sandbox } from './sandbox.js';

/** No inline script or style; forms may go back to any merchant `returnUrl`. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'";

const ACTIONS = ['pay', 'fail', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];

/** The shopper-facing cashier: `GET /cashier/:token` and `POST /cashier/:token/pay|fail|cancel`. */
export function cashierRoutes(sandbox: Sandbox): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.get('/cashier.js', function cashierScript(c) {
    return c.body(CASHIER_JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });

  app.get('/cashier.css', function cashierStyles(c) {
    return c.body(CASHIER_CSS, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'no-cache',
    });
  });

  app.get('/cashier/:token', async function cashierPage(c) {
    const order = findOrder(c);
    const lang = langOf(c);
    const merchantName = merchantOf(order);
    if (order.state !== 'pending') {
      return page(c, renderReturnPage({ order, merchantName, lang, autoSubmit: false }));
    }
    const qrSvg = isPhone(c.req.header('user-agent') ?? '')
      ? undefined
      : (
          await QRCode.toString(order.payUrl, {
            type: 'svg',
            margin: 1,
            errorCorrectionLevel: 'M',
          })
        ).replace(
          '<svg ',
          `<svg role="img" aria-label="${escapeHtml(CASHIER_STRINGS[lang].scanHint)}" `,
        );
    const secondsLeft = (order.expiresAt.getTime() - sandbox.now().getTime()) / 1000;
    return page(c, renderCashierPage({ order, merchantName, lang, qrSvg, secondsLeft }));
  });

  app.post('/cashier/:token/:action', async function cashierAction(c) {
    const order = findOrder(c);
    const action = c.req.param('action') as Action;
    if (!ACTIONS.includes(action))
      throw new SandboxError(RESULT_CODES.invalidField, 'Not found', 404);
    const lang = langOf(c);
    const merchantName = merchantOf(order);
    // A second click on "pay" after paying just shows the way back again.
    if (action === 'pay' && order.state === 'paid') {
      return page(c, renderReturnPage({ order, merchantName, lang, autoSubmit: true }));
    }
    if (order.state !== 'pending') {
      return page(c, renderReturnPage({ order, merchantName, lang, autoSubmit: false }), 409);
    }
    if (action === 'pay') await sandbox.pay(order);
    else sandbox[action](order);
    return page(c, renderReturnPage({ order, merchantName, lang, autoSubmit: true }));
  });

  function findOrder(c: Context<SandboxEnv>): Order {
    const order = sandbox.orders.byToken(c.req.param('token') ?? '');
    if (!order) {
      const lang = langOf(c);
      throw new SandboxError(RESULT_CODES.unknownOrder, CASHIER_STRINGS[lang].notFound, 404);
    }
    return order;
  }

  function merchantOf(order: Order): string {
    return (sandbox.partner(order.partnerNo) ?? sandbox.defaultPartner).merchantName;
  }

  return app;
}

/** Phones and tablets, in-app browsers included (WeChat, Alipay, Instagram… all say Mobile or the OS). */
export function isPhone(userAgent: string): boolean {
  return /Mobi|Android|iPhone|iPad|iPod|MicroMessenger|Alipay(HK)?Client/i.test(userAgent);
}

function langOf(c: Context<SandboxEnv>): Lang {
  return resolveLang(c.req.query('lang'), c.req.header('accept-language'));
}

function page(c: Context<SandboxEnv>, html: string, status: 200 | 409 = 200) {
  return c.html(html, status, {
    'content-security-policy': CSP,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  });
}
