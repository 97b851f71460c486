import { Hono, type Context } from 'hono';
import { parseChaos } from './chaos.js';
import type { Order } from './order-book.js';
import { RESULT_CODES } from './result-codes.js';
import { SandboxError, unknownOrder } from './sandbox-error.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { Sandbox } from './sandbox.js';

/**
 * The control API for tests, under `/__sandbox/`: JSON in and out. Settling an order here has
 * exactly the effects of the cashier's buttons, notification included.
 */
export function controlRoutes(sandbox: Sandbox): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>().basePath('/__sandbox');

  app.get('/orders', function listOrders(c) {
    return c.json({ orders: sandbox.orders.all().map((o) => sandbox.view(o)) });
  });

  app.get('/orders/:partnerOrderNo', function getOrder(c) {
    return c.json({ order: sandbox.view(findOrder(c)) });
  });

  app.post('/orders/:partnerOrderNo/pay', async function payOrder(c) {
    const order = await sandbox.pay(findOrder(c));
    return c.json({ ok: true, order: sandbox.view(order) });
  });

  const settle = (action: 'fail' | 'cancel' | 'expire') =>
    function settleOrder(c: Context<SandboxEnv>) {
      const order = sandbox[action](findOrder(c));
      return c.json({ ok: true, order: sandbox.view(order) });
    };
  app.post('/orders/:partnerOrderNo/fail', settle('fail'));
  app.post('/orders/:partnerOrderNo/cancel', settle('cancel'));
  app.post('/orders/:partnerOrderNo/expire', settle('expire'));

  app.post('/orders/:partnerOrderNo/notify', async function resendNotify(c) {
    const order = findOrder(c);
    await sandbox.resendNotice(order);
    return c.json({ ok: true, order: sandbox.view(order) });
  });

  app.get('/notifications', function listNotifications(c) {
    const partnerOrderNo = c.req.query('partnerOrderNo');
    const notifications = partnerOrderNo
      ? sandbox.notifications.filter((n) => n.partnerOrderNo === partnerOrderNo)
      : sandbox.notifications;
    return c.json({ notifications });
  });

  app.get('/chaos', function getChaos(c) {
    return c.json({ chaos: sandbox.chaos });
  });

  app.post('/chaos', async function setChaos(c) {
    sandbox.chaos = parseChaos(await readJson(c));
    return c.json({ ok: true, chaos: sandbox.chaos });
  });

  app.post('/reset', function reset(c) {
    sandbox.reset();
    return c.json({ ok: true });
  });

  app.get('/partners', function listPartners(c) {
    return c.json({
      partners: sandbox.partners.map(({ partnerNo, storeNo, merchantName, currencies }) => ({
        partnerNo,
        storeNo,
        merchantName,
        currencies,
      })),
    });
  });

  /** By partnerOrderNo (narrowed by `?partnerNo=` when several partners use it), else orderNo. */
  function findOrder(c: Context<SandboxEnv>): Order {
    const id = c.req.param('partnerOrderNo') ?? '';
    const partnerNo = c.req.query('partnerNo');
    let orders = sandbox.orders.withPartnerOrderNo(id);
    if (orders.length === 0) orders = sandbox.orders.all().filter((o) => o.orderNo === id);
    if (partnerNo) orders = orders.filter((o) => o.partnerNo === partnerNo);
    const [order, ...others] = orders;
    if (!order) throw unknownOrder(id);
    if (others.length > 0) {
      throw new SandboxError(
        RESULT_CODES.invalidField,
        `several partners have an order ${id}; add ?partnerNo=`,
        409,
      );
    }
    return order;
  }

  return app;
}

async function readJson(c: Context<SandboxEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new SandboxError(RESULT_CODES.invalidField, 'the body is not valid JSON', 400);
  }
}
