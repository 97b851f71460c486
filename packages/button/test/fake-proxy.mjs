// A fake of the proxy's JSON API (DESIGN.md §4), served by web-test-runner as a Koa middleware.
// Answers are fixed per item or order id. An id may end in `~tag` (`tee-red~k3`): the tag keys
// the request log (`GET /__log/:tag`), so tests never share counts. `held-` ids are answered only
// once the test releases their tag (`POST /__release/:tag`): a test looks at the loading state
// for as long as it needs, instead of racing a fixed delay.
import { URLSearchParams } from 'node:url';
// The offer's styles as the real proxy sends them (built with the workspace: `pnpm build`).
import { OFFER_CSS } from '../../server/dist/domain/offer-styles.js';

const ITEMS = {
  'tee-red': {
    title: 'Red tee',
    currency: 'HKD',
    wallets: ['AlipayHK', 'Alipay', 'Wechat'],
    amount: 19900,
  },
  'tee-one': { title: 'One-wallet tee', currency: 'HKD', wallets: ['AlipayHK'], amount: 5000 },
  donation: {
    title: 'Donation',
    currency: 'HKD',
    wallets: ['AlipayHK', 'Wechat'],
    min: 1000,
    max: 500000,
  },
  'rmb-item': { title: 'Tea', currency: 'RMB', wallets: ['Alipay', 'Wechat'], amount: 12345 },
  'jpy-item': { title: 'Sticker', currency: 'JPY', wallets: ['Alipay'], amount: 500 },
  'no-wallet': { title: 'Nothing', currency: 'HKD', wallets: ['Alipay'], amount: 100 },
  // As a proxy that routes by context answers from inside a social app's browser.
  'offer-social': {
    title: 'Tee',
    currency: 'HKD',
    wallets: ['Alipay', 'Wechat'],
    amount: 19900,
    context: 'social',
    hints: { Alipay: 'Mainland China wallet', AlipayHK: 'HK wallet', Wechat: 'In the WeChat app' },
    notice: 'Open this page in your browser.',
    copy: 'Copy link',
    scan: 'Scan with your phone',
    here: 'Continue here',
    close: 'Close',
  },
};
// Items whose order creation answers something else than 201 with a safe pay URL.
const ORDER_PROBLEMS = {
  'rate-limited': [429, 'rate_limited', { 'Retry-After': '30' }],
  'gateway-down': [502, 'gateway_error'],
  'bad-token': [422, 'invalid_token'],
  'wallet-refused': [422, 'wallet_not_allowed'],
};
const ORDERS = {
  'ord-paid': ['paid'],
  'ord-failed': ['failed'],
  'ord-expired': ['expired'],
  'ord-refunded': ['refunded'],
  'ord-partial': ['partially_refunded'],
  'ord-pending': ['pending'],
  'ord-later': ['pending', 'pending', 'paid'],
};

const log = new Map();
const record = (tag, entry) => {
  if (!log.has(tag)) log.set(tag, []);
  log.get(tag).push(entry);
};

// `net-down-tee-red~t1`: behaviour `net-down`, catalog item `tee-red`, log tag `t1`.
const KINDS = /^(held-order|unsafe-pay|foreign-pay|flaky|net-down|local-pay)-/;
function split(id) {
  const [name, tag = ''] = decodeURIComponent(id).split('~');
  const kind = KINDS.exec(name)?.[1] ?? name;
  return { base: name.replace(KINDS, ''), kind, tag };
}

function json(ctx, status, body, type = 'application/json') {
  ctx.status = status;
  ctx.set('Content-Type', type);
  ctx.body = JSON.stringify(body);
}

// The real proxy's problems carry the merchant's `detail` and the shopper's `message` (in the
// `?lang=` language); here both name the code, so a test sees which one the element shows.
function problem(ctx, status, code, headers = {}, detail = `detail of ${code}`) {
  for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  const message = `message of ${code} (${ctx.query.lang ?? 'no lang'})`;
  json(
    ctx,
    status,
    { type: `https://errors.example/${code}`, title: code, status, detail, code, message },
    'application/problem+json',
  );
}

// The words the real proxy serves with an item (packages/server/src/domain/offer-texts.ts).
const WORDS = {
  en: {
    names: { Alipay: 'Alipay', AlipayHK: 'AlipayHK', Wechat: 'WeChat Pay' },
    pay: (n) => `Pay with ${n}`,
    method: 'Payment method',
    label: 'Amount',
    range: 'Enter an amount from HK$10.00 to HK$5,000.00.',
  },
  'zh-HK': {
    names: { Alipay: '支付寶', AlipayHK: '支付寶香港', Wechat: '微信支付' },
    pay: (n) => `使用${n}付款`,
    method: '付款方式',
    label: '金額',
    range: '請輸入 HK$10.00 至 HK$5,000.00 之間的金額。',
  },
  'zh-CN': {
    names: { Alipay: '支付宝', AlipayHK: '支付宝香港', Wechat: '微信支付' },
    pay: (n) => `使用${n}支付`,
    method: '支付方式',
    label: '金额',
    range: '请输入 HK$10.00 至 HK$5,000.00 之间的金额。',
  },
};
const DIGITS = { HKD: 2, RMB: 2, JPY: 0 };

/** The offer for `?lang=`: the item's words, and the page's `wallets` and `amount` checked. */
function offer(ctx, id, item) {
  const lang = ctx.query.lang;
  if (!lang) return { id, ...item };
  const w = WORDS[lang];
  const asked = (ctx.query.wallets ?? '').split(/[\s,]+/).filter(Boolean);
  const wallets = asked.length ? item.wallets.filter((x) => asked.includes(x)) : item.wallets;
  const warnings = [];
  if (asked.some((x) => !item.wallets.includes(x)))
    warnings.push(`wallets="${ctx.query.wallets}": warning`);
  if (ctx.query.amount && !/^\d+$/.test(ctx.query.amount))
    warnings.push(`amount="${ctx.query.amount}": warning`);
  const pay = Object.fromEntries(Object.entries(w.names).map(([k, n]) => [k, w.pay(n)]));
  const open = item.amount === undefined ? { label: w.label, range: w.range } : {};
  return {
    id,
    ...item,
    wallets,
    digits: DIGITS[item.currency],
    names: w.names,
    pay,
    method: w.method,
    ...open,
    warnings,
    css: OFFER_CSS,
  };
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

// A release may come before the held request does; past the limit a forgotten hold answers anyway.
const HOLD_LIMIT_MS = 10_000;
const gates = new Map();
function gate(tag) {
  if (!gates.has(tag)) {
    let open;
    const opened = new Promise((resolve) => (open = resolve));
    gates.set(tag, { opened, open });
  }
  return gates.get(tag);
}

async function held(tag) {
  let timer;
  const limit = new Promise((resolve) => (timer = setTimeout(resolve, HOLD_LIMIT_MS)));
  await Promise.race([gate(tag).opened, limit]);
  clearTimeout(timer);
}

function dropConnection(ctx) {
  ctx.respond = false;
  ctx.req.socket.destroy();
}

let orderCounter = 0;

export async function fakeProxy(ctx, next) {
  if (/^\/(alt\/\/?)?wallets\/\w+\.svg$/.test(ctx.path)) {
    ctx.set('Content-Type', 'image/svg+xml');
    ctx.body =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24"/></svg>';
    return;
  }
  const match = /^\/(?:alt\/)?(items|orders|checkout|__log|__release)(?:\/([^/?]*))?$/.exec(
    ctx.path,
  );
  if (!match) return next();
  const [, route, id] = match;
  ctx.set('Access-Control-Allow-Origin', '*');
  ctx.set('Access-Control-Allow-Headers', 'Content-Type, Idempotency-Key');
  ctx.set('Access-Control-Allow-Methods', 'GET, POST');
  if (ctx.method === 'OPTIONS') {
    ctx.status = 204;
    return;
  }
  const alt = ctx.path.startsWith('/alt/');

  if (route === '__log') return json(ctx, 200, log.get(id) ?? []);
  if (route === '__release' && ctx.method === 'POST') {
    gate(id).open();
    ctx.status = 204;
    return;
  }

  if (route === 'items' && id === '') return problem(ctx, 404, 'item_not_found', {}, 'no item id');
  if (route === 'items' && id) {
    const { base, kind, tag } = split(id);
    record(tag, {
      method: 'GET',
      path: ctx.path,
      query: ctx.querystring,
      alt,
      host: ctx.host,
      origin: ctx.get('Origin'),
    });
    if (kind === 'net-down') return dropConnection(ctx);
    if (kind === 'broken') {
      ctx.status = 500;
      ctx.body = 'Internal Server Error';
      return;
    }
    if (kind === 'held-item') await held(tag);
    const item =
      ITEMS[base] ?? (ORDER_PROBLEMS[base] || kind === 'held-item' ? ITEMS['tee-red'] : undefined);
    if (!item) return problem(ctx, 404, 'item_not_found');
    const answer = offer(ctx, decodeURIComponent(id), item);
    if (answer.wallets.length === 0) return problem(ctx, 422, 'wallet_not_allowed');
    return json(ctx, 200, answer);
  }

  if (route === 'orders' && !id && ctx.method === 'POST') {
    const text = await readBody(ctx.req);
    const body = JSON.parse(text);
    const { base, kind, tag } = split(body.item);
    const attempt = (log.get(tag) ?? []).filter((e) => e.method === 'POST').length + 1;
    record(tag, {
      method: 'POST',
      path: ctx.path,
      alt,
      host: ctx.host,
      body,
      contentType: ctx.get('Content-Type'),
      idempotencyKey: ctx.get('Idempotency-Key'),
      origin: ctx.get('Origin'),
    });
    if (ORDER_PROBLEMS[base]) return problem(ctx, ...ORDER_PROBLEMS[base]);
    if (kind === 'net-down') return dropConnection(ctx);
    if (kind === 'flaky' && attempt === 1) return problem(ctx, 502, 'gateway_error');
    if (kind === 'held-order') await held(tag);
    const orderId = `ord${String(++orderCounter).padStart(4, '0')}`;
    const payUrl =
      kind === 'unsafe-pay'
        ? 'javascript:alert(1)'
        : kind === 'foreign-pay'
          ? 'http://pay.example/cashier'
          : kind === 'local-pay'
            ? `${ctx.origin}/test/fixtures/cashier.html?order=${orderId}`
            : `https://pay.example/cashier/${orderId}`;
    const item = ITEMS[base] ?? ITEMS['tee-red'];
    return json(ctx, 201, {
      orderId,
      payUrl,
      amount: body.amount ?? item.amount * (body.quantity ?? 1),
      currency: item.currency,
      wallet: body.wallet,
      expiresAt: '2030-01-01T00:10:00Z',
    });
  }

  if (route === 'orders' && id === '' && ctx.method === 'GET') {
    return problem(ctx, 404, 'order_not_found', {}, 'no order id');
  }
  if (route === 'orders' && id && ctx.method === 'GET') {
    const { kind, tag } = split(id);
    const polls = (log.get(tag) ?? []).filter((e) => e.path === ctx.path).length;
    record(tag, { method: 'GET', path: ctx.path, alt });
    if (kind === 'net-down') return dropConnection(ctx);
    if (kind === 'ord-flaky' && polls === 0) return problem(ctx, 503, 'unavailable');
    const states = ORDERS[kind] ?? (kind === 'ord-flaky' ? ['paid'] : undefined);
    if (!states) return problem(ctx, 404, 'order_not_found');
    const status = states[Math.min(polls, states.length - 1)];
    return json(ctx, 200, {
      orderId: decodeURIComponent(id),
      status,
      amount: 19900,
      currency: 'HKD',
      wallet: 'AlipayHK',
      title: 'Red tee',
      ...(status === 'paid' ? { paidAt: '2030-01-01T00:01:00Z' } : {}),
      ...(ctx.query.lang ? orderWords(ctx.query.lang, status, ctx.query.returned) : {}),
    });
  }

  if (route === 'checkout' && ctx.method === 'POST') {
    const form = new URLSearchParams(await readBody(ctx.req));
    const { tag } = split(form.get('item') ?? '');
    record(tag, { method: 'POST', path: ctx.path, form: Object.fromEntries(form) });
    ctx.status = 303;
    ctx.set('Location', `/test/fixtures/cashier.html?order=checkout`);
    return;
  }
  return problem(ctx, 400, 'invalid_request');
}

/** The words the real proxy serves with an order (packages/server/src/orders/status-words.ts). */
function orderWords(lang, status, returned) {
  const left = status === 'pending' && returned === 'unpaid';
  const words = {
    message: left ? `left (${lang})` : `status ${status} (${lang})`,
    total: lang === 'en' ? 'HK$199.00' : `HK$199.00 (${lang})`,
  };
  if (status === 'pending') words.late = `late (${lang})`;
  if (left || ['failed', 'expired'].includes(status)) {
    Object.assign(words, { again: `/pay/tee-red?lang=${lang}`, retry: `retry (${lang})` });
  }
  return words;
}

/**
 * Headers the real proxy is assumed to send: a strict Content-Security-Policy on the fixture
 * pages named `csp-*`, and CORS on the bundle so `<script type="module">` may load it from
 * another origin than the page.
 */
export async function pageHeaders(ctx, next) {
  await next();
  if (ctx.path.startsWith('/test/fixtures/csp')) {
    ctx.set('Content-Security-Policy', "default-src 'self'; script-src 'self'; style-src 'self'");
  }
  if (ctx.path === '/dist/scanforpay-button.js') ctx.set('Access-Control-Allow-Origin', '*');
}
