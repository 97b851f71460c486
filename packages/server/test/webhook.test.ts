import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createWebhookSecret,
  MERCHANT_EVENT_TYPES,
  signWebhook,
  verifyMerchantWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from '@scanforpay/server/webhook';
import {
  BASE_DELAY_MS,
  DELIVERY_WINDOW_MS,
  isPastDeliveryWindow,
  MAX_DELAY_MS,
  nextAttemptDelay,
} from '../src/events/backoff.js';
import { assertWebhookSecret, deliverWebhook } from '../src/events/deliver-webhook.js';

const SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const OTHER_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const NOW = Date.UTC(2026, 4, 1, 12, 0, 0);
const EVENT_ID = 'evt_0123456789abcdef01234567';
const PAYLOAD = JSON.stringify({
  type: 'order.paid',
  timestamp: new Date(NOW).toISOString(),
  data: {
    orderId: '01JD0000000000000000000000',
    status: 'paid',
    itemId: 'tee-red',
    title: '紅色 T 恤',
    quantity: 1,
    amount: 19900,
    currency: 'HKD',
    wallet: 'AlipayHK',
    reference: null,
    gatewayOrderNo: 'G1',
    createdAt: new Date(NOW - 60_000).toISOString(),
    paidAt: new Date(NOW).toISOString(),
    refundedAmount: 0,
  },
});

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A real HTTP server on 127.0.0.1 that records each request, then answers with `reply`. */
async function startReceiver(reply: (response: ServerResponse) => void): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      reply(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  closers.push(close);
  return { url: `http://127.0.0.1:${port}/hooks/scanforpay`, received, close };
}

function answer(status: number, body = '', headers: Record<string, string> = {}) {
  return (response: ServerResponse) => {
    response.writeHead(status, headers);
    response.end(body);
  };
}

function deliver(url: string, extra: Partial<Parameters<typeof deliverWebhook>[0]> = {}) {
  return deliverWebhook({ url, secret: SECRET, eventId: EVENT_ID, payload: PAYLOAD, ...extra });
}

function refusal(run: () => unknown): WebhookVerificationError {
  try {
    run();
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
  throw new Error('expected a WebhookVerificationError');
}

describe('deliverWebhook', () => {
  it('POSTs the stored payload byte for byte with signed Standard Webhooks headers', async () => {
    const receiver = await startReceiver(answer(200, 'ok'));
    const result = await deliver(receiver.url, { now: () => NOW });

    expect(result).toEqual({ outcome: 'delivered', status: 200 });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/hooks/scanforpay');
    expect(request?.body).toBe(PAYLOAD);
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'scanforpay-proxy',
      'webhook-id': EVENT_ID,
      'webhook-timestamp': String(NOW / 1000),
    });
    expect(request?.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it('signs so that both verifyMerchantWebhook and the standardwebhooks library accept it', async () => {
    const receiver = await startReceiver(answer(204));
    expect(await deliver(receiver.url)).toEqual({ outcome: 'delivered', status: 204 });
    const [request] = receiver.received;
    if (!request) throw new Error('nothing received');

    const event = verifyMerchantWebhook(request.body, request.headers, SECRET);
    expect(event).toEqual({ id: EVENT_ID, ...(JSON.parse(PAYLOAD) as object) });

    const headers = {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    };
    expect(new Webhook(SECRET).verify(request.body, headers)).toEqual(JSON.parse(PAYLOAD));
    expect(() => new Webhook(OTHER_SECRET).verify(request.body, headers)).toThrow(
      'No matching signature found',
    );
  });

  it('reproduces the Standard Webhooks test vector on the wire', async () => {
    const receiver = await startReceiver(answer(200));
    await deliverWebhook({
      url: receiver.url,
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      eventId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      payload: '{"test": 2432232314}',
      now: () => 1614265330_000,
    });
    expect(receiver.received[0]?.headers).toMatchObject({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    expect(receiver.received[0]?.body).toBe('{"test": 2432232314}');
  });

  it('counts 410 Gone as gone, not as a failure', async () => {
    const receiver = await startReceiver(answer(410, 'endpoint removed'));
    expect(await deliver(receiver.url)).toEqual({ outcome: 'gone', status: 410 });
  });

  it('fails on 500 with the status, and reads no more than a few KB of a large answer', async () => {
    const receiver = await startReceiver(answer(500, 'x'.repeat(4 * 1024 * 1024)));
    expect(await deliver(receiver.url)).toEqual({
      outcome: 'failed',
      status: 500,
      error: 'HTTP 500',
    });
  });

  it('fails on a 4xx other than 410', async () => {
    const receiver = await startReceiver(answer(401));
    expect(await deliver(receiver.url)).toEqual({
      outcome: 'failed',
      status: 401,
      error: 'HTTP 401',
    });
  });

  it('does not follow a redirect and counts it as a failure', async () => {
    const receiver = await startReceiver(answer(307, '', { location: '/elsewhere' }));
    expect(await deliver(receiver.url)).toEqual({
      outcome: 'failed',
      status: 307,
      error: 'HTTP 307 redirect (not followed)',
    });
    expect(receiver.received.map((request) => request.path)).toEqual(['/hooks/scanforpay']);
  });

  it('gives up on a server that never answers after the timeout', async () => {
    const receiver = await startReceiver(() => undefined);
    // Node runs timers of one length in the order they were set: this one, set first, fires
    // before the delivery's 300 ms timeout can. That proves the wait was not cut short without
    // reading the clock (a loaded machine makes elapsed times unreliable). The receiver never
    // answers, so only the timeout ends the delivery, well within the test's time limit.
    let referenceFired = false;
    setTimeout(() => (referenceFired = true), 300);
    const result = await deliver(receiver.url, { timeoutMs: 300 });
    expect(result).toEqual({ outcome: 'failed', error: 'timeout after 300 ms' });
    expect(receiver.received).toHaveLength(1);
    expect(referenceFired).toBe(true);
  });

  it('times out a server that sends headers and then stalls the body', async () => {
    const receiver = await startReceiver((response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('partial');
    });
    // The status is known: the stalled body is abandoned at the timeout and the 200 stands.
    expect(await deliver(receiver.url, { timeoutMs: 300 })).toEqual({
      outcome: 'delivered',
      status: 200,
    });
  });

  it('fails with a network error when the connection is refused', async () => {
    const receiver = await startReceiver(answer(200));
    await receiver.close();
    const result = await deliver(receiver.url);
    expect(result).toEqual({ outcome: 'failed', error: 'network error (ECONNREFUSED)' });
  });

  it('uses the injected fetch, and never puts the secret in an error', async () => {
    const seen: RequestInit[] = [];
    const result = await deliver('https://shop.example/hooks', {
      fetch: (_input, init) => {
        if (init) seen.push(init);
        return Promise.reject(new TypeError(`fetch failed for ${SECRET}`));
      },
    });
    expect(result).toEqual({ outcome: 'failed', error: 'network error' });
    expect(seen[0]).toMatchObject({ method: 'POST', redirect: 'manual', body: PAYLOAD });
    expect(JSON.stringify(result)).not.toContain(SECRET.slice(6));
  });

  it('refuses a malformed secret before sending anything', async () => {
    const receiver = await startReceiver(answer(200));
    await expect(deliver(receiver.url, { secret: 'not-a-secret' })).rejects.toThrow(TypeError);
    expect(receiver.received).toEqual([]);
  });
});

describe('createWebhookSecret / assertWebhookSecret', () => {
  it('makes whsec_ secrets of 32 random bytes that the library accepts', () => {
    const secret = createWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob(secret.slice(6))).toHaveLength(32);
    expect(createWebhookSecret()).not.toBe(secret);
    expect(() => assertWebhookSecret(secret)).not.toThrow();
    expect(() => new Webhook(secret).sign('msg', new Date(NOW), '{}')).not.toThrow();
    expect(atob(createWebhookSecret(24).slice(6))).toHaveLength(24);
    expect(() => createWebhookSecret(16)).toThrow(RangeError);
  });

  it('accepts 24 to 64 bytes', () => {
    for (const bytes of [24, 25, 26, 64]) {
      const secret = `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
      expect(() => assertWebhookSecret(secret), `${bytes} bytes`).not.toThrow();
    }
  });

  it.each([
    [
      'C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
      'the webhook secret must start with whsec_ (make one with createWebhookSecret())',
    ],
    [
      'whsec_C2FVsBQIhrscChlQIMV-b5sSYspob7oD',
      'the webhook secret must be whsec_ followed by standard base64',
    ],
    [
      'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7o',
      'the webhook secret must be whsec_ followed by standard base64',
    ],
    [
      `whsec_${Buffer.alloc(16, 9).toString('base64')}`,
      'the webhook secret must hold 24 to 64 bytes, it holds 16',
    ],
    [
      `whsec_${Buffer.alloc(65, 9).toString('base64')}`,
      'the webhook secret must hold 24 to 64 bytes, it holds 65',
    ],
    ['whsec_', 'the webhook secret must hold 24 to 64 bytes, it holds 0'],
  ])('refuses %s in one line without echoing it', (secret, message) => {
    expect(() => assertWebhookSecret(secret)).toThrow(new TypeError(message));
    expect(message).not.toContain(secret.slice(6, 20) || '\0');
  });
});

describe('verifyMerchantWebhook', () => {
  const signed = (payload = PAYLOAD, at = NOW, secret = SECRET) =>
    signWebhook(secret, EVENT_ID, at, payload);
  const verify = (payload: string, headers: Record<string, string>, now = NOW) =>
    verifyMerchantWebhook(payload, headers, SECRET, { now: () => now });

  it('returns the event with its id from webhook-id', () => {
    const event = verify(PAYLOAD, { ...signed() });
    expect(event.id).toBe(EVENT_ID);
    expect(event.type).toBe('order.paid');
    expect(event.data.amount).toBe(19900);
    expect(event.data.title).toBe('紅色 T 恤');
    expect(MERCHANT_EVENT_TYPES).toContain(event.type);
  });

  it('reproduces the Standard Webhooks test vector', () => {
    const headers = signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330_000,
      '{"test": 2432232314}',
    );
    expect(headers).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    });
    const check = (payload: string) =>
      refusal(() =>
        verifyMerchantWebhook(payload, { ...headers }, 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', {
          now: () => 1614265330_000,
        }),
      ).reason;
    // The vector's signature matches; its payload is just not one of our events.
    expect(check('{"test": 2432232314}')).toBe('malformed');
    expect(check('{"test": 2432232315}')).toBe('bad_signature');
  });

  it('accepts Fetch Headers, Node-style header objects in any case, and bytes', () => {
    const headers = signed();
    expect(
      verifyMerchantWebhook(PAYLOAD, new Headers({ ...headers }), SECRET, { now: () => NOW }).id,
    ).toBe(EVENT_ID);
    const nodeStyle = {
      'Webhook-Id': headers['webhook-id'],
      'WEBHOOK-TIMESTAMP': [headers['webhook-timestamp']],
      'webhook-signature': headers['webhook-signature'],
      host: undefined,
    };
    expect(verifyMerchantWebhook(PAYLOAD, nodeStyle, SECRET, { now: () => NOW }).id).toBe(EVENT_ID);
    const bytes = new TextEncoder().encode(PAYLOAD);
    expect(verifyMerchantWebhook(bytes, { ...headers }, SECRET, { now: () => NOW }).id).toBe(
      EVENT_ID,
    );
  });

  it('accepts any one matching signature among several (secret rotation)', () => {
    const headers = signed();
    const old = signed(PAYLOAD, NOW, OTHER_SECRET)['webhook-signature'];
    const both = `v2,ignored ${old} ${headers['webhook-signature']}`;
    expect(verify(PAYLOAD, { ...headers, 'webhook-signature': both }).id).toBe(EVENT_ID);
  });

  it('accepts a timestamp exactly at the tolerance, in either direction', () => {
    expect(verify(PAYLOAD, { ...signed(PAYLOAD, NOW - 300_000) }).id).toBe(EVENT_ID);
    expect(verify(PAYLOAD, { ...signed(PAYLOAD, NOW + 300_000) }).id).toBe(EVENT_ID);
    const wide = verifyMerchantWebhook(PAYLOAD, { ...signed(PAYLOAD, NOW - 3_600_000) }, SECRET, {
      now: () => NOW,
      toleranceSeconds: 3600,
    });
    expect(wide.id).toBe(EVENT_ID);
  });

  const cases: [string, () => unknown, WebhookVerificationReason, string][] = [
    [
      'a tampered payload',
      () => verify(PAYLOAD.replace('19900', '1'), { ...signed() }),
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    ],
    [
      're-serialized JSON',
      () => verify(JSON.stringify(JSON.parse(PAYLOAD), null, 2), { ...signed() }),
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    ],
    [
      'the wrong secret',
      () => verify(PAYLOAD, { ...signed(PAYLOAD, NOW, OTHER_SECRET) }),
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    ],
    [
      'a signature for another id',
      () => verify(PAYLOAD, { ...signed(), 'webhook-id': 'evt_other' }),
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    ],
    [
      'a moved timestamp',
      () => verify(PAYLOAD, { ...signed(), 'webhook-timestamp': String(NOW / 1000 + 1) }),
      'bad_signature',
      'no webhook-signature matches (a wrong secret, or a changed body: pass the raw request body, not parsed and re-serialized JSON)',
    ],
    [
      'an old message',
      () => verify(PAYLOAD, { ...signed(PAYLOAD, NOW - 301_000) }),
      'too_old',
      'webhook-timestamp is more than 300 s old (a replayed message, or a wrong clock here)',
    ],
    [
      'a message from the future',
      () => verify(PAYLOAD, { ...signed(PAYLOAD, NOW + 301_000) }),
      'too_new',
      "webhook-timestamp is more than 300 s ahead (is this machine's clock right?)",
    ],
    [
      'no headers',
      () => verify(PAYLOAD, {}),
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are all required (does your framework pass the request headers through?)',
    ],
    [
      'no webhook-signature',
      () => verify(PAYLOAD, { ...signed(), 'webhook-signature': '' }),
      'missing_headers',
      'webhook-id, webhook-timestamp and webhook-signature are all required (does your framework pass the request headers through?)',
    ],
    [
      'a timestamp that is not a number',
      () => verify(PAYLOAD, { ...signed(), 'webhook-timestamp': '2026-05-01T12:00:00Z' }),
      'malformed',
      'webhook-timestamp is not a number of seconds',
    ],
    [
      'a signed payload that is not JSON',
      () => verify('not json', { ...signed('not json') }),
      'malformed',
      'the signed payload is not JSON',
    ],
    [
      'a signed payload that is not an event',
      () => verify('[1,2]', { ...signed('[1,2]') }),
      'malformed',
      'the signed payload is not an event {type, timestamp, data}',
    ],
  ];

  it.each(cases)('refuses %s', (_name, run, reason, message) => {
    const error = refusal(run);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain(SECRET.slice(6));
  });

  it('throws a TypeError, not a verification error, for a malformed secret', () => {
    expect(() => verifyMerchantWebhook(PAYLOAD, { ...signed() }, 'hunter2')).toThrow(
      new TypeError(
        'the webhook secret must start with whsec_ (make one with createWebhookSecret())',
      ),
    );
  });

  it('is an entry with no Node, Hono or database imports', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/webhook.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'neutral',
      mainFields: ['module', 'main'],
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
    });
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules)/.exec(input)?.[1])
        .filter((name) => name !== undefined),
    );
    expect([...packages].sort()).toEqual(['@stablelib/base64', 'fast-sha256', 'standardwebhooks']);
  });
});

/** A small seeded generator (mulberry32): the same draws on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('nextAttemptDelay', () => {
  const HOUR = 3_600_000;

  it('doubles from 5 s, before jitter', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 5, 6].map((n) => nextAttemptDelay(n, top))).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000,
    ]);
    expect(BASE_DELAY_MS).toBe(5_000);
  });

  it('scales by a jitter factor from 0.5 to 1.0', () => {
    const draws = [0, 0.5, 0.25];
    const next = () => draws.shift() ?? 0;
    expect([1, 2, 3].map((n) => nextAttemptDelay(n, next))).toEqual([2_500, 7_500, 12_500]);
  });

  it('is capped at 6 hours from the 14th attempt on', () => {
    const top = () => 1;
    expect(nextAttemptDelay(13, top)).toBe(20_480_000);
    expect(nextAttemptDelay(14, top)).toBe(MAX_DELAY_MS);
    expect(nextAttemptDelay(10_000, top)).toBe(6 * HOUR);
    expect(nextAttemptDelay(10_000, () => 0)).toBe(3 * HOUR);
  });

  it('stays within the jitter bounds for seeded draws', () => {
    const random = seeded(42);
    for (let attempts = 1; attempts <= 40; attempts += 1) {
      const ceiling = Math.min(5_000 * 2 ** (attempts - 1), 6 * HOUR);
      for (let i = 0; i < 50; i += 1) {
        const delay = nextAttemptDelay(attempts, random);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('gives the same sequence for the same seed', () => {
    const sequence = (seed: number) => {
      const random = seeded(seed);
      return Array.from({ length: 20 }, (_, i) => nextAttemptDelay(i + 1, random));
    };
    expect(sequence(7)).toEqual(sequence(7));
    expect(sequence(7)).not.toEqual(sequence(8));
  });

  it('spans the 72-hour window in 24 to 37 attempts', () => {
    /** Attempts made before one fails at or past 72 h, if every attempt is instant. */
    const attemptsUntilGivenUp = (random: () => number) => {
      let elapsed = 0;
      let attempts = 1;
      while (!isPastDeliveryWindow(0, elapsed)) {
        elapsed += nextAttemptDelay(attempts, random);
        attempts += 1;
      }
      return attempts;
    };
    expect(attemptsUntilGivenUp(() => 1)).toBe(25);
    expect(attemptsUntilGivenUp(() => 0)).toBe(37);
    for (const seed of [1, 2, 3, 4, 5]) {
      const attempts = attemptsUntilGivenUp(seeded(seed));
      expect(attempts).toBeGreaterThanOrEqual(25);
      expect(attempts).toBeLessThanOrEqual(37);
    }
    expect(DELIVERY_WINDOW_MS).toBe(72 * HOUR);
  });

  it('refuses an attempt count below 1', () => {
    expect(() => nextAttemptDelay(0)).toThrow(RangeError);
    expect(() => nextAttemptDelay(1.5)).toThrow(RangeError);
  });
});
