import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createProxy, type ProxyOptions } from '@scanforpay/server';
import { ConfigError, loadConfig, type ProxyEnvironment } from '@scanforpay/server/node';
import { DEFAULTS } from '../src/config/defaults.js';
import {
  NODE_VARIABLES,
  parseCatalogJson,
  parseEnv,
  PROXY_VARIABLES,
} from '../src/config/parse-env.js';
import { createSqliteStore } from '../src/store/sqlite/create-sqlite-store.js';
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
      ROUTES: 'Wechat/wechat=qrcode, Alipay=qrcode',
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
      routes: { 'Wechat/wechat': 'qrcode', Alipay: 'qrcode' },
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
      { DATABASE_URL: 'mysql://db/x' },
      'DATABASE_URL',
      'DATABASE_URL: use file:PATH for SQLite or postgres://… for Postgres',
    ],
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
    [
      { ROUTES: 'AlipayHK=qrcode' },
      'ROUTES',
      'ROUTES: "AlipayHK": AlipayHK is only offered on online/create',
    ],
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

  it('names every missing or invalid variable in one error, a line each', () => {
    const error = failure({
      SCANFORPAY_PARTNER_NO: '',
      SCANFORPAY_STORE_NO: '',
      SCANFORPAY_SIGN_KEY: '',
      RESULT_URL: '',
      ORDER_TIMEOUT: '90s',
      PORT: 'eighty',
      DATABASE_URL: 'mysql://db/x',
      CATALOG: './missing.json',
      MAX_CONNECTIONS: '0',
    });
    expect(error.problems.map((p) => p.variable)).toEqual([
      'PORT',
      'SCANFORPAY_PARTNER_NO',
      'SCANFORPAY_STORE_NO',
      'SCANFORPAY_SIGN_KEY',
      'RESULT_URL',
      'ORDER_TIMEOUT',
      'CATALOG',
      'DATABASE_URL',
      'MAX_CONNECTIONS',
    ]);
    expect(error.variable).toBe('PORT');
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('9 settings need fixing:');
    expect(lines.slice(1)).toEqual(error.problems.map((p) => `  ${p.variable}: ${p.problem}`));
    expect(lines[6]).toBe('  ORDER_TIMEOUT: "90s": use minutes, hours or days, e.g. 30m');
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

const PG_PASSWORD = 'pg-secret-Pa55word';
const WEBHOOK_SECRET = `whsec_${Buffer.from('w'.repeat(32)).toString('base64')}`;
const ADMIN_TOKEN = 'admin-token-0123456789abcdefghijklmnop';
const WEBHOOK = { MERCHANT_WEBHOOK_URL: 'https://shop.example/hooks/scanforpay' };

describe('loadConfig: DATABASE_URL', () => {
  it.each(['postgres', 'postgresql'])('selects Postgres for %s://', (scheme) => {
    const url = `${scheme}://app:${PG_PASSWORD}@db.example:5432/orders?sslmode=require`;
    const config = load({ DATABASE_URL: url });
    expect(config.postgresUrl).toBe(url);
    expect(config.databasePath).toBeUndefined();
  });

  it('keeps file: as SQLite, relative to cwd', () => {
    const config = load({ DATABASE_URL: 'file:./data/orders.db' });
    expect(config.databasePath).toBe(join(dir, 'data', 'orders.db'));
    expect(config.postgresUrl).toBeUndefined();
    expect(load({ DATABASE_URL: 'file::memory:' }).databasePath).toBe(':memory:');
  });

  it.each([
    [`postgres://app:${PG_PASSWORD}@db.example:5432/`, 'names no database'],
    [`postgres://app:${PG_PASSWORD}@db.example`, 'names no database'],
    [`postgresql:///orders?password=${PG_PASSWORD}`, 'names no host'],
    [`postgresql://app:${PG_PASSWORD}@/orders`, 'is not a valid Postgres URL'],
    [`postgres://app:${PG_PASSWORD}@db.example:99999/orders`, 'is not a valid Postgres URL'],
  ])('refuses %s without echoing the password', (url, problem) => {
    const error = failure({ DATABASE_URL: url });
    expect(error.variable).toBe('DATABASE_URL');
    expect(error.message).toBe(
      `DATABASE_URL: ${problem} (e.g. postgres://user:password@host:5432/scanforpay)`,
    );
    expect(error.message).not.toContain(PG_PASSWORD);
  });
});

describe('loadConfig: merchant webhook', () => {
  it('is off by default', () => {
    expect(load({}).webhook).toBeUndefined();
  });

  it('reads the URL, the secret and the default timeout', () => {
    expect(load({ ...WEBHOOK, MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET }).webhook).toEqual({
      url: 'https://shop.example/hooks/scanforpay',
      secret: WEBHOOK_SECRET,
      timeoutMs: 10_000,
    });
  });

  it('reads WEBHOOK_TIMEOUT_MS and allows http outside production', () => {
    const config = load({
      MERCHANT_WEBHOOK_URL: 'http://localhost:3000/hooks',
      MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      WEBHOOK_TIMEOUT_MS: '2500',
    });
    expect(config.webhook).toEqual({
      url: 'http://localhost:3000/hooks',
      secret: WEBHOOK_SECRET,
      timeoutMs: 2500,
    });
  });

  it('accepts secrets of 24 and 64 bytes', () => {
    for (const bytes of [24, 64]) {
      const secret = `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
      expect(load({ ...WEBHOOK, MERCHANT_WEBHOOK_SECRET: secret }).webhook?.secret).toBe(secret);
    }
  });

  it.each([
    [
      { MERCHANT_WEBHOOK_URL: 'hooks.example/x', MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET },
      'MERCHANT_WEBHOOK_URL',
      'MERCHANT_WEBHOOK_URL: must be an absolute http(s) URL',
    ],
    [
      {
        NODE_ENV: 'production',
        ALLOWED_ORIGINS: 'https://shop.example',
        MERCHANT_WEBHOOK_URL: 'http://shop.example/hooks',
        MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      },
      'MERCHANT_WEBHOOK_URL',
      'MERCHANT_WEBHOOK_URL: must be https when NODE_ENV=production',
    ],
    [
      { MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET },
      'MERCHANT_WEBHOOK_URL',
      'MERCHANT_WEBHOOK_URL: is required when MERCHANT_WEBHOOK_SECRET is set',
    ],
    [
      WEBHOOK,
      'MERCHANT_WEBHOOK_SECRET',
      'MERCHANT_WEBHOOK_SECRET: is required when MERCHANT_WEBHOOK_URL is set',
    ],
    [
      { ...WEBHOOK, MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET, WEBHOOK_TIMEOUT_MS: '999' },
      'WEBHOOK_TIMEOUT_MS',
      'WEBHOOK_TIMEOUT_MS: a whole number from 1000 to 60000',
    ],
    [
      { ...WEBHOOK, MERCHANT_WEBHOOK_SECRET: WEBHOOK_SECRET, WEBHOOK_TIMEOUT_MS: '60001' },
      'WEBHOOK_TIMEOUT_MS',
      'WEBHOOK_TIMEOUT_MS: a whole number from 1000 to 60000',
    ],
  ])('refuses %o naming %s', (env, variable, message) => {
    const error = failure(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain(WEBHOOK_SECRET);
  });

  // The same check as createProxy's `webhook.secret`, named for the variable.
  it.each([
    [
      'no whsec_ prefix',
      Buffer.alloc(32, 1).toString('base64'),
      'must start with whsec_ (make one with scanforpay-proxy webhook-secret)',
    ],
    [
      '23 bytes',
      `whsec_${Buffer.alloc(23, 1).toString('base64')}`,
      'must hold 24 to 64 bytes, it holds 23',
    ],
    [
      '65 bytes',
      `whsec_${Buffer.alloc(65, 1).toString('base64')}`,
      'must hold 24 to 64 bytes, it holds 65',
    ],
    [
      'not base64',
      `whsec_${'not-base64!'.repeat(4)}`,
      'must be whsec_ followed by standard base64',
    ],
    [
      'bad padding',
      `whsec_${Buffer.alloc(32, 1).toString('base64').slice(0, -1)}`,
      'must be whsec_ followed by standard base64',
    ],
  ])('refuses a webhook secret with %s, without echoing it', (_, secret, problem) => {
    const error = failure({ ...WEBHOOK, MERCHANT_WEBHOOK_SECRET: secret });
    expect(error.message).toBe(`MERCHANT_WEBHOOK_SECRET: ${problem}`);
    expect(error.message).not.toContain(secret.slice('whsec_'.length));
  });
});

describe('loadConfig: ADMIN_TOKEN and RECONCILE_AFTER', () => {
  it('reads the admin token; the admin routes stay off without it', () => {
    expect(load({}).adminToken).toBeUndefined();
    expect(load({ ADMIN_TOKEN }).adminToken).toBe(ADMIN_TOKEN);
  });

  it('refuses a short admin token without echoing it', () => {
    const token = 'admin-token-too-short';
    const error = failure({ ADMIN_TOKEN: token });
    expect(error.message).toBe('ADMIN_TOKEN: at least 32 characters');
    expect(error.message).not.toContain(token);
  });

  it.each([
    ['10s', 10_000],
    ['60s', 60_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
  ])('reads RECONCILE_AFTER=%s as %d ms', (raw, ms) => {
    expect(load({ RECONCILE_AFTER: raw }).reconcileAfterMs).toBe(ms);
  });

  it('leaves the reconciliation default to the proxy', () => {
    expect(load({}).reconcileAfterMs).toBeUndefined();
  });

  it.each(['9s', '61m', '2h', '90', 'soon', '1.5m'])('refuses RECONCILE_AFTER=%s', (raw) => {
    expect(failure({ RECONCILE_AFTER: raw }).message).toBe(
      `RECONCILE_AFTER: "${raw}": from 10s to 1h, e.g. 60s or 2m`,
    );
  });

  it.each([
    [undefined, 90],
    ['30', 30],
    ['0', 0],
    ['off', 0],
    ['OFF', 0],
    ['36500', 36_500],
  ])('reads RETENTION_DAYS=%s as %d days', (raw, days) => {
    expect(load(raw === undefined ? {} : { RETENTION_DAYS: raw }).retentionDays).toBe(days);
  });

  it.each(['-1', '1.5', '90d', '36501', 'never'])('refuses RETENTION_DAYS=%s', (raw) => {
    expect(failure({ RETENTION_DAYS: raw }).message).toBe(
      `RETENTION_DAYS: "${raw}": whole days from 1 to 36500, or 0 or off to keep everything`,
    );
  });
});

describe('parseEnv (every platform)', () => {
  it('needs no file system: no PUBLIC_URL default, no catalog, no database', () => {
    const config = parseEnv({ ...BASE, ADMIN_TOKEN });
    expect(config.publicUrl).toBeUndefined();
    expect(config).not.toHaveProperty('catalog');
    expect(config).not.toHaveProperty('databasePath');
    expect(config.adminToken).toBe(ADMIN_TOKEN);
  });

  it('parses catalog JSON text, naming the field without a file', () => {
    expect(parseCatalogJson(JSON.stringify(CATALOG)).get('tee-red')).toMatchObject({
      amount: 19900,
    });
    expect(() => parseCatalogJson('{"items":[{"id":"x"}]}')).toThrow(/^CATALOG: items\[0\]/);
    expect(() => parseCatalogJson('{ items')).toThrow(/^CATALOG: is not valid JSON \(/);
  });

  it('throws the same ConfigError class that the Node entry exports', () => {
    expect(() => parseEnv({})).toThrow(ConfigError);
  });
});

describe('the variable tables', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  /** The README's environment table: first cell (the names) → third cell (the default). */
  const rows = new Map(
    readme
      .split('\n')
      .filter((line) => /^\| `[A-Z_]+`/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map((cells) => [cells[1]!, cells[3]!] as const),
  );
  const defaultOf = (name: string) =>
    [...rows].find(([names]) => names.includes(`\`${name}\``))?.[1];

  it('lists every variable in the README', () => {
    for (const name of [...Object.keys(PROXY_VARIABLES), ...Object.keys(NODE_VARIABLES)]) {
      expect(defaultOf(name), name).toBeDefined();
    }
  });

  it('states the defaults the README states', () => {
    expect(defaultOf('ORDER_TIMEOUT')).toBe(`\`${DEFAULTS.orderTimeout}\``);
    expect(defaultOf('RATE_LIMIT')).toBe(`\`${DEFAULTS.rateLimit}\``);
    expect(defaultOf('WEBHOOK_TIMEOUT_MS')).toBe(`\`${DEFAULTS.webhookTimeoutMs}\``);
    expect(defaultOf('RECONCILE_AFTER')).toBe(`\`${DEFAULTS.reconcileAfterMs / 1000}s\``);
    expect(defaultOf('RETENTION_DAYS')).toBe(`\`${DEFAULTS.retentionDays}\``);
    expect(defaultOf('PORT')).toBe(`\`${DEFAULTS.host}\`, \`${DEFAULTS.port}\``);
  });
});

describe('createProxy', () => {
  const store = createSqliteStore({ path: ':memory:' });
  afterAll(() => store.close());
  const options: ProxyOptions = {
    credentials: {
      partnerNo: BASE.SCANFORPAY_PARTNER_NO!,
      storeNo: BASE.SCANFORPAY_STORE_NO!,
      signKey: BASE.SCANFORPAY_SIGN_KEY!,
    },
    publicUrl: 'http://localhost:8787',
    resultUrl: BASE.RESULT_URL!,
    store,
  };

  it.each([
    [{ orderTimeout: '1.5h' }, 'orderTimeout: "1.5h": use minutes, hours or days, e.g. 30m'],
    [{ orderTimeout: '16d' }, 'orderTimeout: "16d": at most 15d'],
    [{ adminToken: 'admin-token-too-short' }, 'adminToken: at least 32 characters'],
    [
      { webhook: { url: WEBHOOK.MERCHANT_WEBHOOK_URL, secret: 'whsec_AAAA' } },
      'the webhook secret must hold 24 to 64 bytes, it holds 3',
    ],
    [
      { routes: { 'AlipayHK/desktop': 'qrcode' } },
      'routes: "AlipayHK/desktop": AlipayHK is only offered on online/create',
    ],
    [
      { routes: { 'Wechat/tv': 'qrcode' } },
      'routes: "Wechat/tv": a wallet (Alipay, AlipayHK, Wechat) or wallet/context (desktop, mobile, wechat, alipay, social)',
    ],
    [{ routes: { Wechat: 'scan' } }, 'routes: "Wechat": "online" or "qrcode"'],
  ] as [Partial<ProxyOptions>, string][])(
    "makes the env parser's checks on %o",
    (extra, message) => {
      expect(() => createProxy({ ...options, ...extra })).toThrow(new TypeError(message));
    },
  );
});
