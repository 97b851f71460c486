import { request } from 'node:http';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteStore, startProxy, type RunningProxy } from '@scanforpay/server/node';
import { SECURITY_HEADERS } from '../src/middleware/security-headers.js';
import { DASHBOARD_HEADERS } from '../src/dashboard/dashboard-env.js';
import { CATALOG } from './helpers/catalog.js';
import { captureLine } from './helpers/traffic.js';

/**
 * The Node entry sets the security headers on its native response (`securityHeaders:
 * 'adapter'`): every answer carries each exactly once, and a route's own value wins, as with
 * the core's middleware.
 */
let proxy: RunningProxy;

beforeAll(async () => {
  proxy = await startProxy({
    credentials: {
      partnerNo: DEFAULT_PARTNER.partnerNo,
      storeNo: DEFAULT_PARTNER.storeNo,
      signKey: DEFAULT_PARTNER.signKey,
    },
    gatewayUrl: 'http://127.0.0.1:9',
    resultUrl: 'https://shop.example/thanks',
    catalog: CATALOG,
    store: createSqliteStore({ path: ':memory:' }),
    adminToken: 'a'.repeat(40),
    port: 0,
    host: '127.0.0.1',
    backgroundIntervalMs: 0,
    log: captureLine,
  });
});

afterAll(() => proxy.close());

/** The raw header lines of an answer (name lowercased → every value sent). */
function rawHeaders(
  path: string,
  method = 'GET',
): Promise<{ status: number; headers: Map<string, string[]> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${proxy.url}${path}`, { method }, (res) => {
      const headers = new Map<string, string[]>();
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        const name = res.rawHeaders[i]!.toLowerCase();
        headers.set(name, [...(headers.get(name) ?? []), res.rawHeaders[i + 1]!]);
      }
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('security headers on the Node entry', () => {
  it('are on every answer once each: a JSON answer, a problem, a 404', async () => {
    for (const [path, method, status] of [
      ['/healthz', 'GET', 200],
      ['/notify', 'POST', 400],
      ['/nowhere', 'GET', 404],
    ] as const) {
      const answer = await rawHeaders(path, method);
      expect(answer.status, path).toBe(status);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(answer.headers.get(name), `${path} ${name}`).toEqual([value]);
      }
    }
  });

  it('leave a route its own: the dashboard keeps its CSP and X-Frame-Options', async () => {
    const answer = await rawHeaders('/admin/ui/sign-in');
    expect(answer.status).toBe(200);
    for (const name of ['content-security-policy', 'x-frame-options', 'referrer-policy']) {
      expect(answer.headers.get(name), name).toEqual([DASHBOARD_HEADERS[name]]);
    }
    expect(answer.headers.get('x-dns-prefetch-control')).toEqual(['off']);
  });

  it('leave an asset other sites embed its cross-origin resource policy', async () => {
    const answer = await rawHeaders('/wallets/AlipayHK.svg');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cross-origin-resource-policy')).toEqual(['cross-origin']);
    expect(answer.headers.get('x-content-type-options')).toEqual(['nosniff']);
  });
});
