import { createSandbox } from '@scanforpay/sandbox';
import { describe, expect, it } from 'vitest';
import {
  call,
  idle,
  json,
  makeSandbox,
  orderBody,
  PARTNER,
  recordingTransport,
  referenceTimer,
  waitFor,
} from './helpers.js';

const post = (app: ReturnType<typeof makeSandbox>, path: string, body?: unknown) =>
  app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

describe('control API', () => {
  it('is off unless enabled, and says how to turn it on', async () => {
    const app = createSandbox();
    const res = await app.request('/__sandbox/orders/x/pay', { method: 'POST' });
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/control: true/) },
    });
  });

  it('pays an order: 200 with the order, 404 when unknown, 409 when not payable', async () => {
    const app = makeSandbox({ transport: recordingTransport().transport });
    await call(app, '/api/online/create', orderBody('c1'));
    const paid = await post(app, '/__sandbox/orders/c1/pay');
    expect(paid.status).toBe(200);
    const body = await json(paid);
    expect(body).toMatchObject({
      ok: true,
      order: { partnerOrderNo: 'c1', state: 'paid', status: 1, orderAmount: 1999 },
    });
    const again = await post(app, '/__sandbox/orders/c1/pay');
    expect(again.status).toBe(409);
    expect(await json(again)).toMatchObject({
      ok: false,
      error: { code: 1008, message: 'order is paid; it cannot become paid' },
    });
    const unknown = await post(app, '/__sandbox/orders/nope/pay');
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toMatchObject({
      ok: false,
      error: { code: 1006, message: 'order not found: nope' },
    });
  });

  it('fails and expires orders, which then cannot be paid', async () => {
    const app = makeSandbox();
    await call(app, '/api/online/create', orderBody('f1'));
    await call(app, '/api/online/create', orderBody('e1'));
    expect(await json(await post(app, '/__sandbox/orders/f1/fail'))).toMatchObject({
      order: { state: 'failed', status: 2 },
    });
    expect(await json(await post(app, '/__sandbox/orders/e1/expire'))).toMatchObject({
      order: { state: 'expired', status: 2 },
    });
    const late = await post(app, '/__sandbox/orders/e1/pay');
    expect(late.status).toBe(409);
    expect(await json(late)).toMatchObject({ error: { code: 1009 } });
    const q = await call(app, '/api/common/payQuery', { partnerOrderNo: 'e1' });
    expect(q.body.status).toBe(2);
  });

  it('shows an order by partnerOrderNo or orderNo, and lists orders and partners', async () => {
    const app = makeSandbox();
    const created = await call(app, '/api/online/create', orderBody('v1'));
    const byNo = await json(await app.request(`/__sandbox/orders/${String(created.body.orderNo)}`));
    const byPartnerNo = await json(await app.request('/__sandbox/orders/v1'));
    expect(byNo).toEqual(byPartnerNo);
    expect(byPartnerNo.order).toMatchObject({
      partnerNo: PARTNER.partnerNo,
      storeNo: PARTNER.storeNo,
      orderNo: created.body.orderNo,
      state: 'pending',
      status: 0,
      wallet: 'AlipayHK',
      currency: 'HKD',
      refundedAmount: 0,
      refunds: [],
      payUrl: created.body.payUrl,
      payTime: null,
    });
    expect(((await json(await app.request('/__sandbox/orders'))).orders as unknown[]).length).toBe(
      1,
    );
    expect(await json(await app.request('/__sandbox/partners'))).toEqual({
      partners: [
        {
          partnerNo: PARTNER.partnerNo,
          storeNo: PARTNER.storeNo,
          merchantName: 'ScanForPay Sandbox Shop',
          currencies: ['HKD', 'CNY', 'RMB', 'USD'],
        },
      ],
    });
  });

  it('asks for ?partnerNo= when two partners share a partnerOrderNo', async () => {
    const other = {
      partnerNo: '100000000000002',
      storeNo: '200000000000002',
      signKey: 'other-key',
    };
    const app = makeSandbox({ partners: [PARTNER, other] });
    await call(app, '/api/online/create', orderBody('same'));
    await call(app, '/api/online/create', orderBody('same', { storeNo: other.storeNo }), {
      partnerNo: other.partnerNo,
      key: other.signKey,
      verifyKey: other.signKey,
    });
    expect((await app.request('/__sandbox/orders/same')).status).toBe(409);
    const res = await app.request(`/__sandbox/orders/same?partnerNo=${other.partnerNo}`);
    expect(await json(res)).toMatchObject({ order: { partnerNo: other.partnerNo } });
  });

  it('lists notifications, optionally for one order', async () => {
    const rec = recordingTransport();
    const app = makeSandbox({ transport: rec.transport });
    for (const no of ['l1', 'l2']) {
      await call(app, '/api/online/create', orderBody(no));
      await post(app, `/__sandbox/orders/${no}/pay`);
    }
    await waitFor(() => rec.calls.length === 2);
    await idle(app);
    const all = (await json(await app.request('/__sandbox/notifications'))).notifications as Record<
      string,
      unknown
    >[];
    expect(all).toHaveLength(2);
    expect(all[0]).toMatchObject({
      id: 1,
      partnerOrderNo: 'l1',
      url: 'https://shop.example/notify',
      attempt: 1,
      status: 200,
      answer: 'success',
      acknowledged: true,
    });
    expect(all[0]!.body).toMatch(/^{"response":/);
    expect(new Date(String(all[0]!.at)).toString()).not.toBe('Invalid Date');
    const one = (await json(await app.request('/__sandbox/notifications?partnerOrderNo=l2')))
      .notifications as unknown[];
    expect(one).toHaveLength(1);
  });

  describe('chaos', () => {
    it('sets, shows and clears chaos; refuses unknown or bad options', async () => {
      const app = makeSandbox();
      expect(
        await json(await post(app, '/__sandbox/chaos', { duplicate: 1, wrongKey: true })),
      ).toEqual({
        ok: true,
        chaos: { duplicate: 1, wrongKey: true },
      });
      expect(await json(await app.request('/__sandbox/chaos'))).toEqual({
        chaos: { duplicate: 1, wrongKey: true },
      });
      expect(await json(await post(app, '/__sandbox/chaos', {}))).toEqual({ ok: true, chaos: {} });
      for (const bad of [
        { dupicate: 1 },
        { duplicate: -1 },
        { delayMs: 'x' },
        { reorder: 1 },
        { apiCode: 1 },
        { apiStatus: 99 },
        [1],
      ]) {
        const res = await post(app, '/__sandbox/chaos', bad);
        expect(res.status).toBe(400);
        expect(await json(res)).toMatchObject({
          ok: false,
          error: { message: expect.stringMatching(/^chaos: /) },
        });
      }
      expect((await post(app, '/__sandbox/chaos', '{nope')).status).toBe(400);
    });

    it('apiCode makes the API answer a signed failure code, changing nothing', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiCode: 1099 });
      const res = await call(app, '/api/online/create', orderBody('x'));
      expect(res.body).toEqual({ code: 1099, msg: 'sandbox chaos: code 1099' });
      expect(app.sandbox.orders.all()).toHaveLength(0);
    });

    it('apiStatus makes the API answer that HTTP status', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiStatus: 503, apiTimes: 1 });
      const res = await app.request('/api/online/create', { method: 'POST', body: '{}' });
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('sandbox chaos: HTTP 503');
      expect(app.sandbox.chaos).toEqual({});
      expect((await call(app, '/api/online/create', orderBody('x'))).body.code).toBe(1);
    });

    it('apiStatus 204 answers with no body', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiStatus: 204 });
      const res = await app.request('/api/common/payQuery', { method: 'POST', body: '{}' });
      expect(res.status).toBe(204);
      expect(await res.text()).toBe('');
    });

    it('apiHangMs holds the answer after processing', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiHangMs: 600_000 });
      let answered = false;
      const pending = call(app, '/api/online/create', orderBody('h')).finally(
        () => (answered = true),
      );
      await waitFor(() => app.sandbox.timers.size === 1);
      expect(app.sandbox.orders.all()).toHaveLength(1);
      expect(answered).toBe(false);
      app.sandbox.timers.clear(); // ends the hang, as a reset or a shutdown does
      expect((await pending).body.code).toBe(1);
    });

    it('apiHangMs holds the answer that long', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiHangMs: 80 });
      const reference = referenceTimer(80);
      await call(app, '/api/online/create', orderBody('h'));
      expect(reference.fired()).toBe(true);
    });

    it('apiTimes limits API chaos to the next N calls', async () => {
      const app = makeSandbox();
      await post(app, '/__sandbox/chaos', { apiCode: 1099, apiTimes: 2, duplicate: 1 });
      expect((await call(app, '/api/common/payQuery', { partnerOrderNo: 'a' })).body.code).toBe(
        1099,
      );
      expect((await call(app, '/api/common/payQuery', { partnerOrderNo: 'a' })).body.code).toBe(
        1099,
      );
      expect((await call(app, '/api/common/payQuery', { partnerOrderNo: 'a' })).body.code).toBe(
        1006,
      );
      expect(app.sandbox.chaos).toEqual({ duplicate: 1 });
    });
  });

  it('reset clears orders, notifications and chaos', async () => {
    const app = makeSandbox({ transport: recordingTransport().transport });
    await call(app, '/api/online/create', orderBody('r'));
    await post(app, '/__sandbox/orders/r/pay');
    await post(app, '/__sandbox/chaos', { duplicate: 3 });
    await waitFor(() => app.sandbox.notifications.length === 1);
    expect(await json(await post(app, '/__sandbox/reset'))).toEqual({ ok: true });
    expect(app.sandbox.orders.all()).toHaveLength(0);
    expect(app.sandbox.notifications).toHaveLength(0);
    expect(app.sandbox.chaos).toEqual({});
    expect(
      (await call(app, '/api/online/create', orderBody('r', { orderAmount: 5 }))).body.code,
    ).toBe(1);
  });

  it('serves /healthz', async () => {
    const res = await createSandbox().request('/healthz');
    expect(await res.json()).toEqual({ ok: true });
  });
});
