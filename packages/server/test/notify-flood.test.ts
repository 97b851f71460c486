import { signResponse } from '@scanforpay/protocol';
import { nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import type { ProxyOptions } from '@scanforpay/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './helpers/harness.js';

/**
 * Issue 12, defect 3: refused `POST /notify` bodies must not fill the disk, and a flood must
 * never cost the real gateway a notification. Growth is measured in the store (rows, stored
 * characters), on every engine; the clock is injected and stands still unless a test moves it.
 */
const FLOOD_CLIENT = '203.0.113.7';
/** One forged notification's size: larger than the 8 KiB kept of a refused body. */
const PADDING = 'x'.repeat(10_000);

let h: Harness | undefined;
/** The proxy's clock: set at a minute's edge near now (the sandbox refuses orders already past), moved only by tests. */
let time = 0;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(proxy: Partial<ProxyOptions> = {}): Promise<Harness> {
  time = Math.floor(Date.now() / 60_000) * 60_000;
  h = await createHarness({
    proxy: {
      clock: () => time,
      // The sandbox's deliveries and the flood (no X-Forwarded-For) come from one address.
      clientAddress: () => FLOOD_CLIENT,
      trustProxy: true,
      ...proxy,
    },
  });
  return h;
}

async function newOrder(h: Harness): Promise<string> {
  const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { orderId: string }).orderId;
}

/** A notification as ScanForPay signs it; `key` forges it. */
async function notification(h: Harness, orderId: string, key = DEFAULT_PARTNER.signKey) {
  const gatewayOrderNo = (await h.store.getOrder(orderId))?.gatewayOrderNo ?? '2405011003000001';
  const signed = await signResponse(
    {
      header: {
        partnerNo: DEFAULT_PARTNER.partnerNo,
        respTime: '2024-05-01T10:03:12+08:00',
        signType: 'SHA256',
        version: '1.0',
        reqMsgId: 'a0c9e7b1a2f44c6e9a8b7d6c5b4a3f21',
      },
      body: {
        code: 1,
        msg: key === DEFAULT_PARTNER.signKey ? 'success' : PADDING,
        orderNo: gatewayOrderNo,
        partnerOrderNo: orderId,
        payTime: '2024-05-01T10:03:10+08:00',
        orderAmount: 19900,
        wallet: 'AlipayHK',
        currency: 'HKD',
        status: 1,
        buyerId: '2088123456781234',
      },
    },
    key,
    nodeSha256,
  );
  return signed.body;
}

const forge = (h: Harness, orderId: string) => notification(h, orderId, 'not-the-sign-key');

function post(h: Harness, raw: string, client?: string): Promise<Response> {
  return h.request('/notify', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(client === undefined ? {} : { 'x-forwarded-for': client }),
    },
    body: raw,
  });
}

/** Posts `raw` `times` times in a row; counts the answers by status, and returns the last. */
async function flood(h: Harness, raw: string, times: number, client?: string) {
  const statuses: Record<number, number> = {};
  let last = { status: 0, retryAfter: null as string | null, body: '' };
  for (let i = 0; i < times; i++) {
    const response = await post(h, raw, client);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    last = {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.text(),
    };
  }
  return { statuses, last };
}

/** What refused notifications occupy in the store: rows, and characters of body and reason. */
async function rejectedFootprint(h: Harness) {
  const [row] = await h.query(
    `SELECT COUNT(*) AS n_rows,
       COALESCE(SUM(LENGTH(raw_body)), 0) AS body_chars,
       COALESCE(SUM(LENGTH(raw_body) + LENGTH(reason)), 0) AS chars,
       COALESCE(SUM(CASE WHEN raw_body = '' THEN 1 ELSE 0 END), 0) AS digests
     FROM notifications WHERE outcome = 'rejected'`,
  );
  return {
    rows: Number(row!.n_rows),
    bodyChars: Number(row!.body_chars),
    chars: Number(row!.chars),
    digests: Number(row!.digests),
  };
}

const requestLines = (h: Harness) =>
  h.logs
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'request' && line.path === '/notify');

// Thousands of requests through the whole app (and D1 writes through workerd): a ceiling for
// slow or busy machines, not a timing assertion.
describe('POST /notify under a forged flood', { timeout: 90_000 }, () => {
  describe('when 3,000 forged notifications come from one client (default budget)', () => {
    it('keeps 20 bodies and 100 digests, answers 429 beyond 20, and the real notification still applies', async () => {
      const h = await harness();
      const orderId = await newOrder(h);
      const forged = await forge(h, orderId);
      expect(forged.length).toBeGreaterThan(10_000);

      const first = await flood(h, forged, 1_500);
      // The real gateway, from the same address, in the middle of the flood.
      await h.control(`/orders/${orderId}/pay`);
      await eventually(async () =>
        (await h.store.getOrder(orderId))?.status === 'paid' ? true : undefined,
      );
      // What the sandbox was answered (read now: its keep-alive socket may idle out in the flood).
      const { notifications } = (await h.control(`/notifications?partnerOrderNo=${orderId}`)) as {
        notifications: { status: number; answer: string }[];
      };
      const second = await flood(h, forged, 1_500);

      expect(first.statuses).toEqual({ 400: 20, 429: 1_480 });
      expect(second.statuses).toEqual({ 429: 1_500 });
      expect(notifications[0]).toMatchObject({ status: 200, answer: 'success' });
      expect(second.last.retryAfter).toBe('60');
      expect(JSON.parse(second.last.body)).toMatchObject({ status: 429, code: 'rate_limited' });

      expect(await h.store.listNotifications(orderId)).toMatchObject([
        { verified: true, outcome: 'applied' },
      ]);

      // 3,000 × 8 KiB (23.4 MiB) before the fix; now 20 bodies and 100 digest rows.
      const footprint = await rejectedFootprint(h);
      expect(footprint).toMatchObject({ rows: 120, digests: 100, bodyChars: 20 * 8_192 });
      const digestReason = `signature: mismatch; body not kept, ${forged.length} bytes, sha256 ${await nodeSha256(forged)}`;
      const digest = (await h.store.listNotifications()).find((n) => n.rawBody === '');
      expect(digest).toMatchObject({ verified: false, reason: digestReason });
      // Body and reason characters: 20 × (8,192 + 19) + 100 × 120 = 176,220 (≈ 172 KiB).
      expect(digestReason).toHaveLength(120);
      expect(footprint.chars).toBe(20 * (8_192 + 'signature: mismatch'.length) + 100 * 120);

      const kept = requestLines(h)
        .filter((line) => line.outcome === 'rejected')
        .map((line) => line.kept);
      expect(kept.filter((k) => k === 'body')).toHaveLength(20);
      expect(kept.filter((k) => k === 'digest')).toHaveLength(100);
      expect(kept.filter((k) => k === 'none')).toHaveLength(2_880);
      expect(requestLines(h).at(-1)).toMatchObject({ status: 429, refused: 3_000 });
      const warnings = h.logs.filter((line) => line.includes('refused notifications over budget'));
      expect(warnings).toHaveLength(1);
      expect(JSON.parse(warnings[0]!)).toMatchObject({ client: FLOOD_CLIENT, refused: 21 });
    });

    it('answers every correctly signed notification from that client with success', async () => {
      const h = await harness();
      const orderId = await newOrder(h);
      expect((await flood(h, await forge(h, orderId), 150)).statuses).toEqual({
        400: 20,
        429: 130,
      });
      const signed = await notification(h, orderId);
      const { statuses, last } = await flood(h, signed, 50);
      expect(statuses).toEqual({ 200: 50 });
      expect(last.body).toBe('success');
      expect((await h.store.listNotifications(orderId)).map((n) => n.outcome)).toEqual([
        'applied',
        ...Array<string>(49).fill('duplicate'),
      ]);
      expect(await rejectedFootprint(h)).toMatchObject({ rows: 120 });
    });
  });

  describe('when the minute passes', () => {
    it('says when in Retry-After, and renews the budget at the edge', async () => {
      const h = await harness({
        refusedNotifications: { bodiesPerMinute: 2, digestsPerMinute: 1 },
      });
      const forged = await forge(h, await newOrder(h));
      expect((await flood(h, forged, 2)).statuses).toEqual({ 400: 2 });
      time += 15_000;
      const limited = await post(h, forged);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('45');
      time += 44_999;
      expect((await post(h, forged)).headers.get('retry-after')).toBe('1');
      expect(await rejectedFootprint(h)).toMatchObject({ rows: 3, digests: 1 });
      time += 1;
      expect((await flood(h, forged, 3)).statuses).toEqual({ 400: 2, 429: 1 });
      expect(await rejectedFootprint(h)).toMatchObject({ rows: 6, digests: 2 });
    });
  });

  describe('when forged notifications come from many clients', () => {
    it('never holds more than maxStored refused rows, keeping the newest, and no verified row is lost', async () => {
      const h = await harness({ refusedNotifications: { maxStored: 30 } });
      const orderId = await newOrder(h);
      expect(await (await post(h, await notification(h, orderId))).text()).toBe('success');
      const forged = await forge(h, orderId);
      const rowsAfterEachBatch: number[] = [];
      for (let batch = 0; batch < 4; batch++) {
        for (let i = 0; i < 20; i++) {
          const client = `198.51.100.${batch * 20 + i}`;
          expect((await flood(h, forged, 2, client)).statuses).toEqual({ 400: 2 });
        }
        rowsAfterEachBatch.push((await rejectedFootprint(h)).rows);
      }
      expect(rowsAfterEachBatch).toEqual([30, 30, 30, 30]);
      // 160 refused bodies arrived, each within its client's budget; 30 × 8 KiB are kept: the newest.
      expect(await rejectedFootprint(h)).toMatchObject({ rows: 30, bodyChars: 30 * 8_192 });
      const rows = await h.store.listNotifications();
      expect(rows).toHaveLength(31);
      const [applied, ...refused] = rows;
      expect(applied).toMatchObject({ orderId, verified: true, outcome: 'applied' });
      expect(refused.map((row) => row.id)).toEqual(
        Array.from({ length: 30 }, (_, i) => applied!.id + 131 + i),
      );
    });
  });
});
