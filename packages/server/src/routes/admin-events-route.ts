import type { HashFn } from '@scanforpay/protocol';
import { Hono, type Context } from 'hono';
import { EVENT_ID_SHAPE } from '../domain/merchant-event.js';
import { WebhookTestRequestSchema } from '../contract/admin-shapes.js';
import { readJsonBody } from '../contract/requests.js';
import type { SampleEventType, TestEventDelivery } from '../domain/sample-event.js';
import type { Logger } from '../logging/create-logger.js';
import { adminAuth } from '../middleware/admin-auth.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { ProblemError } from '../problem.js';
import type { OrderStore, OutboxRecord } from '../store/order-store.js';

/** `POST /admin/webhook/test`: how the signed sample event went. */
export type AdminWebhookTest = TestEventDelivery;

/** `GET /admin/events/:eventId` and `POST /admin/events/:eventId/resend`. */
export interface AdminEventAnswer {
  event: Omit<OutboxRecord, 'payload'> & { payload: unknown };
  /** Where it goes: the merchant webhook, or null when only `onEvent` (or nothing) is configured. */
  url: string | null;
}

export interface AdminEventsRouteDeps {
  store: Pick<OrderStore, 'getEvent' | 'resendEvent'>;
  adminToken: string | undefined;
  hash: HashFn;
  clock: () => number;
  logger: Logger;
  webhookUrl: string | undefined;
  /** Signs and sends a sample event to the merchant webhook now (undefined: none configured). */
  sendTestEvent: ((type: SampleEventType) => Promise<AdminWebhookTest>) | undefined;
  /** The outbox changed: deliver soon. */
  changed: (c: Context) => void;
}

/**
 * The webhook developer loop behind the admin token: a signed sample event sent now
 * (`POST /admin/webhook/test`), one stored event (`GET /admin/events/:eventId`), and sending a
 * stored event again (`POST /admin/events/:eventId/resend`).
 */
export function adminEventsRoute(deps: AdminEventsRouteDeps): Hono<ProxyEnv> {
  const app = new Hono<ProxyEnv>();
  const { store } = deps;
  app.use('/admin/*', adminAuth({ token: deps.adminToken, hash: deps.hash }));

  app.post('/admin/webhook/test', async function testWebhook(c) {
    const body = readJsonBody(
      WebhookTestRequestSchema,
      await c.req.text(),
      c.req.header('content-type'),
      'test',
    );
    const type = body?.type ?? 'order.paid';
    if (!deps.sendTestEvent) {
      throw new ProblemError(
        'webhook_not_configured',
        'no merchant webhook is configured (MERCHANT_WEBHOOK_URL)',
      );
    }
    return c.json(await deps.sendTestEvent(type), 200, { 'cache-control': 'no-store' });
  });

  app.get('/admin/events/:eventId', async function showEvent(c) {
    const event = await findEvent(c.req.param('eventId'));
    return c.json(answer(event), 200, { 'cache-control': 'no-store' });
  });

  app.post('/admin/events/:eventId/resend', async function resendEvent(c) {
    const eventId = c.req.param('eventId');
    const resent = EVENT_ID_SHAPE.test(eventId) && (await store.resendEvent(eventId, deps.clock()));
    const event = await findEvent(eventId);
    if (!resent) {
      throw new ProblemError(
        'event_in_flight',
        `event ${eventId} is being delivered right now; try again in a few seconds`,
      );
    }
    deps.logger.info('webhook event resent', { eventId, by: 'admin' });
    deps.changed(c);
    return c.json(answer(event), 202, { 'cache-control': 'no-store' });
  });

  async function findEvent(eventId: string): Promise<OutboxRecord> {
    const event = EVENT_ID_SHAPE.test(eventId) ? await store.getEvent(eventId) : undefined;
    if (!event)
      throw new ProblemError('event_not_found', `there is no event ${eventId.slice(0, 64)}`);
    return event;
  }

  function answer(event: OutboxRecord): AdminEventAnswer {
    let payload: unknown = event.payload;
    try {
      payload = JSON.parse(event.payload);
    } catch {
      // Shown as stored.
    }
    return { event: { ...event, payload }, url: deps.webhookUrl ?? null };
  }

  return app;
}
