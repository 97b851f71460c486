import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type ProxyEnvironment } from '@scanforpay/server/node';
import { CATALOG } from './helpers/catalog.js';

const dir = mkdtempSync(join(tmpdir(), 'scanforpay-config-'));
writeFileSync(join(dir, 'catalog.json'), JSON.stringify(CATALOG));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BASE: ProxyEnvironment = {
  SCANFORPAY_PARTNER_NO: '100000000000001',
  SCANFORPAY_STORE_NO: '200000000000001',
  SCANFORPAY_SIGN_KEY: 'a-real-looking-sign-key',
  RESULT_URL: 'https://shop.example/thanks',
};

const load = (env: ProxyEnvironment) => loadConfig({ ...BASE, ...env }, { cwd: dir });

function failure(env: ProxyEnvironment): ConfigError {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = load({});
    expect(config).toMatchObject({
      credentials: {
        partnerNo: '100000000000001',
        storeNo: '200000000000001',
        signKey: 'a-real-looking-sign-key',
      },
      gatewayUrl: 'https://pay.scanforpay.com',
      publicUrl: 'http://localhost:8787',
      resultUrl: 'https://shop.example/thanks',
      databasePath: join(dir, 'scanforpay.db'),
      rateLimit: 60,
      trustProxy: false,
      orderTimeout: '30m',
      host: '127.0.0.1',
      port: 8787,
    });
    expect(config.allowedOrigins).toBeUndefined();
    expect(config.catalog && 'get' in config.catalog && config.catalog.get('tee-red')?.title).toBe(
      'Red tee',
    );
  });

  it('reads every variable', () => {
    const config = load({
      SCANFORPAY_API_URL: 'http://127.0.0.1:8788',
      PORT: '9000',
      HOST: '0.0.0.0',
      PUBLIC_URL: 'https://pay.shop.example/proxy/',
      ALLOWED_ORIGINS: 'https://shop.example, https://www.shop.example/',
      DATABASE_URL: 'file:/var/lib/scanforpay/orders.db',
      RATE_LIMIT: '5',
      TRUST_PROXY: '2',
      CHECKOUT_TOKEN_SECRET: 'x'.repeat(32),
      ORDER_TIMEOUT: '2h',
      PAY_URL_HOSTS: 'cashier.example, Pay.Example',
      LOG_LEVEL: 'warn',
      SQLITE_SYNCHRONOUS: 'full',
    });
    expect(config).toMatchObject({
      gatewayUrl: 'http://127.0.0.1:8788',
      port: 9000,
      host: '0.0.0.0',
      publicUrl: 'https://pay.shop.example/proxy',
      allowedOrigins: ['https://shop.example', 'https://www.shop.example'],
      databasePath: '/var/lib/scanforpay/orders.db',
      rateLimit: 5,
      trustProxy: 2,
      orderTimeout: '2h',
      payUrlHosts: ['cashier.example', 'pay.example'],
      logLevel: 'warn',
      sqliteSynchronous: 'FULL',
    });
    expect(load({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(load({ PORT: '0' }).publicUrl).toBeUndefined();
  });

  it.each([
    [{ SCANFORPAY_PARTNER_NO: '' }, 'SCANFORPAY_PARTNER_NO', 'SCANFORPAY_PARTNER_NO: is required'],
    [{ SCANFORPAY_STORE_NO: undefined }, 'SCANFORPAY_STORE_NO', 'SCANFORPAY_STORE_NO: is required'],
    [{ SCANFORPAY_SIGN_KEY: '  ' }, 'SCANFORPAY_SIGN_KEY', 'SCANFORPAY_SIGN_KEY: is required'],
    [
      { SCANFORPAY_SIGN_KEY: 'short' },
      'SCANFORPAY_SIGN_KEY',
      'SCANFORPAY_SIGN_KEY: is too short to be a real sign key',
    ],
    [
      { SCANFORPAY_PARTNER_NO: '1234567890123456' },
      'SCANFORPAY_PARTNER_NO',
      'SCANFORPAY_PARTNER_NO: at most 15 characters',
    ],
    [{ RESULT_URL: undefined }, 'RESULT_URL', 'RESULT_URL: is required'],
    [{ RESULT_URL: '/thanks' }, 'RESULT_URL', 'RESULT_URL: must be an absolute http(s) URL'],
    [
      { SCANFORPAY_API_URL: 'ftp://x' },
      'SCANFORPAY_API_URL',
      'SCANFORPAY_API_URL: must be an absolute http(s) URL',
    ],
    [{ PUBLIC_URL: 'nope' }, 'PUBLIC_URL', 'PUBLIC_URL: must be an absolute http(s) URL'],
    [
      { PUBLIC_URL: `https://x.example/${'a'.repeat(200)}` },
      'PUBLIC_URL',
      'PUBLIC_URL: too long for notifyUrl (200 characters)',
    ],
    [{ PORT: '70000' }, 'PORT', 'PORT: a whole number from 0 to 65535'],
    [{ RATE_LIMIT: 'lots' }, 'RATE_LIMIT', 'RATE_LIMIT: a whole number from 0 to 1000000'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY', 'TRUST_PROXY: a whole number from 0 to 10'],
    [
      { ALLOWED_ORIGINS: 'https://shop.example/path' },
      'ALLOWED_ORIGINS',
      'ALLOWED_ORIGINS: "https://shop.example/path" is not an origin like https://shop.example (no path)',
    ],
    [
      { NODE_ENV: 'production' },
      'ALLOWED_ORIGINS',
      'ALLOWED_ORIGINS: is required when NODE_ENV=production (comma-separated storefront origins)',
    ],
    [
      { DATABASE_URL: 'postgres://db/x' },
      'DATABASE_URL',
      'DATABASE_URL: Postgres is not supported by this release yet; use file:./scanforpay.db',
    ],
    [{ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL', 'DATABASE_URL: use file:PATH for SQLite'],
    [
      { CHECKOUT_TOKEN_SECRET: 'short' },
      'CHECKOUT_TOKEN_SECRET',
      'CHECKOUT_TOKEN_SECRET: at least 32 characters',
    ],
    [
      { ORDER_TIMEOUT: '90s' },
      'ORDER_TIMEOUT',
      'ORDER_TIMEOUT: "90s": use minutes, hours or days, e.g. 30m',
    ],
    [{ ORDER_TIMEOUT: '16d' }, 'ORDER_TIMEOUT', 'ORDER_TIMEOUT: "16d": at most 15d'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', 'LOG_LEVEL: one of debug, info, warn, error'],
    [{ SQLITE_SYNCHRONOUS: 'OFF' }, 'SQLITE_SYNCHRONOUS', 'SQLITE_SYNCHRONOUS: NORMAL or FULL'],
    [{ CATALOG: './missing.json' }, 'CATALOG', 'CATALOG: ./missing.json does not exist'],
  ])('refuses %o naming %s', (env, variable, message) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('a-real-looking-sign-key');
  });

  it('stops on a malformed catalog with the file and field', () => {
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ items: [{ id: 'x', title: 'X', currency: 'HKD', amount: 1.5 }] }),
    );
    writeFileSync(join(dir, 'broken.json'), '{ items: ');
    expect(failure({ CATALOG: 'bad.json' }).message).toBe(
      `CATALOG: ${join(dir, 'bad.json')}: items[0].amount: a positive integer in minor units (19900 = 199.00)`,
    );
    expect(failure({ CATALOG: 'broken.json' }).message).toMatch(
      /^CATALOG: .*broken\.json is not valid JSON/,
    );
  });

  it('runs without a catalog when checkout tokens are enabled', () => {
    const empty = mkdtempSync(join(tmpdir(), 'scanforpay-nocatalog-'));
    try {
      const config = loadConfig({ ...BASE, CHECKOUT_TOKEN_SECRET: 'y'.repeat(40) }, { cwd: empty });
      expect(config.catalog).toBeUndefined();
      expect(() => loadConfig(BASE, { cwd: empty })).toThrow(
        'CATALOG: ./catalog.json does not exist',
      );
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
