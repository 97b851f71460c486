import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createNodeTransport, nodeSha256 } from '@scanforpay/protocol/node';
import {
  DEFAULT_PARTNER,
  startSandbox,
  type RunningSandbox,
  type StartSandboxOptions,
} from '@scanforpay/sandbox';
import { createProxy, type ProxyOptions, type ScanForPayProxy } from '@scanforpay/server';
import type { OrderStore } from '@scanforpay/server/store';
import { openEngine } from './engines.js';
import { CATALOG } from './catalog.js';
import { captureLine, captureResponse, TOKEN_SECRET } from './traffic.js';

export const RESULT_URL = 'https://shop.example/thanks';
export const SHOP_ORIGIN = 'http://localhost:5173';

export interface HarnessOptions {
  proxy?: Partial<ProxyOptions>;
  sandbox?: StartSandboxOptions;
  /** Skip the sandbox: the gateway URL points at a closed port. */
  noSandbox?: boolean;
}

export interface Harness {
  app: ScanForPayProxy;
  /** `app.request` with every response and log line captured for the secrets check. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** POST /orders as the storefront would. */
  createOrder(body: unknown, headers?: Record<string, string>): Promise<Response>;
  sandbox: RunningSandbox | undefined;
  /** POST/GET the sandbox's control API. */
  control(path: string, body?: unknown): Promise<unknown>;
  /** On the engine of this test project (`STORE_ENGINE`: sqlite, postgres or d1). */
  store: OrderStore;
  /** Raw SQL on the store's database, for assertions the store API does not expose. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  proxyUrl: string;
  logs: string[];
  /** Moves the proxy's clock forward. */
  advance(ms: number): void;
  now(): number;
  dir: string;
  close(): Promise<void>;
}

/**
 * A proxy on a real loopback socket (so the sandbox can deliver notifications to it) backed
 * by a real store (SQLite, Postgres or D1), plus the real sandbox as its gateway. Tests call `app.request()`.
 */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'scanforpay-server-'));
  const engine = await openEngine();
  const store = await engine.open();
  const sandbox = options.noSandbox
    ? undefined
    : await startSandbox({
        port: 0,
        control: true,
        notifySchedule: [0, 100, 200],
        log: captureLine,
        ...options.sandbox,
      });
  const transport = createNodeTransport();
  const logs: string[] = [];
  let offset = 0;
  const now = () => Date.now() + offset;

  const late: { fetch?: (request: Request, env: unknown) => Response | Promise<Response> } = {};
  const server = serve({
    fetch: (request, env) =>
      late.fetch ? late.fetch(request, env) : new Response(null, { status: 503 }),
    port: 0,
    hostname: '127.0.0.1',
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const proxyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const app = createProxy({
    credentials: {
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
    },
    gatewayUrl: sandbox?.url ?? 'http://127.0.0.1:9',
    publicUrl: proxyUrl,
    resultUrl: RESULT_URL,
    catalog: CATALOG,
    checkoutTokenSecret: TOKEN_SECRET,
    store,
    clock: now,
    transport,
    hash: nodeSha256,
    clientAddress: (c) => getConnInfo(c).remote.address,
    rateLimit: 1000,
    gatewayTimeoutMs: 2000,
    returnQueryTimeoutMs: 1000,
    log: (line) => {
      logs.push(line);
      captureLine(line);
    },
    ...options.proxy,
  });
  late.fetch = async (request, env) => captureResponse(await app.fetch(request, env));

  async function request(path: string, init?: RequestInit): Promise<Response> {
    return captureResponse(await app.request(path, init));
  }

  return {
    app,
    request,
    createOrder: (body, headers = {}) =>
      request('/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: SHOP_ORIGIN, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    sandbox,
    async control(path, body) {
      if (!sandbox) throw new Error('no sandbox in this harness');
      const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
        method:
          body === undefined && !path.match(/\/(pay|fail|cancel|expire|notify|reset)$/)
            ? 'GET'
            : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined && !path.match(/\/(pay|fail|cancel|expire|notify|reset)$/)
          ? {}
          : { body: JSON.stringify(body ?? {}) }),
      });
      const json: unknown = await response.json();
      if (!response.ok)
        throw new Error(`sandbox ${path}: ${response.status} ${JSON.stringify(json)}`);
      return json;
    },
    store,
    query: (sql) => engine.query(sql),
    proxyUrl,
    logs,
    advance: (ms) => {
      offset += ms;
    },
    now,
    dir,
    async close() {
      await sandbox?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      transport.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
