import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '@scanforpay/server/node';
import type { NewOrder, Order } from '../src/domain/order.js';
import type { PaymentReport } from '../src/domain/payment-report.js';
import type { Logger } from '../src/logging/create-logger.js';
import {
  settleNotification,
  settlePayment,
  type SettlePaymentDeps,
} from '../src/orders/settle-payment.js';
import type { OrderStore } from '../src/store/order-store.js';

const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);
const ORDER_ID = '01KQGP5G00ABCDEFGHJKMNPQRS';

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
  expiresAt: T0 + 30 * 60_000,
  status: 'pending',
  payUrl: 'https://pay.scanforpay.com/cashier/1',
  gatewayOrderNo: 'G1',
  failureCode: null,
  failureMessage: null,
};

function report(fields: Partial<PaymentReport> = {}): PaymentReport {
  return {
    code: 1,
    partnerOrderNo: ORDER_ID,
    orderAmount: 19900,
    currency: 'HKD',
    status: 1,
    orderNo: 'G1',
    payTime: '2026-05-01T12:05:00Z',
    ...fields,
  };
}

let store: OrderStore;
let warnings: { msg: string; fields: unknown }[];
let deps: SettlePaymentDeps & { store: OrderStore };
let order: Order;

beforeEach(async () => {
  store = createSqliteStore({ path: ':memory:' });
  warnings = [];
  const logger: Logger = {
    log: () => {},
    info: () => {},
    warn: (msg, fields) => warnings.push({ msg, fields }),
    error: () => {},
  };
  deps = { store, logger };
  await store.insertOrder({ order: NEW_ORDER });
  order = (await store.getOrder(ORDER_ID))!;
});

afterEach(async () => {
  await store.close();
});

const notify = (rawBody = '{"signed":"body"}') =>
  ({ via: 'notify', rawBody, receivedAt: T0 + 60_000 }) as const;

describe('settlePayment', () => {
  describe('when a payQuery answer reports the order paid', () => {
    it('moves it to paid with its merchant event, and writes no notification row', async () => {
      const settled = await settlePayment(deps, order, report(), {
        via: 'payQuery',
        receivedAt: T0 + 60_000,
      });

      expect(settled).toMatchObject({ outcome: 'settled', applied: true });
      expect(settled.outcome === 'settled' && settled.order?.status).toBe('paid');
      expect((await store.getOrder(ORDER_ID))?.paidAt).toBe(Date.parse('2026-05-01T12:05:00Z'));
      expect((await store.listEvents(ORDER_ID)).map((e) => e.type)).toEqual(['order.paid']);
      expect(await store.listNotifications(ORDER_ID)).toEqual([]);
    });
  });

  describe('when a notification reports the order paid', () => {
    it('writes the notification row and the transition together, then a re-send is a duplicate', async () => {
      const first = await settlePayment(deps, order, report(), notify());
      const again = await settlePayment(deps, order, report(), notify());

      expect(first).toMatchObject({ outcome: 'settled', applied: true, recorded: 'applied' });
      expect(again).toMatchObject({ outcome: 'settled', applied: false, recorded: 'duplicate' });
      const rows = await store.listNotifications(ORDER_ID);
      expect(rows.map((r) => [r.outcome, r.dedupeKey, r.verified])).toEqual(
        expect.arrayContaining([
          ['applied', `${ORDER_ID}:1:1`, true],
          ['duplicate', `${ORDER_ID}:1:1`, true],
        ]),
      );
      expect(await store.listEvents(ORDER_ID)).toHaveLength(1);
    });
  });

  describe('when the report does not match the order', () => {
    it('records a payQuery mismatch nowhere, logs it and leaves the order pending', async () => {
      const settled = await settlePayment(deps, order, report({ orderAmount: 100 }), {
        via: 'payQuery',
        receivedAt: T0,
      });

      expect(settled).toEqual({ outcome: 'mismatch', reason: 'amount 100 ≠ 19900' });
      expect(warnings).toEqual([
        {
          msg: 'payQuery does not match the order',
          fields: { orderId: ORDER_ID, mismatch: 'amount 100 ≠ 19900' },
        },
      ]);
      expect((await store.getOrder(ORDER_ID))?.status).toBe('pending');
      expect(await store.listNotifications(ORDER_ID)).toEqual([]);
    });

    it('records a notification mismatch as its row, and leaves the order pending', async () => {
      const settled = await settlePayment(deps, order, report({ currency: 'USD' }), notify());

      expect(settled).toEqual({ outcome: 'mismatch', reason: 'currency USD ≠ HKD' });
      const rows = await store.listNotifications(ORDER_ID);
      expect(rows.map((r) => [r.outcome, r.reason])).toEqual([['mismatch', 'currency USD ≠ HKD']]);
      expect(warnings.map((w) => w.msg)).toEqual(['notification does not match the order']);
      expect((await store.getOrder(ORDER_ID))?.status).toBe('pending');
      expect(await store.listEvents(ORDER_ID)).toEqual([]);
    });
  });

  describe('when the report says nothing final', () => {
    it('changes nothing; a notification is kept as ignored with its code and status', async () => {
      const byQuery = await settlePayment(deps, order, report({ status: 0 }), {
        via: 'payQuery',
        receivedAt: T0,
      });
      const byNotify = await settlePayment(deps, order, report({ status: 0 }), notify());

      expect(byQuery).toEqual({ outcome: 'not_final' });
      expect(byNotify).toEqual({ outcome: 'not_final', recorded: 'ignored' });
      const rows = await store.listNotifications(ORDER_ID);
      expect(rows.map((r) => [r.outcome, r.reason])).toEqual([['ignored', 'code 1, status 0']]);
      expect((await store.getOrder(ORDER_ID))?.status).toBe('pending');
    });
  });
});

describe('settleNotification', () => {
  describe('when the order is unknown', () => {
    it('records the verified notification as unknown_order and touches no order', async () => {
      const other = '01KQGP5G00ZZZZZZZZZZZZZZZZ';
      const settled = await settleNotification(
        deps,
        report({ partnerOrderNo: other }),
        notify('{"other":1}'),
      );

      expect(settled).toEqual({ outcome: 'unknown_order' });
      const rows = await store.listNotifications();
      expect(rows.map((r) => [r.orderId, r.outcome, r.rawBody, r.dedupeKey])).toEqual([
        [null, 'unknown_order', '{"other":1}', `${other}:1:1`],
      ]);
      expect((await store.getOrder(ORDER_ID))?.status).toBe('pending');
    });
  });
});
