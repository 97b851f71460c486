import { connect, type Socket } from 'node:net';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSqliteStore,
  startProxy,
  type RunningProxy,
  type StartProxyOptions,
} from '@scanforpay/server/node';
import { parseNodeLimits } from '../src/config/parse-env.js';
import { CATALOG } from './helpers/catalog.js';
import { captureLine } from './helpers/traffic.js';

/**
 * Slow clients (slowloris) against the Node entry: the server closes them after its short
 * test timeouts, one address cannot hold more than its share of connections, and a client
 * from another address is served meanwhile. Everything is on loopback; every client writes a
 * bounded number of bytes and is destroyed at the end of its test.
 */
const SHOP = 'http://localhost:5173';
const running: RunningProxy[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((proxy) => proxy.close()));
});

async function start(options: Partial<StartProxyOptions>): Promise<RunningProxy> {
  const proxy = await startProxy({
    credentials: {
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
    },
    gatewayUrl: 'http://127.0.0.1:9',
    resultUrl: 'https://shop.example/thanks',
    allowedOrigins: [SHOP],
    catalog: CATALOG,
    store: createSqliteStore({ path: ':memory:' }),
    port: 0,
    host: '127.0.0.1',
    rateLimit: 0,
    backgroundIntervalMs: 0,
    log: captureLine,
    ...options,
  });
  running.push(proxy);
  return proxy;
}

interface SlowClient {
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
  isClosed(): boolean;
}

/** Sends `text` one byte every `everyMs` (at most `text.length` writes), reading what comes back. */
function slowClient(
  port: number,
  text: string,
  everyMs = 50,
  localAddress = '127.0.0.1',
): SlowClient {
  const socket = connect({ port, host: '127.0.0.1', localAddress });
  sockets.push(socket);
  let received = '';
  let closed = false;
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < text.length && socket.writable) socket.write(text[sent++]!);
    else clearInterval(timer);
  }, everyMs);
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
  socket.on('error', () => {});
  return {
    closed: new Promise((resolve) =>
      socket.once('close', () => {
        clearInterval(timer);
        closed = true;
        resolve(received);
      }),
    ),
    isClosed: () => closed,
  };
}

/** One ordinary request on its own connection, from `localAddress`. */
function request(port: number, path: string, localAddress = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    sockets.push(socket);
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

const HEADERS = `GET /items/tee-red HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(200)}\r\n\r\n`;

describe('the Node entry under slow clients', () => {
  it('closes slow-header sockets after headersTimeout, refuses one address its excess sockets, and serves another address meanwhile', async () => {
    const proxy = await start({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxConnectionsPerAddress: 100,
    });
    const slow = Array.from({ length: 150 }, () => slowClient(proxy.port, HEADERS));

    // Another client address (all of 127.0.0.0/8 is loopback on Linux) is served at once.
    const answer = await request(proxy.port, '/items/tee-red', '127.0.0.2');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(slow.filter((client) => !client.isClosed()).length).toBeGreaterThanOrEqual(100);

    const outcomes = await Promise.all(slow.map((client) => client.closed));
    // 100 got in and were timed out with a 408; the 50 beyond the cap were closed unanswered.
    expect(outcomes.filter((text) => text.startsWith('HTTP/1.1 408 ')).length).toBe(100);
    expect(outcomes.filter((text) => text === '').length).toBe(50);

    // Once they are gone, the address is served again.
    expect(await request(proxy.port, '/items/tee-red')).toMatch(/^HTTP\/1\.1 200 /);
  }, 30_000);

  it('closes a slow body after requestTimeout with a 408', async () => {
    const proxy = await start({ headersTimeoutMs: 300, requestTimeoutMs: 600 });
    const head =
      `POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: ${SHOP}\r\n` +
      'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const clients = Array.from({ length: 20 }, () => {
      const socket = connect({ port: proxy.port, host: '127.0.0.1' });
      socket.write(head);
      sockets.push(socket);
      return socket;
    });
    const bodies = clients.map((socket) => {
      let received = '';
      let sent = 0;
      const timer = setInterval(() => {
        if (sent++ < 1000 && socket.writable) socket.write(' ');
        else clearInterval(timer);
      }, 50);
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('error', () => {});
      return new Promise<{ received: string; sent: number }>((resolve) =>
        socket.once('close', () => {
          clearInterval(timer);
          resolve({ received, sent });
        }),
      );
    });
    for (const { received, sent } of await Promise.all(bodies)) {
      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(sent).toBeLessThan(1000);
    }
  }, 30_000);

  it('accepts at most maxConnections, and serves again once idle ones time out', async () => {
    const proxy = await start({
      headersTimeoutMs: 1000,
      requestTimeoutMs: 2000,
      maxConnections: 5,
    });
    const idle = Array.from({ length: 5 }, () => slowClient(proxy.port, ''));
    // Every idle connection is accepted (the server answers them with a 408 only later), so
    // the sixth is over the limit and closed unanswered.
    const extra = slowClient(proxy.port, '');
    expect(await extra.closed).toBe('');
    expect(idle.some((client) => client.isClosed())).toBe(false);
    for (const text of await Promise.all(idle.map((client) => client.closed))) {
      expect(text).toMatch(/^HTTP\/1\.1 408 /);
    }
    expect(await request(proxy.port, '/items/tee-red')).toMatch(/^HTTP\/1\.1 200 /);
  }, 30_000);

  it('closes an idle keep-alive connection after keepAliveTimeout', async () => {
    const proxy = await start({ keepAliveTimeoutMs: 200 });
    const client = slowClient(
      proxy.port,
      'GET /items/tee-red HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
      0,
    );
    expect(await client.closed).toMatch(/^HTTP\/1\.1 200 /);
  }, 30_000);
});

describe('parseNodeLimits', () => {
  it('reads the caps and the SQLite wait, leaving unset ones to startProxy', () => {
    expect(parseNodeLimits({})).toEqual({});
    expect(
      parseNodeLimits({
        SQLITE_BUSY_TIMEOUT_MS: '500',
        MAX_CONNECTIONS: '300',
        MAX_CONNECTIONS_PER_ADDRESS: '0',
      }),
    ).toEqual({ sqliteBusyTimeoutMs: 500, maxConnections: 300, maxConnectionsPerAddress: 0 });
    expect(() => parseNodeLimits({ MAX_CONNECTIONS: '0' })).toThrow(
      'MAX_CONNECTIONS: a whole number from 1 to 1000000',
    );
  });
});
