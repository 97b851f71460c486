import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PayQueryResponse } from '@scanforpay/protocol';
import { createSqliteStore } from '@scanforpay/server/node';
import type { NewOrder, Order } from '../src/domain/order.js';
import type { Logger } from '../src/logging/create-logger.js';
import { checkOrder, EXPIRY_GRACE_MS, type CheckOrderDeps } from '../src/orders/check-order.js';
import type { OrderStore } from '../src/store/order-store.js';

/** checkOrder with plain objects: an in-memory store, a gateway client that answers one thing. */
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const ORDER_ID = '01KQGP5G00ABCDEFGHJKMNPQRS';
const EXPIRES_AT = T0 + 30 * 60_000;

const NEW_ORDER: NewOrder = {
  orderId: ORDER_ID,
  itemId: 'tee-red',
  title: 'Red tee',
  amount: 19900,
  currency: 'HKD',
  wallet: 'Alipay',
  quantity: 1,
  reference: null,
  createdAt: T0,
  expiresAt: EXPIRES_AT,
  status: 'pending',
  payUrl: 'https://pay.scanforpay.com/cashier/1',
  gatewayOrderNo: 'G1',
  failureCode: null,
  failureMessage: null,
};

const silent: Logger = { log: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let store: OrderStore;
let order: Order;
let now: number;

function depsAnswering(answer: Partial<PayQueryResponse>): CheckOrderDeps {
  return {
    store,
    logger: silent,
    clock: () => now,
    client: {
      queryPayment: async () =>
        ({
          code: 1,
          partnerOrderNo: ORDER_ID,
          orderAmount: 19900,
          currency: 'HKD',
          orderNo: 'G1',
          ...answer,
        }) as PayQueryResponse,
    },
  };
}

beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  await store.insertOrder({ order: NEW_ORDER });
  order = (await store.getOrder(ORDER_ID))!;
  now = T0;
});

afterEach(async () => {
  await store.close();
});

describe('checkOrder', () => {
  describe('when the gateway says unpaid', () => {
    it('leaves the order pending before its expiry and grace', async () => {
      now = EXPIRES_AT + EXPIRY_GRACE_MS - 1;
      const result = await checkOrder(depsAnswering({ status: 0 }), order);

      expect(result).toEqual({ outcome: 'unpaid' });
      expect((await store.getOrder(ORDER_ID))?.status).toBe('pending');
    });

    it('expires the order, with its event, once its expiry and grace are over', async () => {
      now = EXPIRES_AT + EXPIRY_GRACE_MS;
      const result = await checkOrder(depsAnswering({ status: 0 }), order);

      expect(result).toMatchObject({ outcome: 'expired', applied: true });
      expect((await store.getOrder(ORDER_ID))?.status).toBe('expired');
      expect((await store.listEvents(ORDER_ID)).map((e) => e.type)).toEqual(['order.expired']);
    });
  });

  describe('when the gateway says paid', () => {
    it('settles the order paid through settlePayment', async () => {
      now = T0 + 60_000;
      const result = await checkOrder(depsAnswering({ status: 1 }), order);

      expect(result).toMatchObject({ outcome: 'settled', applied: true });
      expect((await store.getOrder(ORDER_ID))?.status).toBe('paid');
      expect(await store.listNotifications(ORDER_ID)).toEqual([]);
    });
  });
});
