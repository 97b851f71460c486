import { signResponse } from '@scanforpay/protocol';
import { nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './helpers/harness.js';

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});
beforeEach(async () => {
  await h.control('/reset');
});

async function newOrder(
  body: Record<string, unknown> = { item: 'tee-red', wallet: 'AlipayHK' },
): Promise<string> {
  const response = await h.createOrder(body);
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** A notification as ScanForPay would sign it; override anything to forge one. */
async function notification(
  orderId: string,
  body: Record<string, unknown> = {},
  options: { key?: string; partnerNo?: string } = {},
): Promise<string> {
  const gatewayOrderNo = (await h.store.getOrder(orderId))?.gatewayOrderNo ?? '2405011003000001';
  const signed = await signResponse(
    {
      header: {
        partnerNo: options.partnerNo ?? DEFAULT_PARTNER.partnerNo,
        respTime: '2024-05-01T10:03:12+08:00',
        signType: 'SHA256',
        version: '1.0',
        reqMsgId: 'a0c9e7b1a2f44c6e9a8b7d6c5b4a3f21',
      },
      body: {
        code: 1,
        msg: 'success',
        orderNo: gatewayOrderNo,
        partnerOrderNo: orderId,
        payTime: '2024-05-01T10:03:10+08:00',
        orderAmount: 19900,
        wallet: 'AlipayHK',
        currency: 'HKD',
        status: 1,
        buyerId: '2088123456781234',
        ...body,
      },
    },
    options.key ?? DEFAULT_PARTNER.signKey,
    nodeSha256,
  );
  return signed.body;
}

const post = (raw: string) =>
  h.request('/notify', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw,
  });

const statusOf = async (orderId: string) => (await h.store.getOrder(orderId))?.status;

describe('POST /notify', () => {
  describe('from the sandbox', () => {
    it('marks the order paid and answers exactly success', async () => {
      const orderId = await newOrder();
      await h.control(`/orders/${orderId}/pay`);
      await eventually(async () => ((await statusOf(orderId)) === 'paid' ? true : undefined));
      const { notifications } = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
        notifications: { status: number; answer: string; acknowledged: boolean }[];
      };
      expect(notifications[0]).toMatchObject({
        status: 200,
        answer: 'success',
        acknowledged: true,
      });
      const stored = await h.store.listNotifications(orderId);
      expect(stored).toHaveLength(1);
      expect(stored[0]).toMatchObject({
        verified: true,
        outcome: 'applied',
        dedupeKey: `${orderId}:1:1`,
      });
      expect(stored[0]!.rawBody).toBe((notifications[0] as unknown as { body: string }).body);
      const order = await h.store.getOrder(orderId);
      expect(order?.gatewayOrderNo).toMatch(/^\d{16}$/);
      expect(order?.paidAt).toBeGreaterThan(0);
    });

    it('applies duplicated deliveries once', async () => {
      await h.control('/chaos', { duplicate: 3 });
      const orderId = await newOrder();
      await h.control(`/orders/${orderId}/pay`);
      const stored = await eventually(async () => {
        const rows = await h.store.listNotifications(orderId);
        return rows.length === 4 ? rows : undefined;
      });
      expect(stored.map((n) => n.outcome).sort()).toEqual([
        'applied',
        'duplicate',
        'duplicate',
        'duplicate',
      ]);
      expect(await statusOf(orderId)).toBe('paid');
    });

    it('refuses notifications signed with the wrong key, and the order stays pending', async () => {
      await h.control('/chaos', { wrongKey: true });
      const orderId = await newOrder();
      await h.control(`/orders/${orderId}/pay`);
      const { notifications } = await eventually(async () => {
        const list = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
          notifications: { status: number | null; answer: string }[];
        };
        return list.notifications.length === 3 && list.notifications.every((n) => n.status !== null)
          ? list
          : undefined;
      });
      for (const n of notifications) {
        expect(n.status).toBe(400);
        expect(n.answer).not.toBe('success');
      }
      expect(await statusOf(orderId)).toBe('pending');
      const stored = await h.store.listNotifications();
      expect(
        stored.filter((n) => n.outcome === 'rejected' && n.reason === 'signature: mismatch'),
      ).toHaveLength(3);
    });
  });

  describe('with crafted notifications', () => {
    it('accepts a valid one, with the buyer masked in the log', async () => {
      const orderId = await newOrder();
      const response = await post(await notification(orderId));
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('success');
      expect(await h.store.getOrder(orderId)).toMatchObject({
        status: 'paid',
        paidAt: Date.parse('2024-05-01T10:03:10+08:00'),
      });
      const line = h.logs.findLast((l) => l.includes('"path":"/notify"'))!;
      expect(JSON.parse(line)).toMatchObject({
        orderId,
        outcome: 'applied',
        buyer: `2${'*'.repeat(13)}34`,
      });
      expect(h.logs.join('\n')).not.toContain('2088123456781234');
    });

    it('applies concurrent deliveries of the same notification once', async () => {
      const orderId = await newOrder();
      const raw = await notification(orderId);
      const responses = await Promise.all(Array.from({ length: 25 }, () => post(raw)));
      for (const response of responses) expect(await response.text()).toBe('success');
      const outcomes = (await h.store.listNotifications(orderId)).map((n) => n.outcome);
      expect(outcomes.filter((o) => o === 'applied')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(24);
    });

    it('answers success to a replay after the order moved on, changing nothing', async () => {
      const orderId = await newOrder();
      const paid = await notification(orderId);
      await post(paid);
      await post(await notification(orderId, { status: 3 }));
      expect(await statusOf(orderId)).toBe('refunded');
      const replay = await post(paid);
      expect(await replay.text()).toBe('success');
      expect(await statusOf(orderId)).toBe('refunded');
      expect((await h.store.listNotifications(orderId)).map((n) => n.outcome)).toEqual([
        'applied',
        'applied',
        'ignored',
      ]);
    });

    it('records a gateway failure report as failed', async () => {
      const orderId = await newOrder();
      expect(await (await post(await notification(orderId, { status: 2 }))).text()).toBe('success');
      expect(await statusOf(orderId)).toBe('failed');
    });

    it.each([
      ['unpaid status', { status: 0 }],
      ['a failure code', { code: 1004, msg: 'error' }],
    ])('acknowledges but ignores %s', async (_, body) => {
      const orderId = await newOrder();
      expect(await (await post(await notification(orderId, body))).text()).toBe('success');
      expect(await statusOf(orderId)).toBe('pending');
      expect((await h.store.listNotifications(orderId))[0]).toMatchObject({
        outcome: 'ignored',
        verified: true,
      });
    });

    const refused: [string, (orderId: string) => Promise<string>, number, string, string][] = [
      [
        'forged (wrong key)',
        (id) => notification(id, {}, { key: 'not-the-sign-key' }),
        400,
        'invalid_notification',
        'rejected',
      ],
      [
        'altered after signing',
        async (id) =>
          (await notification(id)).replace('"orderAmount":19900', '"orderAmount":19901'),
        400,
        'invalid_notification',
        'rejected',
      ],
      [
        'unsigned',
        async (id) => (await notification(id)).replace(/,"signature":"[0-9a-f]+"/, ''),
        400,
        'invalid_notification',
        'rejected',
      ],
      [
        'not JSON',
        () => Promise.resolve('partnerOrderNo=1&status=1'),
        400,
        'invalid_notification',
        'rejected',
      ],
      [
        'for another partner',
        (id) => notification(id, {}, { partnerNo: '100000000000999' }),
        400,
        'invalid_notification',
        'rejected',
      ],
      [
        'for another amount',
        (id) => notification(id, { orderAmount: 1 }),
        422,
        'notification_mismatch',
        'mismatch',
      ],
      [
        'for another gateway order',
        (id) => notification(id, { orderNo: '1999010100000001' }),
        422,
        'notification_mismatch',
        'mismatch',
      ],
      [
        'in another currency',
        (id) => notification(id, { currency: 'USD' }),
        422,
        'notification_mismatch',
        'mismatch',
      ],
      [
        'for an unknown order',
        () => notification('UNKNOWNORDER0000000000000000000'),
        404,
        'order_not_found',
        'unknown_order',
      ],
    ];
    it.each(refused)(
      'refuses one %s, records it and changes nothing',
      async (_, make, status, code, outcome) => {
        const orderId = await newOrder();
        const before = await h.store.getOrder(orderId);
        const count = (await h.store.listNotifications()).length;
        const response = await post(await make(orderId));
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('application/problem+json');
        const text = await response.text();
        expect(text).not.toBe('success');
        expect(JSON.parse(text)).toMatchObject({ code });
        expect(await h.store.getOrder(orderId)).toEqual(before);
        const stored = await h.store.listNotifications();
        expect(stored).toHaveLength(count + 1);
        expect(stored.at(-1)).toMatchObject({ outcome, verified: outcome !== 'rejected' });
      },
    );

    it('answers an error, not success, when the store cannot commit', async () => {
      const broken = await createHarness({ noSandbox: true });
      try {
        const raw = await notification('ANYORDER');
        await broken.query('DROP TABLE notifications');
        const response = await broken.request('/notify', { method: 'POST', body: raw });
        expect(response.status).toBe(500);
        expect(await response.text()).not.toBe('success');
      } finally {
        await broken.close();
      }
    });
  });
});
