import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readCliEnv } from '../src/read-cli-env.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pluginCheck } from './helpers.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const phpClient = fileURLToPath(new URL('./fixtures/php_style_client.py', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
}

/** Starts the built CLI and waits for its "listening on" line. */
function startCli(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, [cli], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${out}${err}`)), 10_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match && out.includes('signKey')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, stdout: () => out });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${err}`));
    });
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Runs the CLI expecting it to exit on its own; returns its exit code and stderr. */
async function runCli(env: Record<string, string>) {
  try {
    await run(process.execPath, [cli], { env: { ...process.env, ...env }, timeout: 10_000 });
    return { code: 0, stderr: '' };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

beforeAll(async () => {
  // The bin is the built file: build it from the current sources.
  await run(
    process.execPath,
    [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', 'tsconfig.build.json'],
    {
      cwd: root,
      timeout: 60_000,
    },
  );
});

describe('scanforpay-sandbox CLI', () => {
  describe('with default credentials', () => {
    let started: Started;
    beforeAll(async () => {
      started = await startCli({ SANDBOX_NOTIFY_SCHEDULE: '0,50,100' });
    });
    afterAll(async () => {
      await stop(started.child);
    });

    it('prints its base URL and credentials', () => {
      const out = started.stdout();
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out).toContain('partnerNo   100000000000001');
      expect(out).toContain('storeNo     200000000000001');
      expect(out).toContain('signKey     sandbox-demo-sign-key');
      expect(out).toContain(`control     ${started.url}/__sandbox/`);
    });

    it('serves an independent PHP-format client end to end', async () => {
      const { stdout } = await run(
        'python3',
        [phpClient, started.url, '100000000000001', '200000000000001', 'sandbox-demo-sign-key'],
        { timeout: 20_000 },
      );
      const result = JSON.parse(stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ ok: true, notices: 2 });
      expect(result.orderNo).toMatch(/^\d{16}$/);
      expect(result.overRefundMsg).toMatch(/exceeds/);
    });

    it('serves a JavaScript-format (JSON.stringify, unescaped) client', async () => {
      const key = 'sandbox-demo-sign-key';
      const send = async (path: string, body: object) => {
        const request = {
          header: {
            version: '1.0',
            partnerNo: '100000000000001',
            reqMsgId: crypto.randomUUID(),
            reqTime: '2024-05-01T10:00:00+08:00',
            signType: 'SHA256',
          },
          body,
        };
        const text = JSON.stringify(request);
        const signature = createHash('sha256')
          .update(text + key)
          .digest('hex');
        const res = await fetch(started.url + path, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"request":${text},"signature":"${signature}"}`,
        });
        const answer = await res.text();
        expect(await pluginCheck(answer, key)).toBe(true);
        return (JSON.parse(answer) as { response: { body: Record<string, unknown> } }).response
          .body;
      };
      const created = await send('/api/online/create', {
        storeNo: '200000000000001',
        partnerOrderNo: 'js-1',
        wallet: 'Alipay',
        orderAmount: 500,
        currency: 'CNY',
        orderTitle: '測試 / test',
        returnUrl: 'https://shop.example/return',
      });
      expect(created.code).toBe(1);
      await fetch(`${started.url}/__sandbox/orders/js-1/pay`, { method: 'POST' });
      expect((await send('/api/common/payQuery', { partnerOrderNo: 'js-1' })).status).toBe(1);
      const bad = await send('/api/common/payQuery', { partnerOrderNo: 'js-404' });
      expect(bad).toMatchObject({ code: 1006 });
    });
  });

  it('uses SANDBOX_* credentials and PUBLIC_URL, and stops cleanly on SIGINT', async () => {
    const started = await startCli({
      SANDBOX_PARTNER_NO: '123',
      SANDBOX_STORE_NO: '456',
      SANDBOX_SIGN_KEY: 'my-key',
      PUBLIC_URL: 'https://sandbox.example.test',
    });
    expect(started.stdout()).toContain('partnerNo   123');
    expect(started.stdout()).toContain('signKey     my-key');
    expect(started.stdout()).toContain('public URL  https://sandbox.example.test');
    const parts = await (await fetch(`${started.url}/__sandbox/partners`)).json();
    expect(parts).toMatchObject({ partners: [{ partnerNo: '123', storeNo: '456' }] });
    expect(await stop(started.child, 'SIGINT')).toBe(0);
    expect(started.stdout()).toContain('scanforpay-sandbox stopped (SIGINT)');
  });

  it('exits with one clear line when the port is in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runCli({ PORT: String(port) });
    blocker.close();
    expect(code).toBe(1);
    expect(stderr).toBe(`scanforpay-sandbox: port ${port} is already in use; set PORT\n`);
  });

  it('exits with one clear line on a bad variable', async () => {
    for (const [env, line] of [
      [{ PORT: 'eighty' }, 'PORT must be a port number from 0 to 65535, got "eighty"'],
      [
        { PORT: '0', PUBLIC_URL: 'localhost:1' },
        'PUBLIC_URL must be an absolute http(s) URL, got "localhost:1"',
      ],
      [
        { PORT: '0', SANDBOX_PARTNER_NO: '1234567890123456' },
        'SANDBOX_PARTNER_NO must be at most 15 characters',
      ],
      [
        { PORT: '0', SANDBOX_NOTIFY_SCHEDULE: '0,soon' },
        'SANDBOX_NOTIFY_SCHEDULE must be delays in ms like 0,1000,2000',
      ],
    ] as const) {
      const { code, stderr } = await runCli(env);
      expect(code).toBe(1);
      expect(stderr).toBe(`scanforpay-sandbox: ${line}\n`);
    }
  });
});

describe('readCliEnv', () => {
  it('names every bad variable at once', () => {
    expect(() =>
      readCliEnv({
        PORT: 'eighty',
        PUBLIC_URL: 'localhost:1',
        SANDBOX_STORE_NO: '1234567890123456',
        SANDBOX_CURRENCIES: 'hkd',
        SANDBOX_NOTIFY_SCHEDULE: 'soon',
      }),
    ).toThrow(
      [
        '5 settings need fixing:',
        '  PORT must be a port number from 0 to 65535, got "eighty"',
        '  PUBLIC_URL must be an absolute http(s) URL, got "localhost:1"',
        '  SANDBOX_CURRENCIES must be codes like HKD,CNY,USD',
        '  SANDBOX_NOTIFY_SCHEDULE must be delays in ms like 0,1000,2000',
        '  SANDBOX_STORE_NO must be at most 15 characters',
      ].join('\n'),
    );
  });

  it('defaults to port 8788 on 127.0.0.1 with the control API on', () => {
    expect(readCliEnv({})).toMatchObject({
      port: 8788,
      host: '127.0.0.1',
      control: true,
      partners: [
        {
          partnerNo: '100000000000001',
          storeNo: '200000000000001',
          signKey: 'sandbox-demo-sign-key',
        },
      ],
    });
  });

  it('reads HOST, currencies, merchant name and schedule', () => {
    expect(
      readCliEnv({
        HOST: '0.0.0.0',
        SANDBOX_CURRENCIES: 'HKD, JPY',
        SANDBOX_MERCHANT_NAME: 'Tea House',
        SANDBOX_NOTIFY_SCHEDULE: '0,1000',
      }),
    ).toMatchObject({
      host: '0.0.0.0',
      notifySchedule: [0, 1000],
      partners: [{ currencies: ['HKD', 'JPY'], merchantName: 'Tea House' }],
    });
  });
});
