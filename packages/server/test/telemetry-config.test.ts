import { readFileSync } from 'node:fs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { describe, expect, it, vi } from 'vitest';
import { createProxy, type ProxyTelemetry } from '@scanforpay/server';
import { instrumentClient } from '../src/telemetry/instrument-client.js';
import {
  ConfigError,
  createSqliteStore,
  loadConfig,
  type ProxyEnvironment,
} from '@scanforpay/server/node';
import { TELEMETRY_VARIABLES } from '../src/config/parse-telemetry-env.js';
import { CATALOG } from './helpers/catalog.js';

/** METRICS_TOKEN, METRICS_PORT and the OTLP variables: off by default, bad values stop start-up. */
const BASE: ProxyEnvironment = {
  SCANFORPAY_PARTNER_NO: '100000000000001',
  SCANFORPAY_STORE_NO: '200000000000001',
  SCANFORPAY_SIGN_KEY: 'a-real-looking-sign-key',
  RESULT_URL: 'https://shop.example/thanks',
  CHECKOUT_TOKEN_SECRET: 'test-checkout-token-secret-0123456789abcdef',
  CATALOG: '',
};
const TOKEN = 'metrics-token-0123456789abcdefghijklmnop';
const load = (env: ProxyEnvironment) => loadConfig({ ...BASE, ...env }, { cwd: '/nonexistent' });

function failure(env: ProxyEnvironment): string {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('telemetry variables', () => {
  it('are all off by default', () => {
    const config = load({});
    for (const key of ['metricsToken', 'metricsPort', 'tracesUrl', 'serviceName', 'telemetry']) {
      expect(config, key).not.toHaveProperty(key);
    }
  });

  it('read the token, the port, the OTLP endpoint (and its traces URL, which wins) and the name', () => {
    expect(
      load({
        METRICS_TOKEN: TOKEN,
        METRICS_PORT: '9464',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
        OTEL_SERVICE_NAME: 'shop-proxy',
      }),
    ).toMatchObject({
      metricsToken: TOKEN,
      metricsPort: 9464,
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      serviceName: 'shop-proxy',
    });
    expect(
      load({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/traces',
      }).tracesUrl,
    ).toBe('https://collector.example/traces');
  });

  it.each([
    [{ METRICS_TOKEN: 'short-token' }, 'METRICS_TOKEN: at least 32 characters'],
    [{ METRICS_PORT: '0' }, 'METRICS_PORT: a whole number from 1 to 65535'],
    [{ METRICS_PORT: '9464x' }, 'METRICS_PORT: a whole number from 1 to 65535'],
    [
      { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' },
      'OTEL_EXPORTER_OTLP_ENDPOINT: must be an absolute http(s) URL',
    ],
    [
      { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'grpc://collector:4317' },
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: must be an absolute http(s) URL',
    ],
    [{ OTEL_SERVICE_NAME: 'x'.repeat(101) }, 'OTEL_SERVICE_NAME: at most 100 characters'],
  ])('refuse %j with one line, never echoing a token', (env, message) => {
    expect(failure(env)).toBe(message);
    expect(message).not.toContain('short-token');
  });

  it('are in the README table', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| `[A-Z_]+`/.test(line));
    for (const name of Object.keys(TELEMETRY_VARIABLES)) {
      expect(
        rows.some((row) => row.split('|')[1]!.includes(`\`${name}\``)),
        name,
      ).toBe(true);
    }
  });
});

describe('createProxy', () => {
  const options = (telemetry?: ProxyTelemetry) => ({
    credentials: { partnerNo: '1', storeNo: '2', signKey: 'a-real-looking-sign-key' },
    publicUrl: 'http://localhost:8787',
    resultUrl: 'https://shop.example/thanks',
    catalog: CATALOG,
    store: createSqliteStore({ path: ':memory:' }),
    ...(telemetry ? { telemetry } : {}),
  });
  const handlers = (telemetry?: ProxyTelemetry) =>
    createProxy(options(telemetry)).routes.map(
      (route) => `${route.method} ${route.path} ${route.handler.name}`,
    );

  it('runs no telemetry code when off: no middleware, no /metrics, the gateway client as is', () => {
    const off = handlers();
    expect(off.filter((line) => /telemetry|metrics/i.test(line))).toEqual([]);
    const on = handlers({
      meterProvider: new MeterProvider(),
      metricsEndpoint: { token: 'm'.repeat(32), scrape: async () => '' },
    });
    expect(on.filter((line) => /telemetry|metrics/i.test(line))).toEqual([
      'ALL /* requestTelemetry',
      'GET /metrics adminAuth',
      'GET /metrics metrics',
    ]);
    const client = { createOrder: vi.fn(), queryPayment: vi.fn(), refund: vi.fn() };
    expect(instrumentClient(client, {})).toBe(client);
  });

  it('refuses a short metrics token', () => {
    const store = createSqliteStore({ path: ':memory:' });
    expect(() =>
      createProxy({
        credentials: { partnerNo: '1', storeNo: '2', signKey: 'a-real-looking-sign-key' },
        publicUrl: 'http://localhost:8787',
        resultUrl: 'https://shop.example/thanks',
        catalog: CATALOG,
        store,
        telemetry: { metricsEndpoint: { token: 'short', scrape: async () => '' } },
      }),
    ).toThrow('telemetry.metricsEndpoint.token: at least 32 characters');
    return store.close();
  });
});
