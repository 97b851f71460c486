import { describe, expect, it } from 'vitest';
import {
  createClient,
  openSigned,
  ScanForPayError,
  SignatureError,
  signResponse,
  TransportError,
  ValidationError,
  type Transport,
  type TransportRequest,
} from '@scanforpay/protocol';

const KEY = 'client-test-key';
const PARTNER = '100000000000001';
const STORE = '200000000000001';
const NOW = new Date('2024-05-01T02:00:00Z');

interface Call {
  url: string;
  init: TransportRequest;
}

/** A gateway double that answers each call with a signed envelope built from `reply`. */
function gateway(
  reply: (
    call: Call,
    n: number,
  ) => { body: object; key?: string; partnerNo?: string } | { status: number; text: string },
) {
  const calls: Call[] = [];
  const transport: Transport = async (url, init) => {
    calls.push({ url, init });
    const answer = reply({ url, init }, calls.length);
    if ('status' in answer) return answer;
    const header = {
      version: '1.0',
      partnerNo: answer.partnerNo ?? PARTNER,
      respMsgId: 'r'.repeat(32),
      respTime: '2024-05-01T10:00:01+08:00',
      signType: 'SHA256',
    };
    const signed = await signResponse({ header, body: answer.body }, answer.key ?? KEY);
    return { status: 200, text: signed.body };
  };
  return { calls, transport };
}

function client(transport: Transport, extra: Partial<Parameters<typeof createClient>[0]> = {}) {
  return createClient({
    apiUrl: 'https://gw.example/',
    partnerNo: PARTNER,
    storeNo: STORE,
    signKey: KEY,
    transport,
    now: () => NOW,
    sleep: () => Promise.resolve(),
    ...extra,
  });
}

const order = {
  partnerOrderNo: 'p1',
  wallet: 'AlipayHK' as const,
  orderAmount: 1999,
  currency: 'HKD',
  orderTitle: '紅色 T 恤',
  notifyUrl: 'https://shop.example/notify',
  returnUrl: 'https://shop.example/return',
  orderCreate: '1714528800000',
  timeoutRule: '30m',
};

describe('createClient', () => {
  describe('createOrder', () => {
    it('sends a signed body in the production byte format and returns the verified payUrl', async () => {
      const gw = gateway(() => ({
        body: { code: 1, msg: 'success', payUrl: 'https://gw.example/c/1' },
      }));
      const result = await client(gw.transport).createOrder(order);
      expect(result.payUrl).toBe('https://gw.example/c/1');
      expect(gw.calls).toHaveLength(1);
      const [call] = gw.calls;
      expect(call!.url).toBe('https://gw.example/api/online/create');
      expect(call!.init.headers['content-type']).toBe('application/json');
      const sent = await openSigned(call!.init.body, KEY);
      expect(sent.kind).toBe('request');
      expect(sent.signedText).toMatch(
        /^\{"header":\{"version":"1\.0","partnerNo":"100000000000001","reqMsgId":"[0-9a-f]{32}","reqTime":"2024-05-01T10:00:00\+08:00","signType":"SHA256"\},"body":\{"storeNo":"200000000000001","partnerOrderNo":"p1","wallet":"AlipayHK","orderAmount":1999,"orderTitle":"\\u7d05\\u8272 T \\u6064","operatorId":"","terminalNo":"","currency":"HKD","notifyUrl":"https:\\\/\\\/shop\.example\\\/notify","returnUrl":"https:\\\/\\\/shop\.example\\\/return","orderCreate":"1714528800000","timeoutRule":"30m"\}\}$/,
      );
    });

    it('uses /api/offline/qrcode in qrcode mode', async () => {
      const gw = gateway(() => ({ body: { code: 1, msg: 'ok', payUrl: 'https://gw.example/q' } }));
      await client(gw.transport).createOrder({ ...order, mode: 'qrcode' });
      expect(gw.calls[0]!.url).toBe('https://gw.example/api/offline/qrcode');
    });

    it('tolerates the documented "payUrl " key with a stray space', async () => {
      const gw = gateway(() => ({
        body: { code: 1, msg: 'success', 'payUrl ': 'https://gw.example/x' },
      }));
      expect((await client(gw.transport).createOrder(order)).payUrl).toBe('https://gw.example/x');
    });

    it('throws ScanForPayError with the verified code and msg', async () => {
      const gw = gateway(() => ({ body: { code: 30, msg: '订单不存在' } }));
      const error = await client(gw.transport)
        .createOrder(order)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ScanForPayError);
      expect(error).toMatchObject({ code: 30, msg: '订单不存在' });
    });

    it('throws SignatureError for an answer signed with another key, before reading code', async () => {
      const gw = gateway(() => ({
        body: { code: 1, msg: 'success', payUrl: 'https://x' },
        key: 'wrong',
      }));
      await expect(client(gw.transport).createOrder(order)).rejects.toMatchObject({
        name: 'SignatureError',
        reason: 'mismatch',
      });
    });

    it('throws SignatureError for an answer addressed to another partner', async () => {
      const gw = gateway(() => ({
        body: { code: 1, msg: 's', payUrl: 'https://x.example' },
        partnerNo: '9',
      }));
      await expect(client(gw.transport).createOrder(order)).rejects.toMatchObject({
        reason: 'partner_mismatch',
      });
    });

    it('throws ValidationError for an answer without a usable payUrl', async () => {
      const gw = gateway(() => ({ body: { code: 1, msg: 'success', payUrl: 'not a url' } }));
      await expect(client(gw.transport).createOrder(order)).rejects.toBeInstanceOf(ValidationError);
    });

    it('validates the request before sending anything', async () => {
      const gw = gateway(() => ({ body: { code: 1, msg: 'success' } }));
      const error = await client(gw.transport)
        .createOrder({ ...order, orderTitle: 'x'.repeat(101), orderAmount: 1.5 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual([
        'body.orderAmount',
        'body.orderTitle',
      ]);
      expect(gw.calls).toHaveLength(0);
    });

    it('throws TransportError for a non-2xx answer and never retries a create', async () => {
      const gw = gateway(() => ({ status: 503, text: 'busy' }));
      const error = await client(gw.transport)
        .createOrder(order)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ status: 503, timeout: false });
      expect(gw.calls).toHaveLength(1);
    });

    it('times out a hanging call', async () => {
      const hanging: Transport = (_url, init) =>
        new Promise((_resolve, reject) => {
          init.signal!.addEventListener('abort', () => reject(new Error('aborted')));
        });
      const error = await client(hanging, { timeoutMs: 20 })
        .createOrder(order)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ timeout: true });
      expect((error as Error).message).toBe('/api/online/create timed out after 20 ms');
    });

    it('reports a network failure with its cause', async () => {
      const cause = new Error('ECONNREFUSED');
      const failing: Transport = () => Promise.reject(cause);
      const error = await client(failing)
        .createOrder(order)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TransportError', timeout: false, cause });
    });
  });

  describe('queryPayment', () => {
    const paid = {
      code: 1,
      msg: 'success',
      orderNo: '2405011003000001',
      partnerOrderNo: 'p1',
      orderAmount: 1999,
      wallet: 'AlipayHK',
      status: 1,
      payTime: '2024-05-01T10:03:10+08:00',
      currency: 'HKD',
    };

    it('queries by partnerOrderNo with the storeNo', async () => {
      const gw = gateway(() => ({ body: paid }));
      expect(await client(gw.transport).queryPayment({ partnerOrderNo: 'p1' })).toEqual(paid);
      const sent = await openSigned(gw.calls[0]!.init.body, KEY);
      expect(sent.body).toEqual({ storeNo: STORE, partnerOrderNo: 'p1' });
      expect(gw.calls[0]!.url).toBe('https://gw.example/api/common/payQuery');
    });

    it('retries transport failures with growing back-off, then succeeds', async () => {
      const delays: number[] = [];
      const gw = gateway((_call, n) => (n < 3 ? { status: 502, text: '' } : { body: paid }));
      const result = await client(gw.transport, {
        retryDelayMs: 100,
        sleep: (ms) => {
          delays.push(ms);
          return Promise.resolve();
        },
      }).queryPayment({ partnerOrderNo: 'p1' });
      expect(result.status).toBe(1);
      expect(gw.calls).toHaveLength(3);
      expect(delays).toHaveLength(2);
      expect(delays[0]).toBeGreaterThanOrEqual(50);
      expect(delays[0]).toBeLessThanOrEqual(100);
      expect(delays[1]).toBeGreaterThanOrEqual(100);
      expect(delays[1]).toBeLessThanOrEqual(200);
    });

    it('gives up after the configured retries', async () => {
      const gw = gateway(() => ({ status: 500, text: '' }));
      await expect(
        client(gw.transport, { queryRetries: 1 }).queryPayment({ orderNo: '1' }),
      ).rejects.toBeInstanceOf(TransportError);
      expect(gw.calls).toHaveLength(2);
    });

    it('does not retry a business error or a bad signature', async () => {
      const gw = gateway(() => ({ body: { code: 30, msg: 'no such order' } }));
      await expect(
        client(gw.transport).queryPayment({ partnerOrderNo: 'p1' }),
      ).rejects.toBeInstanceOf(ScanForPayError);
      expect(gw.calls).toHaveLength(1);
      const forged = gateway(() => ({ body: paid, key: 'forger' }));
      await expect(
        client(forged.transport).queryPayment({ partnerOrderNo: 'p1' }),
      ).rejects.toBeInstanceOf(SignatureError);
      expect(forged.calls).toHaveLength(1);
    });

    it('needs an identifier', async () => {
      const gw = gateway(() => ({ body: paid }));
      await expect(client(gw.transport).queryPayment({})).rejects.toBeInstanceOf(ValidationError);
      expect(gw.calls).toHaveLength(0);
    });
  });

  describe('refund', () => {
    it('sends the documented fields and reads status 1 as done', async () => {
      const gw = gateway(() => ({
        body: {
          code: 1,
          msg: 'success',
          orderAmount: 500,
          status: 1,
          currency: 'HKD',
          refundNo: 'r1',
        },
      }));
      const result = await client(gw.transport).refund({
        partnerOrderNo: 'p1',
        refundNo: 'r1',
        amount: 500,
      });
      expect(result).toMatchObject({ done: true, orderAmount: 500, refundNo: 'r1' });
      const sent = await openSigned(gw.calls[0]!.init.body, KEY);
      expect(sent.body).toEqual({ partnerOrderNo: 'p1', refundNo: 'r1', orderAmount: 500 });
      expect(gw.calls[0]!.url).toBe('https://gw.example/api/common/refund');
    });

    it('reports a refund still in progress as not done', async () => {
      const gw = gateway(() => ({
        body: { code: 1, msg: 'dealing', orderAmount: 500, status: 0, currency: 'HKD' },
      }));
      expect(
        (await client(gw.transport).refund({ partnerOrderNo: 'p1', refundNo: 'r1', amount: 500 }))
          .done,
      ).toBe(false);
    });
  });
});
