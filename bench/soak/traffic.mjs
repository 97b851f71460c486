/* global AbortSignal, URLSearchParams */
// The soak's mixed traffic: every actor is a loop bounded in count and in time that stops by
// itself at `deadline`. Answers are tallied per route; an answer outside what the README
// promises for that request (a 500, a dropped connection, a different order for a repeated
// Idempotency-Key, a /return that is not a 303 to RESULT_URL…) is recorded as unexpected.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const ITEMS = [
  {
    id: 'tee-red',
    title: 'Red tee',
    amount: 19900,
    currency: 'HKD',
    wallets: ['AlipayHK', 'Alipay', 'Wechat'],
  },
  { id: 'mug', title: 'Mug', amount: 4500, currency: 'HKD', wallets: ['AlipayHK', 'Wechat'] },
  { id: 'donation', title: 'Donation', currency: 'HKD', min: 1000, max: 500000 },
];

/** Per-route answer counts and the unexpected ones (first 100 kept). */
export class Tally {
  constructor() {
    this.routes = {};
    this.unexpected = [];
    this.unexpectedCount = 0;
    this.sent = 0;
    this.counters = {};
  }
  record(route, status) {
    const r = (this.routes[route] ??= {});
    r[status] = (r[status] ?? 0) + 1;
  }
  count(name, n = 1) {
    this.counters[name] = (this.counters[name] ?? 0) + n;
  }
  bad(route, detail) {
    this.unexpectedCount += 1;
    if (this.unexpected.length < 100) {
      this.unexpected.push({
        at: new Date().toISOString(),
        route,
        detail: String(detail).slice(0, 300),
      });
    }
  }
}

/** A seeded PRNG (mulberry32). */
export function makeRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @param {{
 *   proxyUrl: string, sandboxUrl: string, resultUrl: string, adminToken?: string,
 *   orderTimeoutMs: number, deadline: number, rng: () => number, tally: Tally,
 *   receiverIsAdminManaged?: boolean,
 * }} ctx
 */
export function createTraffic(ctx) {
  const { proxyUrl, sandboxUrl, tally, rng } = ctx;
  const pick = (xs) => xs[Math.floor(rng() * xs.length)];
  const between = (a, b) => a + rng() * (b - a);
  const live = () => Date.now() < ctx.deadline;
  const origin = proxyUrl;
  const started = Date.now();

  /** Orders the soak created and was told about (201). */
  const orders = new Map();
  /** Orders seen paid (poll / refund answers), for refunds and duplicate notifies. */
  const paid = [];
  /** Raw notification bodies the proxy acknowledged, for duplicate re-sends. */
  const notifyBodies = [];
  /** Recent idempotency keys: {key, body, first: {status, orderId}}. */
  const keys = [];
  /** Refunds left pending (202 / 502 / in flight): refundNo → {orderId, amount}. */
  const pendingRefunds = new Map();
  /** Settled refunds, for replays. */
  const settledRefunds = [];

  async function call(route, url, init = {}, expect = (s) => s < 500) {
    tally.sent += 1;
    const { timeoutMs = 20_000, abortOk = false, ...rest } = init;
    try {
      const res = await fetch(url, {
        redirect: 'manual',
        ...rest,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      tally.record(route, res.status);
      if (!expect(res.status, text, res)) tally.bad(route, `${res.status} ${text.slice(0, 200)}`);
      return { status: res.status, text, headers: res.headers };
    } catch (error) {
      const aborted = abortOk && error.name === 'TimeoutError';
      tally.record(route, aborted ? 'aborted' : 'error');
      if (!aborted) tally.bad(route, `${error.name}: ${error.message}`);
      return { status: 0, text: '', error };
    }
  }
  const json = (text) => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const is =
    (...statuses) =>
    (s) =>
      statuses.includes(s);

  // --- client addresses (TRUST_PROXY=1): a pool, fresh ones, and one hot address for 429s ---
  const pool = Array.from({ length: 200 }, (_, i) => `10.1.${i >> 8}.${i & 255}`);
  const clientIp = () =>
    rng() < 0.85
      ? pick(pool)
      : `10.${Math.floor(rng() * 250)}.${Math.floor(rng() * 250)}.${Math.floor(rng() * 250)}`;

  // --- shopper tasks: a due-time queue served by a few workers ---
  const queue = [];
  const MAX_QUEUE = 5000;
  function later(dueAt, name, fn) {
    if (queue.length >= MAX_QUEUE) return tally.count('tasks dropped (queue full)');
    queue.push({ dueAt, name, fn });
    queue.sort((a, b) => a.dueAt - b.dueAt);
  }
  async function shopperWorker() {
    for (let n = 0; n < 1e6 && live(); n++) {
      const next = queue[0];
      if (!next || next.dueAt > Date.now()) {
        await sleep(Math.min(200, next ? next.dueAt - Date.now() : 200));
        continue;
      }
      queue.shift();
      tally.count(`task ${next.name}`);
      await next.fn();
    }
  }

  function orderBody() {
    const item = pick(ITEMS);
    const body = { item: item.id };
    if (item.wallets?.length !== 1 || rng() < 0.5)
      body.wallet = pick(item.wallets ?? ['Alipay', 'AlipayHK', 'Wechat']);
    if (item.amount !== undefined) {
      if (rng() < 0.3) body.quantity = 1 + Math.floor(rng() * 3);
    } else body.amount = Math.round(between(item.min, Math.min(item.max, 50000)));
    if (rng() < 0.3) body.reference = `cart-${Math.floor(rng() * 1e9)}`;
    return body;
  }
  const createdOk = (s) => s === 201 || s === 502 || s === 429;

  function remember(answer) {
    const o = json(answer.text);
    if (answer.status !== 201 || !o?.orderId) return undefined;
    if (orders.has(o.orderId)) return orders.get(o.orderId);
    const order = {
      orderId: o.orderId,
      payUrl: o.payUrl,
      amount: o.amount,
      createdAt: Date.now(),
      expiresAt: Date.parse(o.expiresAt),
      refunded: 0,
    };
    orders.set(o.orderId, order);
    tally.count('orders created (201)');
    planShopper(order);
    return order;
  }

  // --- the shopper's fate: pay soon, pay at the last second, fail/cancel, or walk away ---
  function planShopper(order) {
    const r = rng();
    const now = Date.now();
    if (r < 0.5) {
      later(now + between(300, 5000), 'pay', () => pay(order, rng() < 0.7 ? 'control' : 'cashier'));
    } else if (r < 0.56) {
      // pays 1.5-3.5 s before the order expires, then the result page polls past the expiry
      later(order.expiresAt - between(1500, 3500), 'late pay', () => pay(order, 'control', true));
    } else if (r < 0.64) {
      later(now + between(500, 4000), 'fail/cancel', async () => {
        await call(
          `sandbox ${r < 0.6 ? 'fail' : 'cancel'}`,
          `${sandboxUrl}/__sandbox/orders/${order.orderId}/${r < 0.6 ? 'fail' : 'cancel'}`,
          { method: 'POST' },
          is(200, 409),
        );
        await returnTo(order.orderId);
      });
    } else if (r < 0.75) {
      // walks away; the page polls past the expiry (the proxy expires it on read)
      later(order.expiresAt + between(500, 3000), 'poll abandoned', () => poll(order));
    }
  }

  async function pay(order, how, late = false) {
    let ok = false;
    if (how === 'cashier') {
      const page = await call('sandbox cashier page', order.payUrl, {}, is(200, 404));
      const token = new URL(order.payUrl).pathname.split('/').pop();
      if (page.status === 200) {
        const res = await call(
          'sandbox cashier pay',
          `${sandboxUrl}/cashier/${token}/pay`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: '',
          },
          is(200, 409),
        );
        ok = res.status === 200;
      }
    } else {
      const res = await call(
        'sandbox pay',
        `${sandboxUrl}/__sandbox/orders/${order.orderId}/pay`,
        { method: 'POST' },
        is(200, 409),
      );
      ok = res.status === 200;
    }
    if (ok) tally.count(late ? 'shopper paid (last second)' : 'shopper paid');
    else if (late) tally.count('late payer too late');
    if (late) {
      later(order.expiresAt + between(500, 2500), 'poll past expiry', () => poll(order));
      later(order.expiresAt + between(4000, 8000), 'poll past expiry', () => poll(order));
      return;
    }
    if (rng() < 0.8) later(Date.now() + between(100, 600), 'return', () => returnTo(order.orderId));
    for (let i = 1; i <= 3; i++) later(Date.now() + i * 1000, 'poll', () => poll(order));
  }

  async function returnTo(orderId, how = pick(['get', 'form', 'json'])) {
    const toResult = (s, _t, res) =>
      s === 303 && (res.headers.get('location') ?? '').startsWith(ctx.resultUrl);
    if (how === 'get')
      return call(
        'GET /return',
        `${proxyUrl}/return?partnerOrderNo=${encodeURIComponent(orderId)}`,
        {},
        toResult,
      );
    if (how === 'form')
      return call(
        'POST /return',
        `${proxyUrl}/return`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `partnerOrderNo=${encodeURIComponent(orderId)}`,
        },
        toResult,
      );
    return call(
      'POST /return',
      `${proxyUrl}/return`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ partnerOrderNo: orderId }),
      },
      toResult,
    );
  }

  async function poll(order) {
    const res = await call(
      'GET /orders/:id',
      `${proxyUrl}/orders/${order.orderId}`,
      { headers: { origin } },
      is(200),
    );
    const o = json(res.text);
    if (o && (o.status === 'paid' || o.status === 'partially_refunded') && !order.seenPaid) {
      order.seenPaid = true;
      paid.push(order);
      if (paid.length > 2000) paid.splice(0, 500);
    }
    if (o) order.lastStatus = o.status;
  }

  // --- actors ---

  async function creator() {
    for (let n = 0; n < 200_000 && live(); n++) {
      const r = rng();
      const ip = clientIp();
      const headers = { 'content-type': 'application/json', 'x-forwarded-for': ip };
      if (rng() < 0.7) headers.origin = origin;
      if (r < 0.62) {
        remember(
          await call(
            'POST /orders',
            `${proxyUrl}/orders`,
            { method: 'POST', headers, body: JSON.stringify(orderBody()) },
            createdOk,
          ),
        );
      } else if (r < 0.74) {
        const key = `soak-${Math.floor(rng() * 1e12).toString(36)}-${n}`;
        const body = JSON.stringify(orderBody());
        const entry = { key, body, first: undefined };
        if (rng() < 0.25) {
          // the same key twice at once: both answers must name one order
          const [a, b] = await Promise.all(
            [0, 1].map(() =>
              call(
                'POST /orders (idem, concurrent)',
                `${proxyUrl}/orders`,
                { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body },
                (s, t) => createdOk(s) || (s === 409 && t.includes('still in progress')),
              ),
            ),
          );
          const oa = json(a.text)?.orderId;
          const ob = json(b.text)?.orderId;
          if (oa && ob && oa !== ob)
            tally.bad('POST /orders (idem, concurrent)', `one key, two orders ${oa} ${ob}`);
          remember(a);
          remember(b);
          entry.first = { status: a.status, orderId: oa };
        } else {
          const a = await call(
            'POST /orders (idem)',
            `${proxyUrl}/orders`,
            { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body },
            createdOk,
          );
          remember(a);
          entry.first = { status: a.status, orderId: json(a.text)?.orderId };
        }
        keys.push(entry);
        if (keys.length > 200) keys.shift();
      } else if (r < 0.82 && keys.length > 0) {
        const entry = pick(keys);
        if (rng() < 0.8) {
          const res = await call(
            'POST /orders (idem replay)',
            `${proxyUrl}/orders`,
            {
              method: 'POST',
              headers: { ...headers, 'idempotency-key': entry.key },
              body: entry.body,
            },
            (s, t) => createdOk(s) || (s === 409 && t.includes('still in progress')),
          );
          const id = json(res.text)?.orderId;
          if (entry.first?.status === 201 && res.status === 201 && id !== entry.first.orderId) {
            tally.bad(
              'POST /orders (idem replay)',
              `replay answered ${id}, first was ${entry.first.orderId}`,
            );
          }
        } else {
          const other = JSON.stringify({ ...JSON.parse(entry.body), reference: `other-${n}` });
          await call(
            'POST /orders (idem conflict)',
            `${proxyUrl}/orders`,
            { method: 'POST', headers: { ...headers, 'idempotency-key': entry.key }, body: other },
            is(409, 429),
          );
        }
      } else if (r < 0.88) {
        const bad = pick([
          ['{"item":"tee-red","wallet":"AlipayHK","amount":1}', is(400, 429)],
          ['{"item":"no-such-item","wallet":"AlipayHK"}', is(404, 429)],
          ['{"item":"donation","wallet":"Alipay","amount":1}', is(422, 429)],
          ['{"item":"mug","wallet":"Alipay"}', is(422, 429)],
          ['{"item":', is(400, 429)],
          ['{"item":"tee-red","quantity":500}', is(400, 429)],
        ]);
        await call(
          'POST /orders (invalid)',
          `${proxyUrl}/orders`,
          { method: 'POST', headers, body: bad[0] },
          bad[1],
        );
      } else if (r < 0.9) {
        await call(
          'POST /orders (foreign origin)',
          `${proxyUrl}/orders`,
          {
            method: 'POST',
            headers: { ...headers, origin: 'https://evil.example' },
            body: JSON.stringify(orderBody()),
          },
          is(403, 429),
        );
      } else if (r < 0.96) {
        const b = orderBody();
        const form = new URLSearchParams(Object.entries(b).map(([k, v]) => [k, String(v)]));
        if (!form.has('wallet')) form.set('wallet', 'Wechat');
        await call(
          'POST /checkout',
          `${proxyUrl}/checkout`,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'x-forwarded-for': ip,
              origin,
            },
            body: form.toString(),
          },
          is(303, 502, 422, 429),
        );
      } else {
        // a burst from one hot address: the rate limit answers 429 past RATE_LIMIT
        const hot = `10.255.${Math.floor(rng() * 4)}.1`;
        for (let i = 0; i < 12 && live(); i++) {
          await call(
            'POST /orders (hot client)',
            `${proxyUrl}/orders`,
            {
              method: 'POST',
              headers: { ...headers, 'x-forwarded-for': hot },
              body: '{"item":"tee-red","wallet":"Alipay","amount":5}',
            },
            is(400, 429),
          );
        }
      }
      await sleep(between(150, 450));
    }
  }

  async function reader() {
    const unknownId = () =>
      `01ZZ${Math.floor(rng() * 1e15)
        .toString(36)
        .padEnd(26, '0')}`.slice(0, 30);
    let etag;
    for (let n = 0; n < 500_000 && live(); n++) {
      const r = rng();
      if (r < 0.3) {
        const item = pick(ITEMS).id;
        await call('GET /items/:id', `${proxyUrl}/items/${item}`, { headers: { origin } }, is(200));
      } else if (r < 0.35) {
        await call('GET /items/:id (unknown)', `${proxyUrl}/items/nope-${n % 7}`, {}, is(404));
      } else if (r < 0.6 && orders.size > 0) {
        const ids = [...orders.keys()];
        await poll(orders.get(ids[ids.length - 1 - Math.floor(rng() * Math.min(ids.length, 300))]));
      } else if (r < 0.65) {
        await call(
          'GET /orders/:id (unknown)',
          `${proxyUrl}/orders/${rng() < 0.5 ? unknownId() : 'bad%20id!'}`,
          {},
          is(404),
        );
      } else if (r < 0.72) {
        const ids = [...orders.keys()];
        const id =
          rng() < 0.5 && ids.length > 0
            ? ids[ids.length - 1 - Math.floor(rng() * Math.min(ids.length, 50))]
            : rng() < 0.5
              ? unknownId()
              : 'x'.repeat(40);
        await returnTo(id);
      } else if (r < 0.8) {
        const res = await call(
          'GET /scanforpay-button.js',
          `${proxyUrl}/scanforpay-button.js`,
          etag && rng() < 0.5 ? { headers: { 'if-none-match': etag } } : {},
          is(200, 304, 404),
        );
        etag = res.headers?.get('etag') ?? etag;
      } else if (r < 0.85) {
        await call('GET /healthz', `${proxyUrl}/healthz`, {}, is(200));
      } else {
        await call(
          'OPTIONS /orders',
          `${proxyUrl}/orders`,
          {
            method: 'OPTIONS',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'content-type,idempotency-key',
            },
          },
          is(204, 200),
        );
      }
      await sleep(between(60, 220));
    }
  }

  async function notifier() {
    for (let n = 0; n < 100_000 && live(); n++) {
      const r = rng();
      if (notifyBodies.length < 30 && paid.length > 0 && n % 4 === 0) {
        const order = pick(paid);
        const res = await call(
          'sandbox notifications',
          `${sandboxUrl}/__sandbox/notifications?partnerOrderNo=${order.orderId}`,
          {},
          is(200),
        );
        for (const rec of json(res.text)?.notifications ?? []) {
          if (rec.acknowledged) {
            notifyBodies.push(rec.body);
            break;
          }
        }
        if (notifyBodies.length > 60) notifyBodies.shift();
      }
      const real = notifyBodies.length > 0 ? pick(notifyBodies) : undefined;
      const send = (route, body, expect, contentType = 'application/json') => {
        const forged = route.startsWith('POST /notify (forged');
        tally.count(forged ? 'forged notifies sent' : 'duplicate notifies sent');
        // forged ones come from attackers' addresses; duplicates replay the gateway (no header)
        const headers = {
          'content-type': contentType,
          ...(forged ? { 'x-forwarded-for': attackerIp() } : {}),
        };
        return call(
          route,
          `${proxyUrl}/notify`,
          { method: 'POST', headers, body },
          forged ? (s, t, res) => expect(s, t, res) || s === 429 : expect,
        );
      };
      if (r < 0.35 && real) {
        await send('POST /notify (duplicate)', real, (s, t) => s === 200 && t === 'success');
      } else if (r < 0.4 && paid.length > 0) {
        await call(
          'sandbox resend notify',
          `${sandboxUrl}/__sandbox/orders/${pick(paid).orderId}/notify`,
          { method: 'POST' },
          is(200, 409),
        );
      } else if (r < 0.65) {
        const body = real
          ? real.replace(
              /"signature":"([0-9a-f])/,
              (_m, c) => `"signature":"${c === 'a' ? 'b' : 'a'}`,
            )
          : `{"response":{"header":{"partnerNo":"100000000000001"},"body":{"code":1,"partnerOrderNo":"x"}},"signature":"${'0'.repeat(64)}"}`;
        await send('POST /notify (forged: signature)', body, is(400));
      } else if (r < 0.75) {
        const body = (real ?? '{}').replace('100000000000001', '100000000000009');
        await send('POST /notify (forged: partner)', body, is(400));
      } else if (r < 0.85) {
        await send(
          'POST /notify (forged: garbage)',
          `not json ${Math.floor(rng() * 1e9)} ${'x'.repeat(Math.floor(rng() * 2000))}`,
          is(400, 415),
          rng() < 0.5 ? 'application/json' : 'text/plain',
        );
      } else if (r < 0.95) {
        const pad = 'A'.repeat(12_000 + Math.floor(rng() * 16_000));
        await send(
          'POST /notify (forged: large)',
          `{"response":{"header":{"partnerNo":"100000000000001"},"body":{"pad":"${pad}"}},"signature":"${'f'.repeat(64)}"}`,
          is(400, 413),
        );
      } else {
        await send('POST /notify (forged: empty)', '', is(400, 415));
      }
      await sleep(between(250, 650));
    }
  }

  const attackerIp = () => `198.51.100.${Math.floor(rng() * 60)}`;

  /**
   * Floods of forged notifications from 60 attacker addresses, `forgedFlood` in all, spread over
   * the first quarter of the run: enough for any cap on stored refusals to be reached before the
   * second half, where the verdict expects the rejected rows to stay flat.
   */
  async function forgedFlood() {
    const total = ctx.forgedFlood ?? 1500;
    const bursts = 4;
    const per = Math.ceil(total / bursts);
    const span = 0.25 * (ctx.deadline - started);
    for (let b = 0; b < bursts && live(); b++) {
      const at = started + (b * span) / bursts;
      if (at > Date.now()) await sleep(at - Date.now());
      let left = per;
      const worker = async () => {
        for (; left > 0 && live(); left--) {
          tally.count('forged notifies sent');
          const body = `{"response":{"header":{"partnerNo":"100000000000001"},"body":{"code":1,"n":${left}}},"signature":"${Math.floor(
            rng() * 1e16,
          )
            .toString(16)
            .padStart(64, '0')}"}`;
          await call(
            'POST /notify (forged flood)',
            `${proxyUrl}/notify`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': attackerIp() },
              body,
            },
            is(400, 429),
          );
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
    }
  }

  async function admin() {
    if (!ctx.adminToken) return;
    const auth = { authorization: `Bearer ${ctx.adminToken}`, 'content-type': 'application/json' };
    let n = 0;
    const refund = async (order, refundNo, amount) => {
      const body = {};
      if (amount !== undefined) body.amount = amount;
      body.refundNo = refundNo;
      if (rng() < 0.3) body.reason = 'soak';
      const res = await call(
        'POST /admin/orders/:id/refunds',
        `${proxyUrl}/admin/orders/${order.orderId}/refunds`,
        { method: 'POST', headers: auth, body: JSON.stringify(body) },
        is(200, 201, 202, 409, 422, 502),
      );
      const o = json(res.text);
      if (res.status === 200 || res.status === 201) {
        pendingRefunds.delete(refundNo);
        const amt = Number(o?.refund?.amount ?? amount ?? 0);
        settledRefunds.push({ order, refundNo, amount: amt });
        if (settledRefunds.length > 300) settledRefunds.shift();
        order.refunded = Number(o?.order?.refundedAmount ?? order.refunded);
        tally.count('refunds settled');
      } else if (res.status === 202 || (res.status === 502 && o?.refund?.status === 'pending')) {
        pendingRefunds.set(refundNo, { order, amount: Number(o?.refund?.amount ?? amount) });
        tally.count('refunds left pending');
      }
      return res;
    };
    for (; n < 100_000 && live(); n++) {
      const r = rng();
      if (r < 0.45 && paid.length > 0) {
        const order = pick(paid);
        const left = order.amount - order.refunded;
        const amount = left > 1 && rng() < 0.6 ? 1 + Math.floor(rng() * (left - 1)) : undefined;
        await refund(order, `soak${n.toString(36)}${Math.floor(rng() * 1e9).toString(36)}`, amount);
      } else if (r < 0.6 && pendingRefunds.size > 0) {
        const [refundNo, p] = pick([...pendingRefunds.entries()]);
        await refund(p.order, refundNo, p.amount);
      } else if (r < 0.68 && settledRefunds.length > 0) {
        const s = pick(settledRefunds);
        await refund(s.order, s.refundNo, s.amount);
      } else if (r < 0.8) {
        const res = await call(
          'GET /admin/orders',
          `${proxyUrl}/admin/orders?limit=${1 + Math.floor(rng() * 200)}${rng() < 0.3 ? '&status=paid' : ''}`,
          { headers: auth },
          is(200),
        );
        const page = json(res.text);
        if (page?.next && rng() < 0.5)
          await call(
            'GET /admin/orders',
            `${proxyUrl}/admin/orders?limit=50&before=${page.next}`,
            { headers: auth },
            is(200),
          );
      } else if (r < 0.87 && orders.size > 0) {
        const ids = [...orders.keys()];
        await call(
          'GET /admin/orders/:id',
          `${proxyUrl}/admin/orders/${ids[Math.floor(rng() * ids.length)]}`,
          { headers: auth },
          is(200),
        );
      } else if (r < 0.92) {
        await call(
          'GET /admin/orders (bad token)',
          `${proxyUrl}/admin/orders`,
          { headers: { authorization: `Bearer ${'x'.repeat(40)}` } },
          is(401),
        );
      } else {
        await ensureWebhookEnabled();
      }
      await sleep(between(400, 1200));
    }
  }

  async function ensureWebhookEnabled() {
    if (!ctx.adminToken) return;
    const auth = { authorization: `Bearer ${ctx.adminToken}` };
    const res = await call(
      'GET /admin/webhook',
      `${proxyUrl}/admin/webhook`,
      { headers: auth },
      is(200),
    );
    if (json(res.text)?.disabledAt) {
      tally.count('webhook re-enabled');
      await call(
        'POST /admin/webhook/enable',
        `${proxyUrl}/admin/webhook/enable`,
        { method: 'POST', headers: auth },
        is(200),
      );
    }
  }

  // --- slow and aborted clients: raw sockets that stall, half bodies, aborts in flight ---
  const port = Number(new URL(proxyUrl).port);
  let openSlow = 0;
  function rawSocket(script, holdMs) {
    return new Promise((resolve) => {
      openSlow += 1;
      const socket = net.connect(port, '127.0.0.1');
      let received = 0;
      let finished = false;
      const done = (how) => {
        if (finished) return;
        finished = true;
        clearTimeout(hard);
        socket.destroy();
        openSlow -= 1;
        tally.count(`slow client ${how}`);
        resolve(received);
      };
      const hard = setTimeout(() => done('held then dropped'), holdMs);
      socket.on('error', () => done('reset by proxy'));
      socket.on('close', () => done('closed by proxy'));
      socket.on('end', () => done('closed by proxy'));
      socket.on('data', (c) => {
        received += c.length;
        if (script.pauseOnData) socket.pause();
      });
      socket.on('connect', async () => {
        for (const part of script.parts) {
          if (socket.destroyed) return;
          socket.write(part);
          await sleep(script.gapMs ?? 0);
        }
      });
    });
  }
  async function slowClients() {
    const pending = new Set();
    for (let n = 0; n < 50_000 && live(); n++) {
      if (openSlow < 6) {
        const r = rng();
        let p;
        if (r < 0.25) {
          p = rawSocket(
            {
              parts: [
                'GET /items/tee-red HTTP/1.1\r\n',
                'Host: 127.0.0.1\r\n',
                'X-Slow: 1\r\n',
                'X-Slow: 2\r\n',
                'X-Slow: 3\r\n',
              ],
              gapMs: 1000,
            },
            between(2000, 8000),
          );
        } else if (r < 0.45) {
          p = rawSocket(
            {
              parts: [
                'POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{"item":"tee-',
              ],
            },
            between(2000, 6000),
          );
        } else if (r < 0.55) {
          p = rawSocket(
            {
              parts: ['GET /scanforpay-button.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'],
              pauseOnData: true,
            },
            between(2000, 5000),
          );
        } else if (r < 0.8) {
          // a buyer who closes the tab while the proxy is at the gateway
          p = call(
            'POST /orders (aborted)',
            `${proxyUrl}/orders`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': clientIp() },
              body: JSON.stringify(orderBody()),
              timeoutMs: Math.floor(between(2, 40)),
              abortOk: true,
            },
            (s) => s < 500 || s === 502,
          ).then((res) => {
            if (res.status === 201) remember(res);
          });
        } else if (notifyBodies.length > 0) {
          p = call(
            'POST /notify (aborted)',
            `${proxyUrl}/notify`,
            {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: pick(notifyBodies),
              timeoutMs: Math.floor(between(1, 10)),
              abortOk: true,
            },
            (s) => s === 200,
          );
        }
        if (p) {
          const tracked = p.then(() => undefined);
          pending.add(tracked);
          tracked.finally(() => pending.delete(tracked));
        }
      }
      await sleep(between(500, 1500));
    }
    await Promise.all(pending);
  }

  return {
    orders,
    paid,
    pendingRefunds,
    queue,
    openSlow: () => openSlow,
    ensureWebhookEnabled,
    /** Runs every actor until the deadline; resolves when all have stopped. */
    run() {
      return Promise.all([
        creator(),
        creator(),
        shopperWorker(),
        shopperWorker(),
        shopperWorker(),
        reader(),
        notifier(),
        forgedFlood(),
        admin(),
        slowClients(),
      ]);
    },
  };
}
