import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, fetchTransport, webCryptoSha256 } from '@scanforpay/protocol';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';

let server: Server;
let base: string;
const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, headers: req.headers, body });
      if (req.url === '/hang' || req.url?.startsWith('/hang-client/')) return;
      if (req.url === '/big') {
        res.end('x'.repeat(2048));
        return;
      }
      res.statusCode = req.url === '/503' ? 503 : 200;
      res.end(`echo:${body}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, signal = new AbortController().signal) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body,
  signal,
});

describe('nodeSha256', () => {
  it('agrees with Web Crypto, including non-ASCII input', async () => {
    for (const text of ['', 'abc', '測試 😀', 'x'.repeat(10_000)]) {
      expect(await nodeSha256(text)).toBe(await webCryptoSha256(text));
    }
    expect(await nodeSha256('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('createNodeTransport', () => {
  it('posts the body with a content length and reads status and text', async () => {
    const transport = createNodeTransport();
    try {
      const answer = await transport(`${base}/ok`, post('{"a":"測"}'));
      expect(answer).toEqual({ status: 200, text: 'echo:{"a":"測"}' });
      expect(seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength('{"a":"測"}')));
      expect(seen.at(-1)!.headers.connection).toBe('keep-alive');
      expect((await transport(`${base}/503`, post('x'))).status).toBe(503);
    } finally {
      transport.close();
    }
  });

  it('aborts on the signal', async () => {
    const transport = createNodeTransport();
    const controller = new AbortController();
    const before = seen.length;
    const pending = transport(`${base}/hang`, post('x', controller.signal));
    // Abort a request in flight: once the server has it (it never answers /hang).
    for (let i = 0; seen.length === before; i++) {
      if (i === 500) throw new Error('the server never got the request');
      await new Promise((r) => setTimeout(r, 10));
    }
    controller.abort();
    await expect(pending).rejects.toThrow();
    transport.close();
  });

  it('keeps the deadline itself: past timeoutMs the request fails with a TimeoutError and its socket is dropped', async () => {
    const transport = createNodeTransport();
    try {
      expect(transport.handlesTimeout).toBe(true);
      const before = seen.length;
      const { body: _unused, ...rest } = post('x');
      const pending = transport(`${base}/hang`, { ...rest, body: 'late', timeoutMs: 30 });
      await expect(pending).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(seen.length).toBeGreaterThan(before);
      // A request that answers in time is untouched by the deadlines of others.
      const quick = await transport(`${base}/ok`, { ...rest, body: 'q', timeoutMs: 60_000 });
      expect(quick).toEqual({ status: 200, text: 'echo:q' });
    } finally {
      transport.close();
    }
  });

  it('reports the timeout to the client as a TransportError with timeout: true', async () => {
    const transport = createNodeTransport();
    const client = createClient({
      apiUrl: `${base}/hang-client`,
      partnerNo: '100000000000001',
      storeNo: '200000000000001',
      signKey: 'k'.repeat(32),
      transport,
      timeoutMs: 30,
      queryRetries: 0,
    });
    try {
      const error = await client.queryPayment({ partnerOrderNo: 'p1' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'TransportError', timeout: true });
      expect((error as Error).message).toBe('/api/common/payQuery timed out after 30 ms');
    } finally {
      transport.close();
    }
  });

  it('refuses an answer over its size limit', async () => {
    const transport = createNodeTransport({ maxResponseBytes: 1024 });
    await expect(transport(`${base}/big`, post('x'))).rejects.toThrow(/larger than 1024 bytes/);
    transport.close();
  });
});

describe('fetchTransport', () => {
  it('posts through global fetch', async () => {
    expect(await fetchTransport(`${base}/ok`, post('hi'))).toEqual({
      status: 200,
      text: 'echo:hi',
    });
  });
});

describe('createNodeTransport on a kept-alive socket the upstream closed', () => {
  /**
   * A server that resets a connection on its second request, as an upstream whose keep-alive
   * timeout ends just as a request goes out; with `always`, it resets every request.
   */
  async function resettingServer(always = false) {
    const requests: number[] = [];
    const perSocket = new WeakMap<object, number>();
    let connections = 0;
    const upstream = createServer((req, res) => {
      const count = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, count);
      requests.push(count);
      req.resume();
      req.on('end', () => (always || count > 1 ? req.socket.destroy() : res.end('ok')));
    });
    upstream.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    const stop = () => new Promise((resolve) => upstream.close(resolve));
    return { url, requests, connections: () => connections, stop };
  }

  it('sends the request once more on a new socket', async () => {
    const upstream = await resettingServer();
    const transport = createNodeTransport();
    try {
      expect(await transport(upstream.url, post('first'))).toEqual({ status: 200, text: 'ok' });
      expect(await transport(upstream.url, post('second'))).toEqual({ status: 200, text: 'ok' });
      // The second request: once on the kept socket (reset), once on a new one.
      expect(upstream.requests).toEqual([1, 2, 1]);
      expect(upstream.connections()).toBe(2);
    } finally {
      transport.close();
      await upstream.stop();
    }
  });

  it('never retries the reset of a new socket: the upstream may have read it', async () => {
    const upstream = await resettingServer(true);
    const transport = createNodeTransport();
    try {
      await expect(transport(upstream.url, post('x'))).rejects.toMatchObject({
        code: 'ECONNRESET',
      });
      expect(upstream.requests).toEqual([1]);
    } finally {
      transport.close();
      await upstream.stop();
    }
  });
});
