import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createWebhookSecret } from '@scanforpay/server';
import type { FaultStep } from '../src/fault-hook.js';
import { verifyMerchantWebhook } from '@scanforpay/server/webhook';
import { CATALOG } from './helpers/catalog.js';
import {
  buildCrashProxy,
  startCrashProxy,
  type CrashProxy,
  type CrashProxyConfig,
} from './helpers/crash-process.js';
import { engineName } from './helpers/engines.js';
import { freePort, startReceiver } from './helpers/processes.js';
import { captureLine } from './helpers/traffic.js';

/**
 * The crash matrix: a proxy process is held at one step boundary (`faultHook`) and SIGKILLed
 * there, then restarted on the same database without the hook. Once recovery has run (the
 * sandbox's notifications, the outbox, reconciliation, a client's retry), the store and the
 * gateway must agree: every order's status and refunded total, every refund, one stored event
 * per transition, each delivered at least once under its one webhook-id, and no order the
 * gateway knows that the proxy does not. Runs on SQLite and on Postgres.
 */
const engine = engineName();
const MINUTE = 60_000;
/** A restarted proxy this far ahead finds every check due and every lapsed lease free. */
const CHECKS_DUE = MINUTE + 1_000;
/** Past the 30 min order timeout and the 5 min expiry grace. */
const PAST_EXPIRY = 36 * MINUTE;
const ADMIN_TOKEN = 'crash-matrix-admin-token-0123456789abcdef';
const ORIGIN = 'http://localhost:5173';
const secret = createWebhookSecret();
const dir = mkdtempSync(join(tmpdir(), 'scanforpay-crash-'));

let sandbox: RunningSandbox;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let pgAdmin: postgres.Sql | undefined;
const running: CrashProxy[] = [];
let db: CaseDatabase | undefined;
let caseNo = 0;

beforeAll(async () => {
  await buildCrashProxy();
  sandbox = await startSandbox({ port: 0, control: true, log: captureLine });
  receiver = await startReceiver();
  if (engine === 'postgres')
    pgAdmin = postgres(inject('postgresUrl'), { max: 1, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await receiver?.close();
  await sandbox?.close();
  await pgAdmin?.end({ timeout: 1 });
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(async () => {
  await control('/reset');
  receiver.received.length = 0;
  db = await openCaseDatabase(++caseNo);
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((proxy) => proxy.kill()));
  await db?.close();
  db = undefined;
});

// ---------------------------------------------------------------------------------------------
// The cases

/** What a case's steps share: the live proxy's URL and what the first process was asked. */
interface CaseContext {
  url: string;
  key: string;
  orderIds: string[];
}

interface CrashCase {
  name: string;
  step: FaultStep;
  /** Hold the `at`-th time the step is reached. Default 1. */
  at?: number;
  /** Run first on a process without the hook (same database, same port), then killed. */
  prepare?(ctx: CaseContext): Promise<void>;
  /** The clock offset of the process killed at the step. Default 0. */
  crashOffsetMs?: number;
  /** The restarted proxy's clock offset. Default 0. */
  restartOffsetMs?: number;
  /** Drives the first process to its step; the request held there is left hanging. */
  crash(ctx: CaseContext): Promise<unknown>;
  /** Right after the kill, before the restart. */
  afterKill?(): Promise<void>;
  /** After the restart: what the gateway, a client or an admin does again. */
  recover?(ctx: CaseContext): Promise<void>;
  /** The final statuses of the proxy's orders, sorted. */
  statuses: string[];
  /** Checks of the case's own, once the store and the gateway agree. */
  verify?(ctx: CaseContext, world: World): void | Promise<void>;
}

const CASES: CrashCase[] = [
  {
    name: 'create, before the gateway call: the retry is refused clearly, the gateway has nothing',
    step: 'create:reserved',
    restartOffsetMs: CHECKS_DUE,
    crash: (ctx) => createOrder(ctx.url, ctx.key),
    async recover(ctx) {
      const retry = await createOrder(ctx.url, ctx.key);
      expect(retry.status).toBe(502);
      expect(await retry.json()).toMatchObject({
        code: 'gateway_error',
        detail: expect.stringContaining('did not complete') as unknown,
      });
      // The shopper starts again with a new key, and pays.
      const again = await createOrder(ctx.url, `${ctx.key}-new`);
      expect(again.status).toBe(201);
      await pay(((await again.json()) as { orderId: string }).orderId);
    },
    // The order the gateway never saw stays pending without a payUrl, and sends no event, until
    // its time and grace are over; then a signed refusal closes it as failed (`incomplete`, see
    // test/expiry.test.ts): no payUrl of it ever left the proxy, so no buyer can have paid it.
    statuses: ['paid', 'pending'],
    verify(_, world) {
      const orphan = world.orders.find((o) => o.status === 'pending')!;
      expect(orphan.pay_url).toBeNull();
      expect(world.gateway.map((g) => g.partnerOrderNo)).not.toContain(orphan.order_id);
    },
  },
  {
    name: 'create, answered but not recorded: the retry is refused, one gateway order expires',
    step: 'create:answered',
    restartOffsetMs: PAST_EXPIRY,
    crash: (ctx) => createOrder(ctx.url, ctx.key),
    async recover(ctx) {
      const retry = await createOrder(ctx.url, ctx.key);
      expect(retry.status).toBe(502);
      expect(await retry.json()).toMatchObject({ code: 'gateway_error' });
    },
    statuses: ['expired'],
    verify(_, world) {
      expect(world.gateway).toHaveLength(1);
      expect(world.gateway[0]!.status).toBe(0);
    },
  },
  {
    name: 'create, answered but not recorded (second order), both paid while the proxy was down',
    step: 'create:answered',
    at: 2,
    restartOffsetMs: CHECKS_DUE,
    async crash(ctx) {
      const first = await createOrder(ctx.url, `${ctx.key}-first`);
      expect(first.status).toBe(201);
      ctx.orderIds.push(((await first.json()) as { orderId: string }).orderId);
      return createOrder(ctx.url, ctx.key);
    },
    async recover(ctx) {
      const retry = await createOrder(ctx.url, ctx.key);
      expect(retry.status).toBe(502);
      // The buyers paid while the proxy was down; their notifications went nowhere.
      for (const order of await gatewayOrders()) await pay(order.partnerOrderNo);
    },
    statuses: ['paid', 'paid'],
    verify(_, world) {
      expect(world.gateway).toHaveLength(2);
    },
  },
  {
    name: 'create, recorded but not answered: the retry gets the same order and payUrl',
    step: 'create:recorded',
    restartOffsetMs: CHECKS_DUE,
    crash: (ctx) => createOrder(ctx.url, ctx.key),
    async recover(ctx) {
      const retry = await createOrder(ctx.url, ctx.key);
      expect(retry.status).toBe(201);
      const created = (await retry.json()) as { orderId: string; payUrl: string };
      const [gateway] = await gatewayOrders();
      expect(created).toMatchObject({ orderId: gateway!.partnerOrderNo, payUrl: gateway!.payUrl });
      await pay(created.orderId);
    },
    statuses: ['paid'],
    verify(_, world) {
      expect(world.gateway).toHaveLength(1);
    },
  },
  {
    name: 'notify, verified but not committed: the re-sent notification applies it',
    step: 'notify:verified',
    crash: (ctx) => createAndPay(ctx),
    recover: (ctx) => resendNotification(ctx.orderIds[0]!),
    statuses: ['paid'],
  },
  {
    name: 'notify, verified but not committed, notifications lost: reconciliation applies it',
    step: 'notify:verified',
    restartOffsetMs: CHECKS_DUE,
    crash: (ctx) => createAndPay(ctx),
    // The sandbox's own retries are dropped from here on: only payQuery can tell the proxy.
    afterKill: () => control('/chaos', { dropFirst: 1000 }),
    statuses: ['paid'],
  },
  {
    name: 'notify, committed but not answered: the event goes out, the re-send is a duplicate',
    step: 'notify:committed',
    // The first process's background timer may have claimed the committed event just before
    // the kill: its lease (25 s) must have lapsed for the restarted one to deliver it.
    restartOffsetMs: CHECKS_DUE,
    crash: (ctx) => createAndPay(ctx),
    recover: (ctx) => resendNotification(ctx.orderIds[0]!),
    statuses: ['paid'],
    async verify() {
      await eventually(async () => {
        const outcomes = await db!.query<{ outcome: string }>(
          `SELECT outcome FROM notifications ORDER BY id`,
        );
        // The sandbox's own retry may come in too: one applied, the rest duplicates.
        const [applied, ...rest] = outcomes.map((row) => row.outcome);
        expect(applied).toBe('applied');
        expect(rest.length).toBeGreaterThan(0);
        expect(new Set(rest)).toEqual(new Set(['duplicate']));
      });
    },
  },
  {
    name: 'check on /return, queried but not applied: reconciliation settles it paid',
    step: 'check:queried',
    restartOffsetMs: CHECKS_DUE,
    async crash(ctx) {
      await control('/chaos', { dropFirst: 1000 });
      await createAndPay(ctx);
      return fetch(`${ctx.url}/return?partnerOrderNo=${ctx.orderIds[0]!}`, { redirect: 'manual' });
    },
    statuses: ['paid'],
  },
  {
    name: 'check in reconciliation, queried but not applied: past expiry the order expires',
    step: 'check:queried',
    async prepare(ctx) {
      const created = await createOrder(ctx.url, ctx.key);
      expect(created.status).toBe(201);
    },
    // Its first check is due at once; the background pass reaches the step.
    crashOffsetMs: CHECKS_DUE,
    restartOffsetMs: PAST_EXPIRY,
    crash: () => Promise.resolve(),
    statuses: ['expired'],
  },
  {
    name: 'refund, reserved but not sent: the admin retries the pending refundNo to success',
    step: 'refund:reserved',
    async crash(ctx) {
      await createAndPay(ctx);
      await paidAtProxy(ctx);
      return refund(ctx.url, ctx.orderIds[0]!, {});
    },
    async recover(ctx) {
      const fresh = await refund(ctx.url, ctx.orderIds[0]!, {});
      expect(fresh.status).toBe(409);
      const { code, refundNo } = (await fresh.json()) as { code: string; refundNo: string };
      expect(code).toBe('refund_in_flight');
      const retry = await refund(ctx.url, ctx.orderIds[0]!, { refundNo });
      expect(retry.status).toBe(201);
    },
    statuses: ['refunded'],
  },
  {
    name: 'refund, answered but not settled: the retry settles it once, not twice',
    step: 'refund:answered',
    async crash(ctx) {
      await createAndPay(ctx);
      await paidAtProxy(ctx);
      return refund(ctx.url, ctx.orderIds[0]!, { amount: 5000, refundNo: 'crash-partial' });
    },
    async recover(ctx) {
      const retry = await refund(ctx.url, ctx.orderIds[0]!, {
        amount: 5000,
        refundNo: 'crash-partial',
      });
      expect(retry.status).toBe(201);
    },
    statuses: ['partially_refunded'],
  },
  {
    name: 'webhook, taken by the merchant but not settled: redelivered with the same webhook-id',
    step: 'webhook:sent',
    restartOffsetMs: CHECKS_DUE,
    crash: (ctx) => createAndPay(ctx),
    statuses: ['paid'],
    verify(_, world) {
      const ids = receiverIds();
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBe(ids[1]);
      expect(ids[0]).toBe(world.outbox[0]!.event_id);
    },
  },
];

describe(`a proxy killed at each step (${engine})`, () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s',
    async (_, c) => {
      const port = await freePort();
      const ctx: CaseContext = {
        url: `http://127.0.0.1:${port}`,
        key: `key-${caseNo}`,
        orderIds: [],
      };

      if (c.prepare) {
        const before = await start(port, {});
        await c.prepare(ctx);
        await before.kill();
      }
      const first = await start(port, {
        faultStep: c.step,
        ...(c.at !== undefined ? { faultAt: c.at } : {}),
        clockOffsetMs: c.crashOffsetMs ?? 0,
      });
      // The request held at the step only ends (in an error) when the process dies.
      const driving = c.crash(ctx).catch((error: unknown) => error);
      const failedEarly = driving.then((result) =>
        result instanceof Error && first.child.exitCode === null
          ? Promise.reject(result)
          : new Promise<never>(() => {}),
      );
      try {
        await Promise.race([first.reached(), failedEarly]);
      } finally {
        failedEarly.catch(() => {});
      }
      await first.kill();
      expect(first.child.signalCode).toBe('SIGKILL');
      await driving;
      await c.afterKill?.();

      await start(port, { clockOffsetMs: c.restartOffsetMs ?? 0 });
      await c.recover?.(ctx);

      const world = await eventually(async () => {
        const snapshot = await observe();
        assertAgreement(snapshot);
        expect(snapshot.orders.map((o) => o.status).sort()).toEqual(c.statuses);
        return snapshot;
      });
      await c.verify?.(ctx, world);
    },
    60_000,
  );
});

// ---------------------------------------------------------------------------------------------
// Agreement

interface World {
  orders: {
    order_id: string;
    status: string;
    amount: number;
    pay_url: string | null;
    gateway_order_no: string | null;
    refunded_amount: number;
  }[];
  refunds: { refund_no: string; order_id: string; amount: number; status: string }[];
  outbox: {
    event_id: string;
    type: string;
    order_id: string;
    payload: string;
    delivered: boolean;
  }[];
  gateway: GatewayOrder[];
}

interface GatewayOrder {
  partnerOrderNo: string;
  orderNo: string;
  state: string;
  status: number;
  payUrl: string;
  orderAmount: number;
  refundedAmount: number;
  refunds: { refundNo: string; amount: number }[];
}

const EVENTS_OF: Record<string, string[]> = {
  pending: [],
  paid: ['order.paid'],
  failed: ['order.failed'],
  expired: ['order.expired'],
  refunded: ['order.paid', 'order.refunded'],
  partially_refunded: ['order.paid', 'order.partially_refunded'],
};

async function observe(): Promise<World> {
  const [orders, refunds, outbox, gateway] = await Promise.all([
    db!.query<World['orders'][number]>(
      `SELECT order_id, status, amount, pay_url, gateway_order_no, refunded_amount
       FROM orders ORDER BY order_id`,
    ),
    db!.query<World['refunds'][number]>(
      `SELECT refund_no, order_id, amount, status FROM refunds ORDER BY refund_no`,
    ),
    db!.query<World['outbox'][number] & { delivered_at: unknown }>(
      `SELECT event_id, type, order_id, payload, delivered_at FROM outbox ORDER BY id`,
    ),
    gatewayOrders(),
  ]);
  return {
    orders: orders.map((o) => ({
      ...o,
      amount: Number(o.amount),
      refunded_amount: Number(o.refunded_amount),
    })),
    refunds: refunds.map((r) => ({ ...r, amount: Number(r.amount) })),
    outbox: outbox.map(({ delivered_at, ...event }) => ({
      ...event,
      delivered: delivered_at !== null,
    })),
    gateway,
  };
}

/** The store and the gateway tell one story, and the merchant has heard all of it. */
function assertAgreement(world: World): void {
  const byId = new Map(world.orders.map((o) => [o.order_id, o]));
  // No order the gateway knows that the proxy does not, and the same order where both know it.
  for (const g of world.gateway) {
    const order = byId.get(g.partnerOrderNo);
    expect(order, `gateway order ${g.partnerOrderNo} unknown to the proxy`).toBeDefined();
    expect(order!.amount).toBe(g.orderAmount);
    if (order!.gateway_order_no !== null) expect(order!.gateway_order_no).toBe(g.orderNo);
  }
  for (const order of world.orders) {
    const g = world.gateway.find((o) => o.partnerOrderNo === order.order_id);
    expect(order.status, order.order_id).toBe(expectedStatus(g, order.status));
    expect(order.refunded_amount).toBe(g?.refundedAmount ?? 0);
    // Every refund the gateway made is recorded once, as succeeded; none is left in flight.
    const refunds = world.refunds.filter((r) => r.order_id === order.order_id);
    expect(
      refunds.filter((r) => r.status === 'succeeded').map((r) => [r.refund_no, r.amount]),
    ).toEqual((g?.refunds ?? []).map((r) => [r.refundNo, r.amount]).sort());
    expect(refunds.filter((r) => r.status === 'pending')).toEqual([]);
    // Exactly one event per transition, each delivered.
    const events = world.outbox.filter((e) => e.order_id === order.order_id);
    expect(events.map((e) => e.type)).toEqual(EVENTS_OF[order.status]);
  }
  expect(world.outbox.filter((e) => !e.delivered)).toEqual([]);
  // Each event reached the merchant under its webhook-id, signed, byte for byte as stored; the
  // merchant got nothing else.
  const stored = new Map(world.outbox.map((e) => [e.event_id, e]));
  for (const event of world.outbox) {
    expect(receiverIds(), `event ${event.type} never received`).toContain(event.event_id);
  }
  for (const hook of receiver.received) {
    const event = stored.get(hook.id);
    expect(event, `received unknown webhook-id ${hook.id}`).toBeDefined();
    expect(hook.body).toBe(event!.payload);
    expect(
      verifyMerchantWebhook(hook.body, hook.headers as Record<string, string>, secret, {
        toleranceSeconds: 24 * 3600,
      }).id,
    ).toBe(hook.id);
  }
}

/** The proxy status the gateway's word calls for (a pending gateway order: pending, or expired). */
function expectedStatus(g: GatewayOrder | undefined, actual: string): string {
  if (!g) return 'pending';
  if (g.state === 'refunded') return 'refunded';
  if (g.state === 'paid') return g.refundedAmount > 0 ? 'partially_refunded' : 'paid';
  if (g.status === 0) return actual === 'expired' ? 'expired' : 'pending';
  return 'failed';
}

// ---------------------------------------------------------------------------------------------
// Helpers

function receiverIds(): string[] {
  return receiver.received.map((hook) => hook.id);
}

async function start(port: number, extra: Partial<CrashProxyConfig>): Promise<CrashProxy> {
  const proxy = await startCrashProxy({
    port,
    gatewayUrl: sandbox.url,
    credentials: {
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
    },
    catalog: CATALOG,
    ...db!.location,
    webhook: { url: receiver.url, secret },
    adminToken: ADMIN_TOKEN,
    ...extra,
  });
  running.push(proxy);
  return proxy;
}

function createOrder(url: string, key: string): Promise<Response> {
  return fetch(`${url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: ORIGIN, 'idempotency-key': key },
    body: JSON.stringify({ item: 'tee-red', wallet: 'AlipayHK' }),
  });
}

/** Creates an order on the first process and pays it at the gateway (which notifies). */
async function createAndPay(ctx: CaseContext): Promise<void> {
  const created = await createOrder(ctx.url, ctx.key);
  expect(created.status).toBe(201);
  const { orderId } = (await created.json()) as { orderId: string };
  ctx.orderIds.push(orderId);
  await pay(orderId);
}

/**
 * Waits until the first process has the order paid and has delivered its `order.paid`. A kill
 * while that delivery is in flight would leave the event leased for 25 s, and a restart at the
 * same clock could not deliver it within `eventually`'s 20 s.
 */
async function paidAtProxy(ctx: CaseContext): Promise<void> {
  await eventually(async () => {
    const response = await fetch(`${ctx.url}/orders/${ctx.orderIds[0]!}`);
    expect(((await response.json()) as { status: string }).status).toBe('paid');
    const pending = await db!.query<{ event_id: string }>(
      `SELECT event_id FROM outbox WHERE delivered_at IS NULL`,
    );
    expect(pending).toEqual([]);
  });
}

function refund(url: string, orderId: string, body: object): Promise<Response> {
  return fetch(`${url}/admin/orders/${orderId}/refunds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify(body),
  });
}

async function pay(orderId: string): Promise<void> {
  await control(`/orders/${orderId}/pay`);
}

async function resendNotification(orderId: string): Promise<void> {
  await control(`/orders/${orderId}/notify`);
}

async function gatewayOrders(): Promise<GatewayOrder[]> {
  const response = await fetch(`${sandbox.url}/__sandbox/orders`);
  return ((await response.json()) as { orders: GatewayOrder[] }).orders;
}

async function control(path: string, body: object = {}): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`sandbox ${path}: HTTP ${response.status} ${await response.text()}`);
}

/** Retries `check` until it stops throwing; past the deadline, its last failure is the test's. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface CaseDatabase {
  location: Pick<CrashProxyConfig, 'databasePath' | 'postgresUrl'>;
  query<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh database for one case: a SQLite file, or a Postgres database on the test cluster. */
async function openCaseDatabase(n: number): Promise<CaseDatabase> {
  if (engine === 'sqlite') {
    const path = join(dir, `case-${n}.db`);
    return {
      location: { databasePath: path },
      query<T>(sql: string) {
        const sqlite = new Database(path, { readonly: true, fileMustExist: true });
        try {
          return Promise.resolve(sqlite.prepare(sql).all() as T[]);
        } finally {
          sqlite.close();
        }
      },
      close: () => Promise.resolve(),
    };
  }
  const name = `crash_${process.pid}_${n}`;
  await pgAdmin!.unsafe(`CREATE DATABASE ${name}`);
  const url = inject('postgresUrl').replace(/\/[^/]*$/, `/${name}`);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  return {
    location: { postgresUrl: url },
    async query<T>(sql: string) {
      return Array.from(await client.unsafe(sql)) as T[];
    },
    async close() {
      await client.end({ timeout: 1 });
      await pgAdmin!.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
