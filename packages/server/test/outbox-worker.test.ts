import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewOrder, OrderStore } from '@scanforpay/server/store';
import { createSqliteStore } from '@scanforpay/server/node';
import { verifyMerchantWebhook, type MerchantEvent } from '@scanforpay/server/webhook';
import { orderEvent } from '../src/domain/merchant-event.js';
import {
  createOutboxWorker,
  DISABLED_ENDPOINT_RECHECK_MS,
  outboxLeaseMs,
  type OutboxLogger,
  type OutboxWorkerOptions,
} from '../src/events/outbox-worker.js';

const SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const HOUR = 3_600_000;
const TITLE = 'Outbox test tee';

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-outbox-'));
let dbCount = 0;
let dbPath = '';
let now = T0;
const clock = () => now;
let stores: OrderStore[] = [];
let store: OrderStore;
let receiver: Receiver;
let lines: string[] = [];

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  /** Statuses for the next requests, in order; 200 once they run out. */
  replies: number[];
  /** Milliseconds before each answer. */
  delayMs: number;
  close(): Promise<void>;
}

/** A real merchant endpoint on 127.0.0.1. */
async function startReceiver(): Promise<Receiver> {
  const state = { received: [] as Received[], replies: [] as number[], delayMs: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      state.received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const status = state.replies.shift() ?? 200;
      setTimeout(() => response.writeHead(status).end(), state.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/hooks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

function openStore(path = dbPath): OrderStore {
  const opened = createSqliteStore({ path });
  stores.push(opened);
  return opened;
}

const logger: OutboxLogger = {
  info: (msg, fields) => lines.push(JSON.stringify({ level: 'info', msg, ...fields })),
  warn: (msg, fields) => lines.push(JSON.stringify({ level: 'warn', msg, ...fields })),
  error: (msg, fields) => lines.push(JSON.stringify({ level: 'error', msg, ...fields })),
};

function worker(options: Partial<OutboxWorkerOptions> = {}) {
  return createOutboxWorker({
    store,
    webhook: { url: receiver.url, secret: SECRET, timeoutMs: 2_000 },
    clock,
    random: () => 0,
    logger,
    ...options,
  });
}

let orderCount = 0;

/** An order that has just been paid, its `order.paid` event in the outbox. Returns the event id. */
async function paidOrder(on: OrderStore = store): Promise<string> {
  orderCount += 1;
  const order: NewOrder = {
    orderId: `ORDER${String(orderCount).padStart(6, '0')}`,
    itemId: 'tee-red',
    title: TITLE,
    amount: 19900,
    currency: 'HKD',
    wallet: 'AlipayHK',
    quantity: 1,
    reference: null,
    createdAt: now,
    expiresAt: now + 1_800_000,
    status: 'pending',
    payUrl: 'https://pay.example/cashier/1',
    gatewayOrderNo: null,
    failureCode: null,
    failureMessage: null,
  };
  expect(await on.insertOrder({ order })).toEqual({ ok: true });
  const stored = await on.getOrder(order.orderId);
  if (!stored) throw new Error('order not stored');
  const event = orderEvent({ ...stored, status: 'paid', paidAt: now }, now);
  const result = await on.transition(order.orderId, { to: 'paid', at: now, paidAt: now, event });
  expect(result.applied).toBe(true);
  return event.eventId;
}

async function eventRow(eventId: string) {
  const row = (await store.listEvents()).find((event) => event.eventId === eventId);
  if (!row) throw new Error(`no event ${eventId}`);
  return row;
}

const nothing = { claimed: 0, delivered: 0, retried: 0, givenUp: 0, released: 0 };

beforeEach(async () => {
  now = T0;
  lines = [];
  dbCount += 1;
  dbPath = join(dir, `outbox-${dbCount}.db`);
  store = openStore();
  receiver = await startReceiver();
});

afterEach(async () => {
  // Whatever a test did, the secret and the payload stayed out of the log.
  for (const line of lines) {
    expect(line).not.toContain(SECRET.slice(6));
    expect(line).not.toContain(TITLE);
  }
  await receiver.close();
  await Promise.all(stores.map((opened) => opened.close()));
  stores = [];
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('createOutboxWorker', () => {
  describe('with a webhook', () => {
    it('delivers a new event once, signed, with webhook-id = the event id', async () => {
      const eventId = await paidOrder();
      const outbox = worker();

      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(receiver.received).toHaveLength(1);
      const [request] = receiver.received;
      if (!request) throw new Error('nothing received');
      expect(request.headers['webhook-id']).toBe(eventId);
      const row = await eventRow(eventId);
      expect(request.body).toBe(row.payload);
      const event = verifyMerchantWebhook(request.body, request.headers, SECRET, { now: clock });
      expect(event).toMatchObject({ id: eventId, type: 'order.paid', data: { status: 'paid' } });
      expect(row).toMatchObject({ attempts: 1, deliveredAt: T0, givenUpAt: null, lastError: null });

      now += 365 * 24 * HOUR;
      expect(await outbox.runOnce()).toEqual(nothing);
      expect(receiver.received).toHaveLength(1);
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
        {
          level: 'info',
          msg: 'merchant event delivered',
          eventId,
          type: 'order.paid',
          outcome: 'delivered',
          status: 200,
          attempts: 1,
        },
      ]);
    });

    it('claims with a lease of twice the timeout plus 5 s', async () => {
      await paidOrder();
      const claims: unknown[] = [];
      store = new Proxy(store, {
        get(target, key, receiverObject) {
          if (key === 'claimEvents') {
            return (query: Parameters<OrderStore['claimEvents']>[0]) => {
              claims.push(query);
              return target.claimEvents(query);
            };
          }
          return Reflect.get(target, key, receiverObject) as unknown;
        },
      });
      await worker().runOnce();
      await worker({ webhook: { url: receiver.url, secret: SECRET }, batchSize: 3 }).runOnce();
      expect(claims).toEqual([
        { now: T0, limit: 20, leaseMs: 9_000 },
        { now: T0, limit: 3, leaseMs: 25_000 },
      ]);
      expect(outboxLeaseMs(10_000)).toBe(25_000);
    });

    it('retries a failed delivery after the backoff, not before, counting attempts', async () => {
      const eventId = await paidOrder();
      const outbox = worker();
      receiver.replies.push(503, 500);

      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, retried: 1 });
      // random() = 0: the first retry waits 5 s × 0.5, the second 10 s × 0.5.
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 1,
        nextAttemptAt: T0 + 2_500,
        deliveredAt: null,
        lastError: 'HTTP 503',
      });

      now = T0 + 2_499;
      expect(await outbox.runOnce()).toEqual(nothing);
      expect(receiver.received).toHaveLength(1);

      now = T0 + 2_500;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, retried: 1 });
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 2,
        nextAttemptAt: T0 + 7_500,
        lastError: 'HTTP 500',
      });

      now = T0 + 7_500;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(await eventRow(eventId)).toMatchObject({ attempts: 3, deliveredAt: T0 + 7_500 });
      expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([
        eventId,
        eventId,
        eventId,
      ]);
      expect(JSON.parse(lines[1] ?? '')).toMatchObject({
        level: 'warn',
        eventId,
        outcome: 'retry',
        status: 500,
        attempts: 2,
        error: 'HTTP 500',
      });
    });

    it('retries when the merchant cannot be reached', async () => {
      const eventId = await paidOrder();
      await receiver.close();
      expect(await worker().runOnce()).toEqual({ ...nothing, claimed: 1, retried: 1 });
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 1,
        lastError: 'network error (ECONNREFUSED)',
      });
    });

    it('on 410 Gone disables the endpoint and keeps the event until it is re-enabled', async () => {
      const eventId = await paidOrder();
      const outbox = worker();
      receiver.replies.push(410);

      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, released: 1 });
      expect(await store.getEndpoint(receiver.url)).toEqual({
        url: receiver.url,
        disabledAt: T0,
        reason: '410 Gone',
      });
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 0,
        nextAttemptAt: T0 + DISABLED_ENDPOINT_RECHECK_MS,
        deliveredAt: null,
        givenUpAt: null,
      });

      // Still disabled: claimed and put back without a request.
      now = T0 + 60_000;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, released: 1 });
      expect(receiver.received).toHaveLength(1);

      // Days later the merchant fixes the endpoint: the event is not lost.
      await store.setEndpoint(receiver.url, null);
      now = T0 + 100 * HOUR;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(receiver.received).toHaveLength(2);
      expect(await eventRow(eventId)).toMatchObject({ attempts: 1, deliveredAt: now });
    });

    it('sends nothing more in the batch once the endpoint answered 410', async () => {
      const first = await paidOrder();
      now += 1;
      const second = await paidOrder();
      receiver.replies.push(410);

      expect(await worker({ concurrency: 1 }).runOnce()).toEqual({
        ...nothing,
        claimed: 2,
        released: 2,
      });
      expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([first]);
      expect((await eventRow(second)).attempts).toBe(0);
    });

    it('gives an event up when a delivery fails 72 hours after it was created', async () => {
      const eventId = await paidOrder();
      const outbox = worker();
      receiver.replies.push(500, 500, 500);

      expect(await outbox.runOnce()).toMatchObject({ retried: 1 });
      now = T0 + 72 * HOUR - 1;
      expect(await outbox.runOnce()).toMatchObject({ retried: 1 });
      expect((await eventRow(eventId)).nextAttemptAt).toBe(now + 5_000);

      now += 5_000;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, givenUp: 1 });
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 3,
        givenUpAt: now,
        deliveredAt: null,
        lastError: 'HTTP 500',
      });
      expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({
        level: 'error',
        outcome: 'given_up',
        attempts: 3,
      });

      now += 365 * 24 * HOUR;
      expect(await outbox.runOnce()).toEqual(nothing);
      expect(receiver.received).toHaveLength(3);
    });

    it('never delivers an event twice when two workers share the database', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 24; i += 1) ids.add(await paidOrder());
      receiver.delayMs = 5;
      const sibling = openStore();
      const a = worker({ batchSize: 5, concurrency: 3 });
      const b = worker({ store: sibling, batchSize: 5, concurrency: 3 });

      let delivered = 0;
      for (let round = 0; round < 10 && delivered < ids.size; round += 1) {
        const results = await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
        for (const result of results) {
          expect(result.retried + result.givenUp + result.released).toBe(0);
          delivered += result.delivered;
        }
      }
      const sent = receiver.received.map((request) => String(request.headers['webhook-id']));
      expect(sent).toHaveLength(ids.size);
      expect(new Set(sent)).toEqual(ids);
      expect(delivered).toBe(ids.size);
    });
  });

  describe('with an onEvent hook', () => {
    it('delivers to the hook alone', async () => {
      const eventId = await paidOrder();
      const seen: MerchantEvent[] = [];
      const outbox = worker({ webhook: undefined, onEvent: (event) => void seen.push(event) });

      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toMatchObject({
        id: eventId,
        type: 'order.paid',
        timestamp: new Date(T0).toISOString(),
        data: { status: 'paid', amount: 19900, title: TITLE },
      });
      expect(receiver.received).toEqual([]);
    });

    it('retries when the hook throws, and delivers once webhook and hook both accept', async () => {
      const eventId = await paidOrder();
      let calls = 0;
      const outbox = worker({
        onEvent: async () => {
          calls += 1;
          await Promise.resolve();
          if (calls === 1) throw new Error('inventory service down');
        },
      });

      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, retried: 1 });
      expect(await eventRow(eventId)).toMatchObject({
        attempts: 1,
        deliveredAt: null,
        lastError: 'onEvent threw: inventory service down',
      });

      now = T0 + 2_500;
      expect(await outbox.runOnce()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(calls).toBe(2);
      // At least once: the webhook saw both attempts, with the same webhook-id to dedupe on.
      expect(receiver.received.map((request) => request.headers['webhook-id'])).toEqual([
        eventId,
        eventId,
      ]);
    });

    it('keeps the secret out of the error of a hook that throws it', async () => {
      const eventId = await paidOrder();
      const outbox = worker({
        onEvent: () => {
          throw new Error(`cannot reach shop with ${SECRET}`);
        },
      });
      expect(await outbox.runOnce()).toMatchObject({ retried: 1 });
      expect((await eventRow(eventId)).lastError).toBe(
        'onEvent threw: cannot reach shop with [redacted]',
      );
    });

    it('does not call the hook while the webhook fails', async () => {
      await paidOrder();
      let calls = 0;
      receiver.replies.push(502);
      const outbox = worker({ onEvent: () => void (calls += 1) });
      expect(await outbox.runOnce()).toMatchObject({ retried: 1 });
      expect(calls).toBe(0);
    });
  });

  describe('wake and idle', () => {
    it('runs at most one run at a time and queues one more', async () => {
      let claims = 0;
      store = new Proxy(store, {
        get(target, key, receiverObject) {
          if (key === 'claimEvents') {
            return (query: Parameters<OrderStore['claimEvents']>[0]) => {
              claims += 1;
              return target.claimEvents(query);
            };
          }
          return Reflect.get(target, key, receiverObject) as unknown;
        },
      });
      await paidOrder();
      const outbox = worker();

      const first = outbox.wake();
      const second = outbox.wake();
      const third = outbox.wake();
      expect(third).toBe(second);
      expect(second).not.toBe(first);
      await outbox.idle();
      expect(claims).toBe(2);
      expect(await first).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(await second).toEqual(nothing);

      expect(await outbox.wake()).toEqual(nothing);
      expect(claims).toBe(3);
    });

    it('logs a store error from a woken run instead of rejecting; runOnce rejects', async () => {
      const broken = new Proxy(store, {
        get(target, key, receiverObject) {
          if (key === 'claimEvents') return () => Promise.reject(new Error('database is locked'));
          return Reflect.get(target, key, receiverObject) as unknown;
        },
      });
      const outbox = worker({ store: broken });
      await expect(outbox.runOnce()).rejects.toThrow('database is locked');
      expect(await outbox.wake()).toBeUndefined();
      await outbox.idle();
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
        { level: 'error', msg: 'outbox run failed', error: 'database is locked' },
      ]);
    });

    it('forgets a run that outlived its lease (cut off by its platform), so later wakes run', async () => {
      await paidOrder();
      let calls = 0;
      const outbox = worker({
        webhook: undefined,
        // The first delivery never settles, like a run a Worker's ended waitUntil cut off.
        onEvent: () => (++calls === 1 ? new Promise<void>(() => {}) : undefined),
      });
      void outbox.wake();
      for (let i = 0; i < 100 && calls === 0; i++) await new Promise((r) => setTimeout(r, 5));
      expect(calls).toBe(1);

      // The stuck run outlived its lease on the worker's clock, and its claim has lapsed as well.
      now += outboxLeaseMs() + 1;
      expect(await outbox.wake()).toEqual({ ...nothing, claimed: 1, delivered: 1 });
      expect(calls).toBe(2);
      await outbox.idle(); // returns: the stuck run is forgotten, not waited for
      expect(lines.some((line) => line.includes('outbox run abandoned'))).toBe(true);
    });

    it('idle waits for a direct runOnce too', async () => {
      await paidOrder();
      receiver.delayMs = 50;
      const outbox = worker();
      let done = false;
      void outbox.runOnce().then(() => (done = true));
      await outbox.idle();
      expect(done).toBe(true);
    });
  });

  it('refuses a bad secret, a bad URL or no destination, without echoing the secret', () => {
    const bad = 'whsec_tooshort';
    expect(() => worker({ webhook: { url: receiver.url, secret: bad } })).toThrow(
      'the webhook secret must hold 24 to 64 bytes, it holds 6',
    );
    expect(() => worker({ webhook: { url: 'ftp://shop.example/x', secret: SECRET } })).toThrow(
      'the webhook url must be http: or https:',
    );
    expect(() => worker({ webhook: undefined })).toThrow(
      'the outbox worker needs a webhook or onEvent',
    );
  });
});
