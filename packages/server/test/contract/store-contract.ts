import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type {
  NewOrder,
  NotificationInput,
  OrderStatus,
  OrderStore,
} from '@scanforpay/server/store';
import { openEngine, type Engine } from '../helpers/engines.js';

/**
 * What every part of the OrderStore contract shares. Each `*.contract.test.ts` runs unchanged
 * on SQLite, Postgres and D1 (one vitest project per engine, see vitest.config.ts), each on the
 * real engine, with a fresh empty store per test.
 */
let engine: Engine;
let store: OrderStore;
let n = 0;

/** Opens the engine for this file and a new store before each test; `opened` receives both. */
export function useStore(opened: (store: OrderStore, engine: Engine) => void): void {
  beforeAll(async () => {
    engine = await openEngine();
  });
  afterAll(async () => {
    await engine.close();
  });
  beforeEach(async () => {
    store = await engine.open();
    opened(store, engine);
  });
  afterEach(async () => {
    await store.close().catch(() => {});
  });
}

export function newOrder(overrides: Partial<NewOrder> = {}): NewOrder {
  n += 1;
  return {
    orderId: `ORDER${String(n).padStart(6, '0')}`,
    itemId: 'tee-red',
    title: 'Red tee',
    amount: 19900,
    currency: 'HKD',
    wallet: 'AlipayHK',
    quantity: 1,
    reference: null,
    createdAt: 1_000,
    expiresAt: 1_000 + 1_800_000,
    status: 'pending',
    payUrl: `https://pay.example/cashier/${n}`,
    gatewayOrderNo: null,
    failureCode: null,
    failureMessage: null,
    ...overrides,
  };
}

/** A new order in the current store, moved to `status` by the allowed transitions. */
export async function orderIn(
  status: OrderStatus,
  overrides: Partial<NewOrder> = {},
): Promise<string> {
  const order = newOrder(overrides);
  await store.insertOrder({ order });
  const path: Record<OrderStatus, OrderStatus[]> = {
    pending: [],
    paid: ['paid'],
    failed: ['failed'],
    expired: ['expired'],
    refunded: ['paid', 'refunded'],
    partially_refunded: ['paid', 'partially_refunded'],
  };
  for (const to of path[status]) {
    const result = await store.transition(order.orderId, { to, at: 2_000 });
    expect(result.applied).toBe(true);
  }
  return order.orderId;
}

export function paidNotification(orderId: string, receivedAt: number): NotificationInput {
  return {
    orderId,
    dedupeKey: `${orderId}:1:1`,
    rawBody: '{"response":{}}',
    verified: true,
    outcome: 'ignored',
    reason: null,
    receivedAt,
    transition: { orderId, input: { to: 'paid', at: receivedAt } },
  };
}
