import { createHeader, encodeJson, sign, signRequest } from '@scanforpay/protocol';
import { RESULT_CODES } from '@scanforpay/sandbox';
import { describe, expect, it } from 'vitest';
import {
  call,
  clock,
  makeSandbox,
  orderBody,
  PARTNER,
  pluginCheck,
  post,
  T0,
  type CallResult,
} from './helpers.js';

const VECTOR_A =
  '{"header":{"version":"1.0","partnerNo":"100000000000001","reqMsgId":"","reqTime":"2024-05-01T10:00:00+08:00","signType":"SHA256"},"body":{"storeNo":"200000000000001","partnerOrderNo":"240501100000123","wallet":"AlipayHK","orderAmount":1999,"orderTitle":"\\u6e2c\\u8a66\\u5546\\u54c1\\u7b49\\u51712\\u4ef6\\u5546\\u54c1","operatorId":"","terminalNo":"","currency":"HKD","notifyUrl":"https:\\/\\/shop.example\\/?wc-api=payment_notify","returnUrl":"https:\\/\\/shop.example\\/?wc-api=payment_callback&partnerOrderNo=240501100000123"}}';
const VECTOR_A_SIGNATURE = '0cfc5ff5ea49049aa5b676826f294d377bea34a27a726bd4c50852314ef055c4';
const DEMO = { partnerNo: PARTNER.partnerNo, storeNo: PARTNER.storeNo, signKey: 'demo-sign-key' };

/** Every answer, errors included, must pass the production plugin's check. */
async function expectWellFormed(result: CallResult, key = PARTNER.signKey) {
  expect(result.status).toBe(200);
  expect(result.text.startsWith('{"response":{"header":')).toBe(true);
  expect(result.text).toMatch(/,"signature":"[0-9a-f]{64}"}$/);
  expect(await pluginCheck(result.text, key)).toBe(true);
  const msg = String(result.body.msg);
  expect(msg).not.toMatch(/response|signature/i);
  expect(msg.length).toBeLessThanOrEqual(100);
}

async function expectError(result: CallResult, code: number, msg: RegExp) {
  await expectWellFormed(result);
  expect(result.body.code).toBe(code);
  expect(String(result.body.msg)).toMatch(msg);
}

describe('gateway', () => {
  describe('create', () => {
    it('accepts the PHP client bytes of vector A and answers a signed payUrl', async () => {
      const app = makeSandbox({ partners: [DEMO], now: clock().now });
      expect(await sign(VECTOR_A, 'demo-sign-key')).toBe(VECTOR_A_SIGNATURE);
      const res = await post(
        app,
        '/api/online/create',
        `{"request":${VECTOR_A},"signature":"${VECTOR_A_SIGNATURE}"}`,
        'demo-sign-key',
      );
      await expectWellFormed(res, 'demo-sign-key');
      expect(Object.keys(res.header)).toEqual([
        'version',
        'partnerNo',
        'respMsgId',
        'respTime',
        'signType',
      ]);
      expect(res.header.respTime).toBe('2024-05-01T10:00:00+08:00');
      expect(Object.keys(res.body)).toEqual(['code', 'msg', 'payUrl', 'orderNo', 'partnerOrderNo']);
      expect(res.body).toMatchObject({
        code: 1,
        msg: 'success',
        partnerOrderNo: '240501100000123',
      });
      expect(res.body.orderNo).toBe('2024050110000001');
      expect(res.body.payUrl).toMatch(/^http:\/\/localhost\/cashier\/[0-9a-f]{32}$/);
      const order = app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, '240501100000123');
      expect(order?.orderTitle).toBe('測試商品等共2件商品');
      expect(order?.notifyUrl).toBe('https://shop.example/?wc-api=payment_notify');
    });

    it('accepts the same data serialized JavaScript-style, since it hashes the raw text', async () => {
      const app = makeSandbox({ partners: [DEMO], now: clock().now });
      const jsText = JSON.stringify(JSON.parse(VECTOR_A));
      const signature = await sign(jsText, 'demo-sign-key');
      expect(signature).toBe('e5f946ef81209621470e6f42379d8a5e8dc56ca9d2500dd81bb146f54f63107c');
      const pretty = `{\n  "request": ${jsText},\n  "signature": "${signature.toUpperCase()}"\n}\n`;
      const res = await post(app, '/api/online/create', pretty, 'demo-sign-key');
      expect(res.body.code).toBe(1);
    });

    it('refuses vector A with one byte changed', async () => {
      const app = makeSandbox({ partners: [DEMO] });
      const tampered = VECTOR_A.replace('1999', '1998');
      const res = await post(
        app,
        '/api/online/create',
        `{"request":${tampered},"signature":"${VECTOR_A_SIGNATURE}"}`,
        'demo-sign-key',
      );
      expect(res.body.code).toBe(RESULT_CODES.badSign);
      expect(res.body.msg).toMatch(/^sign check failed/);
    });

    it('serves /api/offline/qrcode with Wechat and Alipay', async () => {
      const app = makeSandbox();
      for (const wallet of ['Wechat', 'Alipay']) {
        const res = await call(app, '/api/offline/qrcode', orderBody(`q-${wallet}`, { wallet }));
        expect(res.body.code).toBe(1);
      }
      expect(app.sandbox.view(app.sandbox.orders.all()[0]!).endpoint).toBe('qrcode');
    });

    it('accepts requestTime instead of reqTime, a 36-char reqMsgId, doc key order and no signType', async () => {
      const app = makeSandbox();
      const header = {
        requestTime: '2018-07-25T18:06:05+08:00',
        partnerNo: PARTNER.partnerNo,
        version: '1.0',
        reqMsgId: 'fd03f269-3180-4575-8af0-8f6cf324fb0f',
      };
      const res = await call(app, '/api/online/create', orderBody('p-doc'), { header });
      expect(res.body.code).toBe(1);
    });

    it('ignores unknown body fields', async () => {
      const app = makeSandbox();
      const res = await call(
        app,
        '/api/online/create',
        orderBody('p-x', { tradeSummary: true, foo: [1] }),
      );
      expect(res.body.code).toBe(1);
    });

    it('uses publicUrl for payUrl', async () => {
      const app = makeSandbox({ publicUrl: 'https://sandbox.test/' });
      const res = await call(app, '/api/online/create', orderBody('p-pub'));
      expect(res.body.payUrl).toMatch(/^https:\/\/sandbox\.test\/cashier\/[0-9a-f]{32}$/);
    });

    it('gives the same order back for the same content, and 1005 for other content', async () => {
      const app = makeSandbox();
      const first = await call(app, '/api/online/create', orderBody('dup'));
      const again = await call(app, '/api/online/create', orderBody('dup', { unknownField: 1 }));
      expect(again.body.code).toBe(1);
      expect(again.body.payUrl).toBe(first.body.payUrl);
      expect(again.body.orderNo).toBe(first.body.orderNo);
      const other = await call(app, '/api/online/create', orderBody('dup', { orderAmount: 2000 }));
      await expectError(
        other,
        RESULT_CODES.duplicateOrder,
        /dup already exists with another orderAmount/,
      );
      const qr = await call(app, '/api/offline/qrcode', orderBody('dup', { wallet: 'Alipay' }));
      expect(qr.body.code).toBe(RESULT_CODES.duplicateOrder);
      expect(app.sandbox.orders.all()).toHaveLength(1);
    });

    it('numbers orders with 16 increasing digits', async () => {
      const app = makeSandbox({ now: clock().now });
      const numbers: string[] = [];
      for (let i = 0; i < 120; i++) {
        const res = await call(app, '/api/online/create', orderBody(`n${i}`));
        numbers.push(String(res.body.orderNo));
      }
      expect(numbers.every((n) => /^\d{16}$/.test(n))).toBe(true);
      expect(new Set(numbers).size).toBe(120);
      expect([...numbers].sort()).toEqual(numbers);
      expect(numbers[0]).toBe('2024050110000001');
    });

    const invalid: [string, Record<string, unknown>, number, RegExp][] = [
      ['a missing storeNo', { storeNo: undefined }, 1004, /missing field body\.storeNo/],
      [
        'an empty partnerOrderNo',
        { partnerOrderNo: '' },
        1004,
        /missing field body\.partnerOrderNo/,
      ],
      [
        'a too-long partnerOrderNo',
        { partnerOrderNo: 'x'.repeat(33) },
        1004,
        /body\.partnerOrderNo: at most 32/,
      ],
      [
        'a too-long orderTitle',
        { orderTitle: '長'.repeat(101) },
        1004,
        /body\.orderTitle: at most 100/,
      ],
      [
        'a too-long notifyUrl',
        { notifyUrl: `https://a.example/${'x'.repeat(190)}` },
        1004,
        /body\.notifyUrl: at most 200/,
      ],
      ['a relative returnUrl', { returnUrl: '/return' }, 1004, /body\.returnUrl: an absolute http/],
      ['an unknown wallet', { wallet: 'PayPal' }, 1004, /body\.wallet/],
      ['a wallet in the wrong case', { wallet: 'alipayhk' }, 1004, /body\.wallet/],
      ['a decimal amount', { orderAmount: 19.99 }, 1004, /body\.orderAmount: an integer amount/],
      ['a string amount', { orderAmount: '1999' }, 1004, /body\.orderAmount/],
      ['a zero amount', { orderAmount: 0 }, 1004, /body\.orderAmount: at least 1/],
      ['a lower-case currency', { currency: 'hkd' }, 1004, /body\.currency: a three-letter/],
      ['an unconfigured currency', { currency: 'JPY' }, 1010, /currency JPY is not configured/],
      ['a number as operatorId', { operatorId: 211918 }, 1004, /body\.operatorId/],
      ['a decimal timeoutRule', { timeoutRule: '1.5h' }, 1004, /body\.timeoutRule/],
      ['a zero timeoutRule', { timeoutRule: '0m' }, 1004, /body\.timeoutRule/],
      ["it_b_pay's c as timeoutRule", { timeoutRule: 'c' }, 1004, /body\.timeoutRule/],
      [
        'a timeoutRule over 15 days',
        { timeoutRule: '16d' },
        1004,
        /body\.timeoutRule: from 1m to 15d/,
      ],
      ['an unknown store', { storeNo: '299999999999999' }, 1003, /unknown storeNo 299999999999999/],
    ];
    it.each(invalid)('answers %s with a signed code != 1', async (_name, change, code, msg) => {
      const app = makeSandbox();
      const body: Record<string, unknown> = orderBody('bad', change);
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
      const res = await call(app, '/api/online/create', body);
      await expectError(res, code, msg);
      expect(app.sandbox.orders.all()).toHaveLength(0);
    });

    it('refuses AlipayHK on /api/offline/qrcode, as documented', async () => {
      const app = makeSandbox();
      const res = await call(app, '/api/offline/qrcode', orderBody('q-hk'));
      await expectError(res, 1004, /AlipayHK is not offered on \/api\/offline\/qrcode/);
    });

    it('accepts a partner-configured currency such as JPY', async () => {
      const app = makeSandbox({ partners: [{ ...DEMO, currencies: ['JPY'] }] });
      const res = await call(
        app,
        '/api/online/create',
        orderBody('jpy', { currency: 'JPY', orderAmount: 100 }),
        {
          key: 'demo-sign-key',
          verifyKey: 'demo-sign-key',
        },
      );
      expect(res.body.code).toBe(1);
    });
  });

  describe('envelope and header errors', () => {
    it('answers a bad signature with 1001', async () => {
      const app = makeSandbox();
      const res = await call(app, '/api/online/create', orderBody('p'), { key: 'not-the-key' });
      await expectError(res, 1001, /^sign check failed: sha256\(raw request text \+ key\) differs/);
    });

    it('answers a missing or malformed signature with 1001', async () => {
      const app = makeSandbox();
      const { text } = await signRequest(
        { header: createHeader({ partnerNo: PARTNER.partnerNo }), body: {} },
        'k',
      );
      await expectError(
        await post(app, '/api/common/payQuery', `{"request":${text}}`),
        1001,
        /no sign/,
      );
      await expectError(
        await post(app, '/api/common/payQuery', `{"request":${text},"signature":"abc"}`),
        1001,
        /64 hex/,
      );
    });

    it('answers an unknown partner with 1002, echoing its partnerNo, signed with the default key', async () => {
      const app = makeSandbox();
      const res = await call(app, '/api/online/create', orderBody('p'), {
        partnerNo: '999',
        key: 'x',
      });
      await expectError(res, 1002, /unknown partner 999/);
      expect(res.header.partnerNo).toBe('999');
    });

    it('answers malformed JSON with a signed 1004', async () => {
      const app = makeSandbox();
      for (const raw of [
        '',
        'not json',
        '{"request":',
        '[]',
        '{"request":{"header":1,"body":{}},"signature":"x"}',
        '{"a":1}',
      ]) {
        const res = await post(app, '/api/online/create', raw);
        await expectError(res, 1004, /malformed|missing/);
        expect(res.header.partnerNo).toBe(PARTNER.partnerNo);
      }
    });

    it('refuses duplicate JSON members', async () => {
      const app = makeSandbox();
      const res = await post(
        app,
        '/api/online/create',
        '{"request":{"header":{},"header":{}},"signature":"x"}',
      );
      await expectError(res, 1004, /duplicate member/);
    });

    const headers: [string, Record<string, unknown>, RegExp][] = [
      ['a 37-char reqMsgId', { reqMsgId: 'x'.repeat(37) }, /header\.reqMsgId: at most 36/],
      ['no time', { reqTime: undefined }, /missing field header\.reqTime/],
      ['a malformed time', { reqTime: '2024-05-01 10:00:00' }, /header\.reqTime: RFC 3339/],
      ['another version', { version: '2.0' }, /header\.version: must be "1\.0"/],
      ['another signType', { signType: 'MD5' }, /header\.signType: only SHA256/],
    ];
    it.each(headers)('answers a header with %s with 1004', async (_name, change, msg) => {
      const app = makeSandbox();
      const header: Record<string, unknown> = {
        ...createHeader({ partnerNo: PARTNER.partnerNo }),
        ...change,
      };
      for (const key of Object.keys(header)) if (header[key] === undefined) delete header[key];
      const res = await call(app, '/api/online/create', orderBody('p'), { header });
      await expectError(res, 1004, msg);
    });

    it('accepts an empty reqMsgId', async () => {
      const app = makeSandbox();
      const header = { ...createHeader({ partnerNo: PARTNER.partnerNo }), reqMsgId: '' };
      expect((await call(app, '/api/online/create', orderBody('p'), { header })).body.code).toBe(1);
    });

    it('answers an endpoint it does not simulate with 1012', async () => {
      const app = makeSandbox();
      const res = await call(app, '/api/offline/pay', { storeNo: PARTNER.storeNo });
      await expectError(res, 1012, /not simulated/);
    });

    it('never lets the split words into msg, even from chaos', async () => {
      const app = makeSandbox();
      app.sandbox.chaos = { apiCode: 7, apiMsg: 'bad response signature' };
      const res = await call(app, '/api/common/payQuery', { partnerOrderNo: 'x' });
      await expectError(res, 7, /^bad answer sign$/);
    });
  });

  describe('payQuery', () => {
    async function paidOrder() {
      const app = makeSandbox({ now: clock().now });
      const created = await call(app, '/api/online/create', orderBody('q1'));
      return { app, created };
    }

    it('reports an unpaid order as status 0, in the notify key order', async () => {
      const { app, created } = await paidOrder();
      const res = await call(app, '/api/common/payQuery', {
        storeNo: PARTNER.storeNo,
        partnerOrderNo: 'q1',
      });
      await expectWellFormed(res);
      expect(res.body).toEqual({
        code: 1,
        msg: 'success',
        orderNo: created.body.orderNo,
        partnerOrderNo: 'q1',
        orderAmount: 1999,
        wallet: 'AlipayHK',
        currency: 'HKD',
        status: 0,
      });
    });

    it('reports a paid order with payTime and a masked buyer', async () => {
      const { app } = await paidOrder();
      await app.sandbox.pay(app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, 'q1')!);
      // The Laravel client sends only partnerOrderNo.
      const res = await call(app, '/api/common/payQuery', { partnerOrderNo: 'q1' });
      expect(Object.keys(res.body)).toEqual([
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
      expect(res.body).toMatchObject({
        status: 1,
        payTime: '2024-05-01T10:00:00+08:00',
        buyer: 'c*@example.com',
      });
      expect(res.body.buyerId).toMatch(/^2088\d{12}$/);
    });

    it('resolves orderNo first', async () => {
      const { app, created } = await paidOrder();
      await call(app, '/api/online/create', orderBody('q2'));
      const res = await call(app, '/api/common/payQuery', {
        partnerOrderNo: 'q2',
        orderNo: created.body.orderNo,
      });
      expect(res.body.partnerOrderNo).toBe('q1');
      const unknown = await call(app, '/api/common/payQuery', {
        partnerOrderNo: 'q1',
        orderNo: '9999999999999999',
      });
      await expectError(unknown, 1006, /order not found: orderNo 9999999999999999/);
    });

    it('answers an unknown order, a wrong store and no identifier', async () => {
      const { app } = await paidOrder();
      await expectError(
        await call(app, '/api/common/payQuery', { partnerOrderNo: 'nope' }),
        1006,
        /order not found: nope/,
      );
      await expectError(
        await call(app, '/api/common/payQuery', { storeNo: '1', partnerOrderNo: 'q1' }),
        1003,
        /unknown storeNo 1/,
      );
      await expectError(
        await call(app, '/api/common/payQuery', { storeNo: PARTNER.storeNo }),
        1004,
        /partnerOrderNo or orderNo is required/,
      );
    });

    it('expires orders per timeoutRule (default 12h) and reports them as status 2', async () => {
      const c = clock();
      const app = makeSandbox({ now: c.now });
      await call(app, '/api/online/create', orderBody('e1', { timeoutRule: '90m' }));
      await call(app, '/api/online/create', orderBody('e2'));
      const status = async (no: string) =>
        (await call(app, '/api/common/payQuery', { partnerOrderNo: no })).body.status;
      c.advance(90 * 60_000 - 1);
      expect(await status('e1')).toBe(0);
      c.advance(1);
      expect(await status('e1')).toBe(2);
      expect(
        app.sandbox.view(app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, 'e1')!).state,
      ).toBe('expired');
      c.advance(12 * 3_600_000 - 90 * 60_000 - 1);
      expect(await status('e2')).toBe(0);
      c.advance(1);
      expect(await status('e2')).toBe(2);
    });

    it('counts the lifetime from orderCreate when given', async () => {
      const c = clock();
      const app = makeSandbox({ now: c.now });
      const orderCreate = String(T0.getTime() - 30 * 60_000);
      await call(app, '/api/online/create', orderBody('oc', { orderCreate, timeoutRule: '1h' }));
      const order = app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, 'oc')!;
      expect(order.expiresAt.getTime()).toBe(T0.getTime() + 30 * 60_000);
      const late = await call(
        app,
        '/api/online/create',
        orderBody('oc2', { orderCreate, timeoutRule: '30m' }),
      );
      await expectError(late, 1009, /already be expired/);
    });
  });

  describe('refund', () => {
    async function paid(no = 'r1') {
      const app = makeSandbox();
      await call(app, '/api/online/create', orderBody(no));
      await app.sandbox.pay(app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, no)!);
      return app;
    }
    const refund = (
      app: ReturnType<typeof makeSandbox>,
      refundNo: string,
      orderAmount: number,
      extra = {},
    ) =>
      call(app, '/api/common/refund', {
        partnerOrderNo: 'r1',
        refundNo,
        orderAmount,
        operatorId: '',
        ...extra,
      });

    it('refunds partially and repeatedly up to the paid amount, then reports status 3', async () => {
      const app = await paid();
      const first = await refund(app, 'r_1', 999, { tradeSummary: false });
      await expectWellFormed(first);
      expect(first.body).toMatchObject({
        code: 1,
        msg: 'success',
        refundNo: 'r_1',
        orderAmount: 999,
        status: 1,
        currency: 'HKD',
      });
      const query = async () =>
        (await call(app, '/api/common/payQuery', { partnerOrderNo: 'r1' })).body.status;
      expect(await query()).toBe(1);
      await expectError(
        await refund(app, 'r_2', 1001),
        1007,
        /refund of 1001 exceeds the 1000 left/,
      );
      expect((await refund(app, 'r_3', 1000)).body.code).toBe(1);
      expect(await query()).toBe(3);
      await expectError(await refund(app, 'r_4', 1), 1007, /already fully refunded/);
      const view = app.sandbox.view(app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, 'r1')!);
      expect(view).toMatchObject({ state: 'refunded', refundedAmount: 1999 });
      expect(view.refunds.map((r) => r.amount)).toEqual([999, 1000]);
    });

    it('treats a repeated refundNo with the same amount as a replay, and another amount as 1011', async () => {
      const app = await paid();
      expect((await refund(app, 'r_1', 500)).body.code).toBe(1);
      const replay = await refund(app, 'r_1', 500);
      expect(replay.body).toMatchObject({ code: 1, orderAmount: 500, status: 1 });
      await expectError(await refund(app, 'r_1', 600), 1011, /refundNo r_1 was already used/);
      expect(app.sandbox.orders.byPartnerOrderNo(PARTNER.partnerNo, 'r1')!.refundedAmount).toBe(
        500,
      );
    });

    it('answers an unknown order with 1006 and an unpaid one with 1008', async () => {
      const app = makeSandbox();
      await expectError(await refund(app, 'r_1', 1), 1006, /order not found: r1/);
      await call(app, '/api/online/create', orderBody('r1'));
      await expectError(await refund(app, 'r_1', 1), 1008, /order is pending, not paid/);
    });

    it('validates refund fields', async () => {
      const app = await paid();
      await expectError(await refund(app, '', 1), 1004, /missing field body\.refundNo/);
      await expectError(await refund(app, 'r'.repeat(33), 1), 1004, /body\.refundNo: at most 32/);
      await expectError(await refund(app, 'r_1', -5), 1004, /body\.orderAmount: at least 1/);
      await expectError(
        await refund(app, 'r_1', 1, { terminalNo: 't'.repeat(21) }),
        1004,
        /body\.terminalNo/,
      );
    });
  });

  it('keeps the sign key out of every answer', async () => {
    const app = makeSandbox();
    const res = await call(app, '/api/online/create', orderBody('p'));
    expect(res.text).not.toContain(PARTNER.signKey);
    expect(encodeJson(res.body)).not.toContain(PARTNER.signKey);
  });
});
