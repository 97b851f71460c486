import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, openNotification, ScanForPayError } from '@scanforpay/protocol';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER, startSandbox, type RunningSandbox } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginCheck, waitFor } from './helpers.js';

/** A merchant notify endpoint that answers `fail` first and `success` from then on. */
async function startReceiver() {
  const bodies: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      bodies.push(raw);
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' });
      res.end(bodies.length === 1 ? 'fail' : 'success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/notify?shop=1`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe('startSandbox on loopback', () => {
  let sandbox: RunningSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const transport = createNodeTransport();

  beforeAll(async () => {
    receiver = await startReceiver();
    sandbox = await startSandbox({ port: 0, control: true, notifySchedule: [0, 50, 100] });
  });

  afterAll(async () => {
    await sandbox.close();
    await receiver.close();
    transport.close();
  });

  const client = () =>
    createClient({
      apiUrl: sandbox.url,
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
      transport,
      hash: nodeSha256,
    });

  it('binds 127.0.0.1 on a free port and points payUrls at itself', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(sandbox.port).toBeGreaterThan(0);
    const health = await fetch(`${sandbox.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const order = await client().createOrder({
      partnerOrderNo: 'loop-1',
      wallet: 'Alipay',
      orderAmount: 2100,
      currency: 'HKD',
      orderTitle: 'Loopback',
      notifyUrl: receiver.url,
      returnUrl: 'https://shop.example/return',
    });
    expect(order.payUrl.startsWith(`${sandbox.url}/cashier/`)).toBe(true);
    const page = await fetch(order.payUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('HKD');
  });

  it('runs create → pay → notify (fail, then success) → query → refund with the protocol client', async () => {
    const c = client();
    await c.createOrder({
      partnerOrderNo: 'loop-2',
      wallet: 'Wechat',
      orderAmount: 1000,
      currency: 'HKD',
      notifyUrl: receiver.url,
    });
    expect((await c.queryPayment({ partnerOrderNo: 'loop-2' })).status).toBe(0);
    const paid = await fetch(`${sandbox.url}/__sandbox/orders/loop-2/pay`, { method: 'POST' });
    expect(paid.status).toBe(200);
    await waitFor(() => sandbox.sandbox.notifications.some((n) => n.acknowledged));
    const log = sandbox.sandbox.notifications.filter((n) => n.partnerOrderNo === 'loop-2');
    expect(log.map((n) => [n.attempt, n.answer, n.acknowledged])).toEqual([
      [1, 'fail', false],
      [2, 'success', true],
    ]);
    const raw = receiver.bodies.at(-1)!;
    expect(await pluginCheck(raw, DEFAULT_PARTNER.signKey)).toBe(true);
    const notice = await openNotification(raw, DEFAULT_PARTNER.signKey, {
      partnerNo: DEFAULT_PARTNER.partnerNo,
    });
    expect(notice.body).toMatchObject({ partnerOrderNo: 'loop-2', status: 1, orderAmount: 1000 });
    expect((await c.queryPayment({ partnerOrderNo: 'loop-2' })).status).toBe(1);
    expect((await c.refund({ partnerOrderNo: 'loop-2', refundNo: 'rf-1', amount: 400 })).done).toBe(
      true,
    );
    await expect(
      c.refund({ partnerOrderNo: 'loop-2', refundNo: 'rf-2', amount: 601 }),
    ).rejects.toMatchObject(
      new ScanForPayError(1007, 'refund of 601 exceeds the 600 left to refund on this order'),
    );
    await c.refund({ partnerOrderNo: 'loop-2', refundNo: 'rf-3', amount: 600 });
    expect((await c.queryPayment({ partnerOrderNo: 'loop-2' })).status).toBe(3);
  });

  it('refuses a port in use with EADDRINUSE', async () => {
    await expect(startSandbox({ port: sandbox.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('RunningSandbox.close()', () => {
  it('stops the server, cancels pending notifications and hanging answers', async () => {
    const receiver = await startReceiver();
    const running = await startSandbox({
      port: 0,
      control: true,
      notifySchedule: [60_000],
    });
    const c = createClient({
      apiUrl: running.url,
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
      timeoutMs: 5000,
    });
    await c.createOrder({
      partnerOrderNo: 'close-1',
      wallet: 'Alipay',
      orderAmount: 1,
      currency: 'HKD',
      notifyUrl: receiver.url,
    });
    await fetch(`${running.url}/__sandbox/orders/close-1/pay`, { method: 'POST' });
    await fetch(`${running.url}/__sandbox/chaos`, { method: 'POST', body: '{"apiHangMs":60000}' });
    const hanging = c.queryPayment({ partnerOrderNo: 'close-1' }).catch((e: unknown) => e);
    // The notification's 60 s retry and the 60 s hanging answer.
    await waitFor(() => running.sandbox.timers.size === 2);
    // Waiting on either timer would take 60 s, four times this test's time limit.
    await running.close();
    await running.close();
    expect(running.sandbox.timers.size).toBe(0);
    await hanging;
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    expect(receiver.bodies).toHaveLength(0);
    await receiver.close();
  });
});
