import { signResponse, type Transport } from '@scanforpay/protocol';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import type { MerchantEvent } from '@scanforpay/server';
import type { Order, OrderStatus, OutboxRecord, RefundRecord } from '@scanforpay/server/store';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { engineName } from './helpers/engines.js';
import { createHarness, RESULT_URL, type Harness } from './helpers/harness.js';

/**
 * A model-based test of the order state machine (issue 12): fast-check draws random sequences
 * of what can happen to a few orders — payments and failures at the gateway with their
 * notifications delivered normally, duplicated, reordered, late (delayed, or dropped and resent
 * later) or forged; the buyer's `/return` (GET and POST); reads; reconciliation passes; full,
 * partial and too-large refunds through `/admin`; clock jumps from seconds to hours; and gateway
 * answers to API calls that are a signed error code, HTTP 503 or a hang, for the next 1-3 calls.
 * The model keeps the gateway's truth (what the sandbox has) and checks after every command,
 * and once more at quiescence (chaos off, refunds in doubt retried, the clock three days on,
 * reconciliation passes until nothing is due):
 *
 * 1. an order once paid is only ever paid / partially_refunded / refunded, and its refunded
 *    total is the sum of its succeeded refunds, each of which the gateway accepted;
 * 2. no `order.expired` event for an order the gateway has paid;
 * 3. the outbox holds exactly one event per transition: per order its events form a path of
 *    the lifecycle from `pending` that ends at the stored status, every status this test saw is
 *    on that path, refund events name distinct succeeded refunds; `onEvent` gets every stored
 *    event and nothing else (a redelivery, which at-least-once allows, is of the same event);
 * 4. `success` is answered to a notification only after its commit: when the sandbox gets that
 *    answer, the store already shows the order paid (checked in the sandbox's transport, and
 *    against the sandbox's `/__sandbox/notifications` log);
 * 5. at quiescence the proxy agrees with the gateway: paid ⇒ paid (or refunded by exactly what
 *    the gateway refunded), unpaid past expiry ⇒ expired, failed ⇒ failed.
 *
 * The proxy's clock is frozen and moves only by the model's jumps. The sandbox keeps the wall
 * clock, so it never expires an order itself; the model pays or fails an order at the gateway
 * only before the order's `expiresAt`, as the real gateway allows.
 *
 * Runs on every engine (STORE_ENGINE), on a real store, the real sandbox and a proxy on a
 * loopback socket (test/helpers/harness.ts); a run takes over the previous run's harness when
 * that one passed (its orders are all final by then), see `nextWorld`.
 *
 * Knobs (environment):
 * - `MODEL_RUNS` (default 30 on SQLite, 12 on Postgres, 6 on D1), `MODEL_COMMANDS` (most commands per run, default 25);
 * - `MODEL_SEED` (default 20260512, or `random`); `MODEL_STATS=1` prints what the runs did;
 * - replaying a failure: fast-check prints `seed` and `path` (and the failing commands with
 *   their `replayPath`); run with `MODEL_SEED=<seed> MODEL_PATH=<path>` (add
 *   `MODEL_REPLAY=<replayPath>` to replay exactly those commands) and `MODEL_SHRINK=1` to
 *   shrink it to a minimal sequence (off by default: each step of shrinking replays real I/O).
 *   A replay runs on a fresh harness.
 *   e.g. `MODEL_SEED=20260512 MODEL_PATH=7 MODEL_SHRINK=1 npx vitest run --project sqlite
 *   test/order-state.model.test.ts`.
 * Notification deliveries run on real timers, concurrently with later commands, so a replay
 * reproduces the same commands but not always the same race; `settle` commands pin one down.
 */

const intFromEnv = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new TypeError(`${name}: an integer, got "${value}"`);
  return n;
};
/** D1 (miniflare) is several times slower per command than SQLite and Postgres: fewer runs there by default. */
const RUNS = intFromEnv('MODEL_RUNS', { sqlite: 30, postgres: 12, d1: 6 }[engineName()]);
const MAX_COMMANDS = intFromEnv('MODEL_COMMANDS', 25);
const SEED =
  process.env.MODEL_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : intFromEnv('MODEL_SEED', 20260512);
const PATH = process.env.MODEL_PATH;
const REPLAY = process.env.MODEL_REPLAY;
const SHRINK = process.env.MODEL_SHRINK === '1';
/** With `MODEL_STATS=1`, what the runs did is printed at the end (to judge the coverage). */
const STATS = process.env.MODEL_STATS === '1' ? new Map<string, number>() : undefined;
const tally = (key: string, n = 1) => STATS?.set(key, (STATS.get(key) ?? 0) + n);
async function timed<T>(key: string, act: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await act();
  } finally {
    tally(`ms ${key}`, Math.round(performance.now() - start));
  }
}

const TOKEN = 'm'.repeat(40);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const GRACE = 5 * MINUTE;
/** Three quick tries per notification: a dropped one is over in about 100 ms. */
const NOTIFY_SCHEDULE = [0, 30, 60];
/**
 * A hanging gateway answers after this; both proxy timeouts are shorter, so a hang is a timeout.
 * They leave a loaded CI machine headroom; a normal answer that times out all the same is
 * taken as what it is (an outcome in doubt), never as a failure of the test.
 */
const HANG_MS = 800;
const GATEWAY_TIMEOUT_MS = 600;
const RETURN_QUERY_TIMEOUT_MS = 300;

const PAID: readonly OrderStatus[] = ['paid', 'partially_refunded', 'refunded'];
/** The lifecycle as this test understands it: a status, and the ones it may be reached from. */
const REACHED_FROM: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: [],
  paid: ['pending', 'expired', 'failed'],
  failed: ['pending'],
  expired: ['pending'],
  partially_refunded: ['paid', 'partially_refunded'],
  refunded: ['paid', 'partially_refunded'],
};

// --- the model -------------------------------------------------------------------------------

type GatewayState = 'unpaid' | 'paid' | 'failed';

interface ModelOrder {
  orderId: string;
  amount: number;
  expiresAt: number;
  /** What the sandbox has: never moved by the proxy, only by this test. */
  gateway: GatewayState;
  /** refundNo → amount: the refunds the gateway accepted. */
  refunds: Map<string, number>;
  /** A refund the proxy holds pending (a timeout or a 503): a retry with its refundNo settles it. */
  inDoubt: { refundNo: string; amount: number } | undefined;
  /** The proxy has shown it paid (or refunded). */
  everPaid: boolean;
  /** The statuses the proxy's store showed, in order, repeats folded. */
  seen: OrderStatus[];
}

interface Model {
  now: number;
  orders: ModelOrder[];
}

const refundedAtGateway = (o: ModelOrder) => [...o.refunds.values()].reduce((a, b) => a + b, 0);

/** The statuses the proxy may show now, given the gateway's truth. */
function allowedStatuses(o: ModelOrder, now: number): OrderStatus[] {
  if (o.gateway === 'unpaid')
    return now >= o.expiresAt + GRACE ? ['pending', 'expired'] : ['pending'];
  if (o.gateway === 'failed') return ['pending', 'failed'];
  const refunded = refundedAtGateway(o);
  return [
    'pending',
    'paid',
    ...(refunded > 0 ? (['partially_refunded'] as const) : []),
    ...(refunded === o.amount ? (['refunded'] as const) : []),
  ];
}

/** What the proxy must show once everything has settled. */
function finalStatus(o: ModelOrder): OrderStatus {
  if (o.gateway === 'unpaid') return 'expired';
  if (o.gateway === 'failed') return 'failed';
  const refunded = refundedAtGateway(o);
  return refunded === 0 ? 'paid' : refunded === o.amount ? 'refunded' : 'partially_refunded';
}

// --- the real world: a harness per run -------------------------------------------------------

interface World {
  h: Harness;
  time: { now: number };
  /** Every event `onEvent` received, redeliveries included. */
  delivered: MerchantEvent[];
  probe: NotifyProbe;
}

/**
 * The sandbox's transport for notifications: when the proxy answers `success`, it reads the
 * store before the sandbox sees the answer (invariant 4), and counts what is in flight.
 */
interface NotifyProbe {
  transport: Transport;
  inFlight: number;
  /** Success answers seen, by order. */
  successes: Map<string, number>;
  violations: string[];
  store?: Harness['store'];
  close(): void;
}

function notifyProbe(): NotifyProbe {
  const inner = createNodeTransport();
  const probe: NotifyProbe = {
    inFlight: 0,
    successes: new Map(),
    violations: [],
    close: () => inner.close(),
    transport: async (url, init) => {
      probe.inFlight += 1;
      try {
        const answer = await inner(url, init);
        if (answer.status >= 200 && answer.status <= 299 && answer.text.trim() === 'success') {
          const orderId = notifiedOrder(init.body);
          const status = (await probe.store?.getOrder(orderId))?.status;
          if (!status || !PAID.includes(status)) {
            probe.violations.push(
              `success answered for ${orderId} while the store shows ${status}`,
            );
          }
          probe.successes.set(orderId, (probe.successes.get(orderId) ?? 0) + 1);
        }
        return answer;
      } finally {
        probe.inFlight -= 1;
      }
    },
  };
  return probe;
}

function notifiedOrder(body: string): string {
  return (JSON.parse(body) as { response: { body: { partnerOrderNo: string } } }).response.body
    .partnerOrderNo;
}

async function openWorld(): Promise<World> {
  const time = { now: Date.now() };
  const delivered: MerchantEvent[] = [];
  const probe = notifyProbe();
  const h = await createHarness({
    proxy: {
      clock: () => time.now,
      onEvent: (event) => {
        delivered.push(event);
      },
      adminToken: TOKEN,
      gatewayTimeoutMs: GATEWAY_TIMEOUT_MS,
      returnQueryTimeoutMs: RETURN_QUERY_TIMEOUT_MS,
      checksPerSecond: 1000,
    },
    sandbox: { transport: probe.transport, notifySchedule: NOTIFY_SCHEDULE, reorderWindowMs: 50 },
  });
  probe.store = h.store;
  return { h, time, delivered, probe };
}

/**
 * After a run that passed, every order of its world is final and nothing is due or in flight,
 * so the next run takes it over (with a reset sandbox) rather than open another: on Postgres
 * that halves the time. A failed run's world is closed; a replay (`MODEL_PATH`) starts fresh.
 */
let spare: World | undefined;

async function nextWorld(): Promise<World> {
  const w = spare;
  spare = undefined;
  if (!w) return openWorld();
  await w.h.control('/reset');
  w.delivered.length = 0;
  w.probe.successes.clear();
  return w;
}

async function closeWorld(w: World): Promise<void> {
  await w.h.app.idle();
  await w.h.close();
  w.probe.close();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the sandbox has nothing scheduled or in flight, then for the proxy's deliveries. */
async function settle(w: World): Promise<void> {
  const sandbox = w.h.sandbox!.sandbox;
  const until = Date.now() + 10_000;
  for (let calm = 0; calm < 2;) {
    await sleep(5);
    calm = sandbox.timers.size === 0 && w.probe.inFlight === 0 ? calm + 1 : 0;
    if (Date.now() > until) throw new Error('the sandbox did not go quiet within 10 s');
  }
  await w.h.app.idle();
}

// --- the gateway's chaos ---------------------------------------------------------------------

interface Chaos {
  duplicate?: number;
  delayMs?: number;
  dropFirst?: number;
  reorder?: boolean;
  wrongKey?: boolean;
  apiCode?: number;
  apiMsg?: string;
  apiStatus?: number;
  apiHangMs?: number;
  apiTimes?: number;
}

const chaosNow = async (w: World) => ((await w.h.control('/chaos')) as { chaos: Chaos }).chaos;

function apiPart({ apiCode, apiMsg, apiStatus, apiHangMs, apiTimes }: Chaos): Chaos {
  return Object.fromEntries(
    Object.entries({ apiCode, apiMsg, apiStatus, apiHangMs, apiTimes }).filter(
      ([, v]) => v !== undefined,
    ),
  );
}

type ApiAnswer = 'normal' | 'code' | 'unavailable' | 'hang';

/** How the sandbox will answer the next API call. */
async function nextApiAnswer(w: World): Promise<ApiAnswer> {
  const chaos = await chaosNow(w);
  if (chaos.apiStatus !== undefined) return 'unavailable';
  if (chaos.apiCode !== undefined) return 'code';
  if (chaos.apiHangMs !== undefined) return 'hang';
  return 'normal';
}

function apiChaos(answer: ApiAnswer, times: number): Chaos {
  switch (answer) {
    case 'normal':
      return {};
    case 'code':
      return { apiCode: 1099, apiMsg: 'internal error', apiTimes: times };
    case 'unavailable':
      return { apiStatus: 503, apiTimes: times };
    case 'hang':
      return { apiHangMs: HANG_MS, apiTimes: times };
  }
}

type Delivery =
  | { kind: 'normal' }
  | { kind: 'duplicate'; copies: number }
  | { kind: 'reordered'; copies: number }
  | { kind: 'late'; delayMs: number }
  | { kind: 'dropped' }
  | { kind: 'forged' };

const deliveryArb: fc.Arbitrary<Delivery> = fc.oneof(
  fc.constant({ kind: 'normal' as const }),
  fc.record({ kind: fc.constant('duplicate' as const), copies: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('reordered' as const), copies: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ kind: fc.constant('late' as const), delayMs: fc.integer({ min: 10, max: 300 }) }),
  fc.constant({ kind: 'dropped' as const }),
  fc.constant({ kind: 'forged' as const }),
);

function deliveryChaos(delivery: Delivery): Chaos {
  switch (delivery.kind) {
    case 'normal':
      return {};
    case 'duplicate':
      return { duplicate: delivery.copies };
    case 'reordered':
      return { reorder: true, duplicate: delivery.copies };
    case 'late':
      return { delayMs: delivery.delayMs };
    case 'dropped':
      return { dropFirst: NOTIFY_SCHEDULE.length };
    case 'forged':
      return { wrongKey: true };
  }
}

const describeDelivery = (d: Delivery) =>
  d.kind === 'duplicate' || d.kind === 'reordered'
    ? `${d.kind} ×${d.copies + 1}`
    : d.kind === 'late'
      ? `late ${d.delayMs} ms`
      : d.kind;

/** Runs `act` (which makes the sandbox notify) under the delivery's chaos, keeping the api* part. */
async function withDelivery(w: World, delivery: Delivery, act: () => Promise<unknown>) {
  await w.h.control('/chaos', { ...apiPart(await chaosNow(w)), ...deliveryChaos(delivery) });
  await act();
  if (delivery.kind === 'dropped') {
    const until = Date.now() + 5000;
    while ((await chaosNow(w)).dropFirst) {
      if (Date.now() > until) throw new Error('the dropped attempts were not made within 5 s');
      await sleep(10);
    }
  }
  await w.h.control('/chaos', apiPart(await chaosNow(w)));
}

// --- reading the proxy and the gateway --------------------------------------------------------

interface Snapshot {
  order: Order;
  refunds: RefundRecord[];
  events: OutboxRecord[];
}

/** The order with its refunds and events, read so that they agree (a commit may land between reads). */
async function snapshot(w: World, orderId: string): Promise<Snapshot> {
  for (let i = 0; ; i++) {
    const before = await w.h.store.listEvents(orderId);
    const order = await w.h.store.getOrder(orderId);
    const refunds = await w.h.store.listRefunds(orderId);
    const events = await w.h.store.listEvents(orderId);
    if (!order) throw new Error(`order ${orderId} is not in the store`);
    if (events.length === before.length) return { order, refunds, events };
    if (i > 20) throw new Error(`the events of ${orderId} keep changing`);
  }
}

interface SandboxOrder {
  state: string;
  refundedAmount: number;
  refunds: { refundNo: string; amount: number }[];
}

const gatewayOrder = async (w: World, orderId: string) =>
  ((await w.h.control(`/orders/${orderId}`)) as { order: SandboxOrder }).order;

/** The sandbox's delivery attempts; `acknowledged` is set once it read `success`. */
const notificationLog = async (w: World) =>
  (
    (await w.h.control('/notifications')) as {
      notifications: { partnerOrderNo: string; acknowledged: boolean }[];
    }
  ).notifications;

const payloadOf = (event: OutboxRecord) => JSON.parse(event.payload) as Omit<MerchantEvent, 'id'>;

// --- the invariants ---------------------------------------------------------------------------

async function checkInvariants(m: Model, w: World): Promise<void> {
  // Taken first: an event delivered by now was committed before the outbox is read below.
  const delivered = [...w.delivered];
  const outboxIds = new Map<string, string>();
  const [views, log] = await Promise.all([
    Promise.all(
      m.orders.map(async (o) => ({
        o,
        ...(await snapshot(w, o.orderId)),
        gateway: await gatewayOrder(w, o.orderId),
      })),
    ),
    notificationLog(w),
  ]);
  for (const { o, order, refunds, events, gateway } of views) {
    const at = `order ${o.orderId} (${order.status})`;

    // The model's gateway is the sandbox's.
    const expectedState =
      o.gateway === 'unpaid'
        ? 'pending'
        : o.gateway === 'failed'
          ? 'failed'
          : refundedAtGateway(o) === o.amount
            ? 'refunded'
            : 'paid';
    expect(gateway.state, `${at}: the sandbox's state`).toBe(expectedState);
    expect(
      new Map(gateway.refunds.map((r) => [r.refundNo, r.amount])),
      `${at}: the refunds the gateway accepted`,
    ).toEqual(o.refunds);

    // 1. Paid stays paid; the refunded total is what the gateway accepted and the proxy recorded.
    if (PAID.includes(order.status)) o.everPaid = true;
    else expect(o.everPaid, `${at}: was paid, is now ${order.status}`).toBe(false);
    const succeeded = refunds.filter((r) => r.status === 'succeeded');
    expect(order.refundedAmount, `${at}: refundedAmount`).toBe(
      succeeded.reduce((sum, r) => sum + r.amount, 0),
    );
    for (const r of succeeded) {
      expect(o.refunds.get(r.refundNo), `${at}: succeeded refund ${r.refundNo}`).toBe(r.amount);
    }
    for (const r of refunds.filter((r) => r.status === 'failed')) {
      expect(
        o.refunds.has(r.refundNo),
        `${at}: refund ${r.refundNo} is failed here but the gateway accepted it`,
      ).toBe(false);
    }
    expect(allowedStatuses(o, m.now), `${at}: allowed by the gateway's ${o.gateway}`).toContain(
      order.status,
    );

    // 2. No expiry of an order the gateway has paid.
    if (o.gateway === 'paid') {
      expect(
        events.map((e) => e.type),
        `${at}: events`,
      ).not.toContain('order.expired');
    }

    // 3. One event per transition: a path of the lifecycle that ends at the stored status.
    const path: OrderStatus[] = ['pending'];
    const refundEvents: { refundNo: string; amount: number; total: number }[] = [];
    for (const event of events) {
      const payload = payloadOf(event);
      const to = payload.data.status;
      expect(payload.type, `${at}: event ${event.eventId}`).toBe(event.type);
      expect(event.type, `${at}: event ${event.eventId}`).toBe(`order.${to}`);
      expect(REACHED_FROM[to], `${at}: event ${event.type} after ${path.at(-1)}`).toContain(
        path.at(-1),
      );
      path.push(to);
      if (payload.data.refund) {
        refundEvents.push({ ...payload.data.refund, total: payload.data.refundedAmount });
      }
      outboxIds.set(event.eventId, event.type);
    }
    expect(path.at(-1), `${at}: the last event`).toBe(order.status);
    expect(
      refundEvents.map((r) => r.refundNo).sort(),
      `${at}: refund events, one per succeeded refund`,
    ).toEqual(succeeded.map((r) => r.refundNo).sort());
    let total = 0;
    for (const r of refundEvents) {
      total += r.amount;
      expect(r.total, `${at}: refundedAmount in the event of ${r.refundNo}`).toBe(total);
    }
    if (o.seen.at(-1) !== order.status) o.seen.push(order.status);
    let i = 0;
    for (const status of path) if (status === o.seen[i]) i += 1;
    expect(i, `${at}: statuses seen ${o.seen.join('→')} not on the path ${path.join('→')}`).toBe(
      o.seen.length,
    );
  }

  // 3. onEvent sees stored events only, as stored. It may see one again (at least once: a clock
  // jump past the outbox lease while a delivery is in flight does that), always identical.
  const byId = new Map<string, string>();
  for (const event of delivered) {
    expect(outboxIds.get(event.id), `delivered event ${event.id}`).toBe(event.type);
    const text = JSON.stringify(event);
    expect(byId.get(event.id) ?? text, `redelivery of ${event.id}`).toBe(text);
    byId.set(event.id, text);
  }

  // 4. `success` only after the commit.
  expect(w.probe.violations).toEqual([]);
  for (const o of m.orders) {
    const acknowledged = log.filter((n) => n.partnerOrderNo === o.orderId && n.acknowledged);
    expect(
      acknowledged.length,
      `success answers for ${o.orderId} the probe did not check`,
    ).toBeLessThanOrEqual(w.probe.successes.get(o.orderId) ?? 0);
  }
}

/** Chaos off, refunds in doubt retried, the clock past everything, passes until nothing is due. */
async function quiesce(m: Model, w: World): Promise<void> {
  await w.h.control('/chaos', {});
  await settle(w);
  for (let round = 0; m.orders.some((o) => o.inDoubt); round++) {
    if (round === 3) throw new Error('refunds still in doubt after 3 retries without chaos');
    for (const o of m.orders) if (o.inDoubt) await refund(w, o, { retry: true });
  }
  jump(m, w, 3 * DAY);
  // Passes until no order is pending (an hour apart: a check that timed out is due again).
  for (let pass = 0; ; pass++) {
    await w.h.app.runBackground();
    await w.h.app.idle();
    const orders = await Promise.all(m.orders.map((o) => w.h.store.getOrder(o.orderId)));
    if (orders.every((order) => order?.status !== 'pending')) break;
    if (pass === 10) throw new Error('orders still pending after 10 reconciliation passes');
    jump(m, w, HOUR);
  }
  await settle(w);
  await checkInvariants(m, w);

  // 5. The proxy agrees with the gateway, and every event reached the merchant.
  for (const o of m.orders) {
    const order = (await w.h.store.getOrder(o.orderId))!;
    tally(`final ${order.status} (seen ${o.seen.join('→')})`);
    expect(
      { status: order.status, refundedAmount: order.refundedAmount },
      `order ${o.orderId} at quiescence (gateway: ${o.gateway})`,
    ).toEqual({ status: finalStatus(o), refundedAmount: refundedAtGateway(o) });
    const events = await w.h.store.listEvents(o.orderId);
    expect(
      events.filter((e) => e.deliveredAt === null).map((e) => e.type),
      `undelivered events of ${o.orderId}`,
    ).toEqual([]);
    const distinct = new Map(
      w.delivered.filter((e) => e.data.orderId === o.orderId).map((e) => [e.id, e.type]),
    );
    expect(distinct, `events delivered for ${o.orderId}`).toEqual(
      new Map(events.map((e) => [e.eventId, e.type])),
    );
  }
  tally('events redelivered', w.delivered.length - new Set(w.delivered.map((e) => e.id)).size);
}

// --- the commands -----------------------------------------------------------------------------

function jump(m: Model, w: World, ms: number): void {
  m.now += ms;
  w.time.now = m.now;
}

async function createOrder(m: Model, w: World): Promise<void> {
  const items = [
    { item: 'tee-red', wallet: 'AlipayHK' },
    { item: 'mug', wallet: 'Wechat' },
  ];
  const chaos = await chaosNow(w);
  await w.h.control('/chaos', {}); // creation is not what this test is about
  let response = await w.h.createOrder(items[m.orders.length % items.length]);
  // A creation slower than the timeout on a busy machine fails that order: make another.
  for (let i = 0; i < 2 && response.status === 502; i++) {
    response = await w.h.createOrder(items[m.orders.length % items.length]);
  }
  await w.h.control('/chaos', chaos);
  if (response.status !== 201) {
    // Say what the proxy answered and logged, so that a failure on a CI machine explains itself.
    const body = await response.text();
    expect.fail(
      `POST /orders answered ${response.status} ${body}\nthe proxy's last log lines:\n${w.h.logs.slice(-8).join('\n')}`,
    );
  }
  const { orderId } = (await response.json()) as { orderId: string };
  const order = (await w.h.store.getOrder(orderId))!;
  m.orders.push({
    orderId,
    amount: order.amount,
    expiresAt: order.expiresAt,
    gateway: 'unpaid',
    refunds: new Map(),
    inDoubt: undefined,
    everPaid: false,
    seen: ['pending'],
  });
}

const bearer = { authorization: `Bearer ${TOKEN}` };

interface RefundAnswer {
  code?: string;
  refund?: RefundRecord;
  order?: Order;
}

type RefundRequest =
  { retry: true } | { retry: false; kind: 'full' | 'partial' | 'too_large'; percent: number };

/** A refund through `/admin`, with its exact expected outcome. */
async function refund(w: World, o: ModelOrder, request: RefundRequest): Promise<void> {
  let before = (await w.h.store.getOrder(o.orderId))!;
  if (!PAID.includes(before.status) && o.gateway === 'paid') {
    // A notification may be on its way: let it land, so the expectation is exact.
    await settle(w);
    before = (await w.h.store.getOrder(o.orderId))!;
  }
  const left = before.amount - before.refundedAmount;
  const inDoubt = o.inDoubt;
  let body: { amount?: number; refundNo?: string };
  if (request.retry) {
    if (!inDoubt) throw new Error('nothing to retry');
    body = { refundNo: inDoubt.refundNo, amount: inDoubt.amount };
  } else if (request.kind === 'full') {
    body = {};
  } else if (request.kind === 'too_large') {
    body = { amount: left + 1 };
  } else {
    body = { amount: Math.max(1, Math.floor((left * request.percent) / 100)) };
  }
  const amount = body.amount ?? left;
  const answer = await nextApiAnswer(w);
  const response = await w.h.request(`/admin/orders/${o.orderId}/refunds`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const result = (await response.json()) as RefundAnswer;
  const got = { status: response.status, code: result.code, refund: result.refund?.status };
  const at = `refund ${JSON.stringify(body)} of ${o.orderId} (${before.status}, gateway ${answer})`;
  tally(`refund${request.retry ? ' retry' : ''} → ${got.status} ${got.refund ?? got.code}`);

  if (!request.retry) {
    if (amount < 1 || (before.status !== 'paid' && before.status !== 'partially_refunded')) {
      expect(got, at).toMatchObject({ status: 409, code: 'not_refundable' });
      return;
    }
    if (inDoubt) {
      expect(got, at).toMatchObject({ status: 409, code: 'refund_in_flight' });
      return;
    }
    if (amount > left) {
      expect(got, at).toMatchObject({ status: 422, code: 'refund_too_large' });
      return;
    }
  }
  const refundNo = result.refund?.refundNo ?? '';
  const alreadyAccepted = o.refunds.has(refundNo);
  switch (answer) {
    case 'normal': {
      if (got.status === 502 && got.refund === 'pending') {
        // Slower than the timeout on a busy machine: in doubt, as after a hang.
        tally('refund: a normal answer timed out');
        const taken = (await gatewayOrder(w, o.orderId)).refunds.some(
          (r) => r.refundNo === refundNo,
        );
        if (taken) o.refunds.set(refundNo, amount);
        o.inDoubt = { refundNo, amount };
        break;
      }
      expect(got, at).toEqual({ status: 201, code: undefined, refund: 'succeeded' });
      o.refunds.set(refundNo, amount);
      o.inDoubt = undefined;
      const total = refundedAtGateway(o);
      expect(result.order, at).toMatchObject({
        status: total === o.amount ? 'refunded' : 'partially_refunded',
        refundedAmount: total,
      });
      break;
    }
    case 'code':
      if (request.retry) {
        // A refusal of a retry does not prove the earlier try failed (it may have been taken,
        // see alreadyAccepted): the refund stays pending, still in doubt.
        tally(
          `refund retry in doubt, under a refusal code${alreadyAccepted ? ' (taken before)' : ''}`,
        );
        expect(got, at).toEqual({ status: 502, code: 'gateway_error', refund: 'pending' });
        break;
      }
      expect(got, at).toEqual({ status: 502, code: 'gateway_error', refund: 'failed' });
      o.inDoubt = undefined;
      break;
    case 'unavailable':
    case 'hang':
      expect(got, at).toEqual({ status: 502, code: 'gateway_error', refund: 'pending' });
      if (answer === 'hang') o.refunds.set(refundNo, amount);
      o.inDoubt = { refundNo, amount };
      break;
  }
  if (request.retry) expect(refundNo, at).toBe(inDoubt?.refundNo);
}

async function forgedNotification(w: World, o: ModelOrder, status: 1 | 2): Promise<string> {
  const order = (await w.h.store.getOrder(o.orderId))!;
  const signed = await signResponse(
    {
      header: {
        partnerNo: DEFAULT_PARTNER.partnerNo,
        respTime: new Date(w.time.now).toISOString(),
        signType: 'SHA256',
        version: '1.0',
        reqMsgId: 'f0f0f0f0f0f04f0fa0f0f0f0f0f0f0f0',
      },
      body: {
        code: 1,
        msg: 'success',
        orderNo: order.gatewayOrderNo ?? '2405011003000001',
        partnerOrderNo: o.orderId,
        payTime: new Date(w.time.now).toISOString(),
        orderAmount: o.amount,
        wallet: order.wallet,
        currency: order.currency,
        status,
      },
    },
    `forged-${DEFAULT_PARTNER.signKey}`,
    nodeSha256,
  );
  return signed.body;
}

type ModelCommand = fc.AsyncCommand<Model, World>;

/** One command: its label, when it applies, and what it does; the invariants are checked after. */
class Step implements ModelCommand {
  constructor(
    private readonly label: string,
    private readonly applies: (m: Readonly<Model>) => boolean,
    private readonly act: (m: Model, w: World) => Promise<void>,
  ) {}

  check(m: Readonly<Model>): boolean {
    return this.applies(m);
  }

  async run(m: Model, w: World): Promise<void> {
    tally(`command ${this.label.replace(/\(.*/, '')}`);
    await this.act(m, w);
    await timed('invariants', () => checkInvariants(m, w));
  }

  toString(): string {
    return this.label;
  }
}

/** The `index`-th (modulo) of the orders `fits` picks, if any: commands aim at orders they apply to. */
function among(
  m: Readonly<Model>,
  index: number,
  fits: (o: ModelOrder) => boolean = () => true,
): ModelOrder | undefined {
  const candidates = m.orders.filter(fits);
  return candidates[index % Math.max(1, candidates.length)];
}
const orderArb = fc.nat({ max: 5 });
const always = () => true;
const payable = (m: Readonly<Model>) => (o: ModelOrder) =>
  o.gateway === 'unpaid' && m.now < o.expiresAt;
const paidAtGateway = (o: ModelOrder) => o.gateway === 'paid';

/** A command on the `index`-th order that `fits` (the command applies only if there is one). */
function onOrder(
  label: string,
  index: number,
  fits: (m: Readonly<Model>) => (o: ModelOrder) => boolean,
  act: (o: ModelOrder, m: Model, w: World) => Promise<void>,
): Step {
  return new Step(
    `${label.replace('#', `#${index}`)}`,
    (m) => among(m, index, fits(m)) !== undefined,
    (m, w) => act(among(m, index, fits(m))!, m, w),
  );
}

const pay = fc
  .record({ order: orderArb, delivery: deliveryArb, wait: fc.boolean() })
  .map(({ order, delivery, wait }) =>
    onOrder(
      `pay(#, ${describeDelivery(delivery)}${wait ? ', settle' : ''})`,
      order,
      payable,
      async (o, _m, w) => {
        await withDelivery(w, delivery, () => w.h.control(`/orders/${o.orderId}/pay`, {}));
        o.gateway = 'paid';
        if (wait) await settle(w);
      },
    ),
  );

const fail = orderArb.map((order) =>
  onOrder('fail(#)', order, payable, async (o, _m, w) => {
    await w.h.control(`/orders/${o.orderId}/fail`, {});
    o.gateway = 'failed';
  }),
);

const resend = fc.record({ order: orderArb, delivery: deliveryArb }).map(({ order, delivery }) =>
  onOrder(
    `resend(#, ${describeDelivery(delivery)})`,
    order,
    () => paidAtGateway,
    async (o, _m, w) => {
      await withDelivery(w, delivery, () => w.h.control(`/orders/${o.orderId}/notify`));
    },
  ),
);

const forge = fc
  .record({ order: orderArb, status: fc.constantFrom(1 as const, 2 as const) })
  .map(({ order, status }) =>
    onOrder(
      `forge(#, status ${status})`,
      order,
      () => always,
      async (o, _m, w) => {
        const response = await w.h.request('/notify', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: await forgedNotification(w, o, status),
        });
        expect([400, 429]).toContain(response.status);
        expect(await response.text()).not.toBe('success');
      },
    ),
  );

const buyerReturn = fc
  .record({ order: orderArb, method: fc.constantFrom('GET', 'POST form', 'POST json') })
  .map(({ order, method }) =>
    onOrder(
      `return(#, ${method})`,
      order,
      () => always,
      async (o, _m, w) => {
        const json = method === 'POST json';
        const response =
          method === 'GET'
            ? await w.h.request(`/return?partnerOrderNo=${o.orderId}`)
            : await w.h.request('/return', {
                method: 'POST',
                headers: {
                  'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded',
                },
                body: json
                  ? JSON.stringify({ partnerOrderNo: o.orderId })
                  : `partnerOrderNo=${o.orderId}`,
              });
        expect(response.status).toBe(303);
        // `&returned=unpaid` only when the proxy asked and the gateway said "to be paid".
        const location = response.headers.get('location')!;
        expect([
          `${RESULT_URL}?order=${o.orderId}`,
          `${RESULT_URL}?order=${o.orderId}&returned=unpaid`,
        ]).toContain(location);
        if (location.endsWith('&returned=unpaid')) expect(o.gateway).toBe('unpaid');
      },
    ),
  );

const read = orderArb.map((order) =>
  onOrder(
    'read(#)',
    order,
    () => always,
    async (o, m, w) => {
      const response = await w.h.request(`/orders/${o.orderId}`);
      expect(response.status).toBe(200);
      const { status } = (await response.json()) as { status: OrderStatus };
      expect(allowedStatuses(o, m.now), `read of ${o.orderId}`).toContain(status);
    },
  ),
);

const background = fc.constant(
  new Step('background', always, async (_m, w) => {
    await w.h.app.runBackground();
    await w.h.app.idle();
  }),
);

const apiAnswerArb = fc.constantFrom<ApiAnswer>('normal', 'code', 'unavailable', 'hang');

/** Sets how the gateway answers the next call, when the command says so. */
async function answerNext(w: World, answer: ApiAnswer | null): Promise<void> {
  if (answer !== null) await w.h.control('/chaos', apiChaos(answer, 1));
}
const describeAnswer = (answer: ApiAnswer | null) => (answer === null ? '' : `, gateway ${answer}`);

/** Refunds aim at orders the proxy has shown paid, else at ones the gateway has paid, else at any. */
const adminRefund = fc
  .record({
    order: orderArb,
    kind: fc.constantFrom(
      'full' as const,
      'partial' as const,
      'partial' as const,
      'too_large' as const,
    ),
    percent: fc.integer({ min: 1, max: 99 }),
    answer: fc.option(apiAnswerArb),
  })
  .map(({ order, kind, percent, answer }) =>
    onOrder(
      `refund(#, ${kind === 'partial' ? `${percent}%` : kind}${describeAnswer(answer)})`,
      order,
      (m) =>
        m.orders.some((o) => o.everPaid)
          ? (o) => o.everPaid
          : m.orders.some(paidAtGateway)
            ? paidAtGateway
            : always,
      async (o, _m, w) => {
        await answerNext(w, answer);
        await refund(w, o, { retry: false, kind, percent });
      },
    ),
  );

const retryRefund = fc
  .record({ order: orderArb, answer: fc.option(apiAnswerArb) })
  .map(({ order, answer }) =>
    onOrder(
      `retry refund(#${describeAnswer(answer)})`,
      order,
      () => (o) => o.inDoubt !== undefined,
      async (o, _m, w) => {
        await answerNext(w, answer);
        await refund(w, o, { retry: true });
      },
    ),
  );

const clockJump = fc
  .oneof(
    { arbitrary: fc.integer({ min: 1, max: 59 }).map((s) => s * SECOND), weight: 3 },
    { arbitrary: fc.integer({ min: 1, max: 29 }).map((n) => n * MINUTE), weight: 2 },
    // Across the expiry (30 minutes) and its grace (5 more).
    { arbitrary: fc.integer({ min: 30, max: 40 }).map((n) => n * MINUTE), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => n * HOUR), weight: 1 },
  )
  .map(
    (ms) =>
      new Step(`jump(${ms / SECOND} s)`, always, (m, w) => {
        jump(m, w, ms);
        return Promise.resolve();
      }),
  );

const gatewayAnswers = fc
  .record({
    answer: apiAnswerArb,
    times: fc.integer({ min: 1, max: 3 }),
  })
  .map(
    ({ answer, times }) =>
      new Step(
        `gateway(${answer}${answer === 'normal' ? '' : ` ×${times}`})`,
        always,
        async (_m, w) => {
          await w.h.control('/chaos', apiChaos(answer, times));
        },
      ),
  );

const createAnother = fc.constant(new Step('create', (m) => m.orders.length < 4, createOrder));
const settleAll = fc.constant(new Step('settle', always, (_m, w) => settle(w)));

/** Repeated entries are drawn more often. */
const COMMANDS: fc.Arbitrary<ModelCommand>[] = [
  createAnother,
  pay,
  pay,
  pay,
  fail,
  resend,
  forge,
  buyerReturn,
  read,
  background,
  background,
  adminRefund,
  adminRefund,
  retryRefund,
  retryRefund,
  clockJump,
  clockJump,
  gatewayAnswers,
  gatewayAnswers,
  settleAll,
];

// --- the property -----------------------------------------------------------------------------

describe(`the order state machine (${engineName()})`, () => {
  afterAll(async () => {
    if (spare) await closeWorld(spare);
  });

  it(
    `keeps its invariants over ${RUNS} random runs of up to ${MAX_COMMANDS} commands (seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.commands(COMMANDS, {
            maxCommands: MAX_COMMANDS,
            size: 'max',
            ...(REPLAY ? { replayPath: REPLAY } : {}),
          }),
          async (commands) => {
            const w = await timed('opening', nextWorld);
            let passed = false;
            try {
              const m: Model = { now: w.time.now, orders: [] };
              await createOrder(m, w);
              await timed('commands', () =>
                fc.asyncModelRun(() => ({ model: m, real: w }), commands),
              );
              await timed('quiescence', () => quiesce(m, w));
              passed = true;
            } finally {
              if (passed && PATH === undefined) spare = w;
              else await timed('closing', () => closeWorld(w));
            }
          },
        ),
        {
          numRuns: PATH === undefined ? RUNS : 1,
          seed: SEED,
          ...(PATH ? { path: PATH } : {}),
          endOnFailure: !SHRINK,
          verbose: 1,
        },
      );
      if (STATS)
        console.log(
          [...STATS]
            .sort()
            .map(([k, n]) => `${n}\t${k}`)
            .join('\n'),
        );
    },
    30 * 60_000,
  );
});
