import { openNotification } from '@scanforpay/protocol';
import type { Transport } from '@scanforpay/protocol';
import { describe, expect, it } from 'vitest';
import {
  call,
  clock,
  idle,
  json,
  makeSandbox,
  orderBody,
  PARTNER,
  pluginCheck,
  recordingTransport,
  referenceTimer,
  waitFor,
} from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function payOne(app: ReturnType<typeof makeSandbox>, no = 'n1', extra = {}) {
  await call(app, '/api/online/create', orderBody(no, extra));
  const res = await app.request(`/__sandbox/orders/${no}/pay`, { method: 'POST' });
  expect(res.status).toBe(200);
  return json(res);
}

describe('notifications', () => {
  it('POSTs a signed response envelope shaped like the docs sample D', async () => {
    const rec = recordingTransport();
    const app = makeSandbox({ transport: rec.transport, now: clock().now });
    await payOne(app);
    await waitFor(() => rec.calls.length === 1);
    const { url, body, headers } = rec.calls[0]!;
    expect(url).toBe('https://shop.example/notify');
    expect(headers['content-type']).toBe('application/json');
    expect(await pluginCheck(body, PARTNER.signKey)).toBe(true);
    const notice = await openNotification(body, PARTNER.signKey, { partnerNo: PARTNER.partnerNo });
    expect(Object.keys(notice.header)).toEqual([
      'partnerNo',
      'respTime',
      'signType',
      'version',
      'reqMsgId',
    ]);
    expect(notice.header.reqMsgId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(Object.keys(notice.body)).toEqual([
      'code',
      'msg',
      'orderNo',
      'partnerOrderNo',
      'payTime',
      'orderAmount',
      'wallet',
      'currency',
      'status',
      'buyer',
      'buyerId',
    ]);
    expect(notice.body).toMatchObject({
      code: 1,
      msg: 'success',
      partnerOrderNo: 'n1',
      payTime: '2024-05-01T10:00:00+08:00',
      orderAmount: 1999,
      wallet: 'AlipayHK',
      currency: 'HKD',
      status: 1,
    });
  });

  it('retries until the answer is success, then stops', async () => {
    const rec = recordingTransport((n) =>
      n < 3 ? { status: 200, text: 'fail' } : { status: 200, text: 'success\n' },
    );
    const app = makeSandbox({ transport: rec.transport, notifySchedule: [0, 10, 10, 10, 10] });
    await payOne(app);
    await waitFor(() => rec.calls.length === 3);
    await idle(app);
    expect(rec.calls).toHaveLength(3);
    const log = app.sandbox.notifications;
    expect(log.map((n) => [n.attempt, n.status, n.answer, n.acknowledged])).toEqual([
      [1, 200, 'fail', false],
      [2, 200, 'fail', false],
      [3, 200, 'success\n', true],
    ]);
    expect(new Set(log.map((n) => n.body)).size).toBe(1);
  });

  it('gives up after the last scheduled try, and does not take a non-2xx success', async () => {
    const rec = recordingTransport(() => ({ status: 500, text: 'success' }));
    const app = makeSandbox({ transport: rec.transport, notifySchedule: [0, 5, 5] });
    await payOne(app);
    await waitFor(() => rec.calls.length === 3);
    await idle(app);
    expect(rec.calls).toHaveLength(3);
    expect(app.sandbox.notifications.every((n) => !n.acknowledged)).toBe(true);
  });

  it('records network errors and timeouts, and retries after them', async () => {
    let n = 0;
    const transport: Transport = (_url, init) => {
      n++;
      if (n === 1) return Promise.reject(new Error('connect ECONNREFUSED'));
      if (n === 2) {
        return new Promise((_resolve, reject) =>
          init.signal!.addEventListener('abort', () => reject(new Error('aborted'))),
        );
      }
      return Promise.resolve({ status: 200, text: 'success' });
    };
    const app = makeSandbox({ transport, notifySchedule: [0, 5, 5], notifyTimeoutMs: 30 });
    await payOne(app);
    await waitFor(() => app.sandbox.notifications.some((r) => r.acknowledged));
    expect(app.sandbox.notifications.map((r) => r.error ?? 'ok')).toEqual([
      'connect ECONNREFUSED',
      'timed out after 30 ms',
      'ok',
    ]);
    expect(app.sandbox.notifications[0]!.status).toBeNull();
  });

  it('sends nothing without a notifyUrl, and nothing on fail, cancel or expire', async () => {
    const rec = recordingTransport();
    const app = makeSandbox({ transport: rec.transport });
    await payOne(app, 'silent', { notifyUrl: '' });
    for (const [no, action] of [
      ['f', 'fail'],
      ['c', 'cancel'],
      ['e', 'expire'],
    ] as const) {
      await call(app, '/api/online/create', orderBody(no));
      expect(
        (await app.request(`/__sandbox/orders/${no}/${action}`, { method: 'POST' })).status,
      ).toBe(200);
    }
    await idle(app);
    expect(rec.calls).toHaveLength(0);
  });

  it('re-sends a paid order’s notification on demand, the same bytes', async () => {
    const rec = recordingTransport();
    const app = makeSandbox({ transport: rec.transport });
    await payOne(app);
    await waitFor(() => rec.calls.length === 1);
    const res = await app.request('/__sandbox/orders/n1/notify', { method: 'POST' });
    expect(res.status).toBe(200);
    await waitFor(() => rec.calls.length === 2);
    expect(rec.calls[1]!.body).toBe(rec.calls[0]!.body);
    expect(app.sandbox.notifications[1]!.copy).toBe(1);
  });

  describe('chaos', () => {
    async function withChaos(
      chaos: object,
      transport = recordingTransport(),
      reorderWindowMs = 30,
    ) {
      const app = makeSandbox({ transport: transport.transport, reorderWindowMs });
      const res = await app.request('/__sandbox/chaos', {
        method: 'POST',
        body: JSON.stringify(chaos),
      });
      expect(res.status).toBe(200);
      return { app, calls: transport.calls };
    }

    it('duplicate sends each notification N extra times', async () => {
      const { app, calls } = await withChaos({ duplicate: 2 });
      await payOne(app);
      await waitFor(() => calls.length === 3);
      await idle(app);
      expect(calls).toHaveLength(3);
      expect(new Set(calls.map((c) => c.body)).size).toBe(1);
      expect(app.sandbox.notifications.map((n) => n.copy)).toEqual([0, 1, 2]);
    });

    it('delayMs holds each notification', async () => {
      const rec = recordingTransport();
      const firedBySend: boolean[] = [];
      const transport: Transport = (url, init) => {
        firedBySend.push(reference.fired());
        return rec.transport(url, init);
      };
      const { app } = await withChaos({ delayMs: 80 }, { transport, calls: rec.calls });
      // The first attempt waits 0 + 80 ms: a reference timer of 80 ms set before fires first.
      const reference = referenceTimer(80);
      await payOne(app);
      await waitFor(() => rec.calls.length === 1);
      expect(firedBySend).toEqual([true]);
    });

    it('dropFirst drops the first N attempts, which then count as failures', async () => {
      const { app, calls } = await withChaos({ dropFirst: 2 });
      await payOne(app);
      await waitFor(() => calls.length === 1);
      const log = app.sandbox.notifications;
      expect(log.map((n) => [n.attempt, n.error ?? null, n.acknowledged])).toEqual([
        [1, 'dropped by chaos (dropFirst)', false],
        [2, 'dropped by chaos (dropFirst)', false],
        [3, null, true],
      ]);
      expect(app.sandbox.chaos.dropFirst).toBe(0);
    });

    it('reorder delivers held notifications newest first', async () => {
      const { app, calls } = await withChaos({ reorder: true }, recordingTransport(), 500);
      for (const no of ['a', 'b', 'c']) await call(app, '/api/online/create', orderBody(no));
      // The window opens at the first payment. The sandbox's timers cannot be injected, so it
      // is made far longer than three in-process payments (the orders exist already), and
      // checked to be still open after the third.
      for (const no of ['a', 'b', 'c'])
        await app.request(`/__sandbox/orders/${no}/pay`, { method: 'POST' });
      expect(calls, 'the reorder window closed before the third payment').toHaveLength(0);
      await waitFor(() => calls.length === 3);
      const order = calls.map(
        (c) =>
          (JSON.parse(c.body) as { response: { body: { partnerOrderNo: string } } }).response.body
            .partnerOrderNo,
      );
      expect(order).toEqual(['c', 'b', 'a']);
    });

    it('wrongKey signs with another key', async () => {
      const { app, calls } = await withChaos({ wrongKey: true });
      await payOne(app);
      await waitFor(() => calls.length === 1);
      expect(await pluginCheck(calls[0]!.body, PARTNER.signKey)).toBe(false);
      await expect(openNotification(calls[0]!.body, PARTNER.signKey)).rejects.toThrow(
        /does not match/,
      );
      // Clearing chaos restores good notifications.
      await app.request('/__sandbox/chaos', { method: 'POST', body: '{}' });
      await app.request('/__sandbox/orders/n1/notify', { method: 'POST' });
      await waitFor(() => calls.length >= 2);
      expect(await pluginCheck(calls.at(-1)!.body, PARTNER.signKey)).toBe(true);
    });
  });

  it('dispose() cancels pending retries', async () => {
    const rec = recordingTransport(() => ({ status: 200, text: 'no' }));
    const app = makeSandbox({ transport: rec.transport, notifySchedule: [0, 30, 30] });
    await payOne(app);
    await waitFor(() => rec.calls.length === 1);
    app.sandbox.dispose();
    await sleep(80);
    expect(rec.calls).toHaveLength(1);
    expect(app.sandbox.timers.size).toBe(0);
  });
});
