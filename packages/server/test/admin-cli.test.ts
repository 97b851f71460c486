import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Order } from '@scanforpay/server/store';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, eventually, type Harness } from './helpers/harness.js';
import { captureLine } from './helpers/traffic.js';

/**
 * The admin commands of `scanforpay-proxy`, as built, against a proxy in this process (with
 * the real sandbox) on loopback. The CLI is compiled into a private directory, so this file
 * never races another one that rebuilds dist/.
 */
const TOKEN = 'a'.repeat(20) + 'b'.repeat(20);
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = mkdtempSync(join(tmpdir(), 'scanforpay-admin-cli-'));
const cli = join(buildDir, 'dist', 'cli.js');
/** The CLI's working directory: no .env unless a test writes one. */
const cwd = join(buildDir, 'work');
let h: Harness;

beforeAll(async () => {
  // The built files resolve their packages through a node_modules link, as when installed.
  symlinkSync(join(packageDir, 'node_modules'), join(buildDir, 'node_modules'), 'dir');
  writeFileSync(join(buildDir, 'package.json'), JSON.stringify({ type: 'module' }));
  mkdirSync(cwd);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', join(buildDir, 'dist')],
    { cwd: packageDir, encoding: 'utf8' },
  );
  // Type errors are the typecheck's business; this needs the emitted JavaScript.
  if (!existsSync(cli)) throw new Error(`build failed: ${built.stdout}${built.stderr}`);
  h = await createHarness({ proxy: { adminToken: TOKEN } });
}, 60_000);

afterAll(async () => {
  await h?.close();
  rmSync(buildDir, { recursive: true, force: true });
});

beforeEach(async () => {
  await h.control('/reset');
});

interface Result {
  code: number | null;
  stdout: string[];
  stderr: string[];
}

/** Runs the CLI to its end (10 s at most) with only the given environment. */
function run(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  return new Promise((done) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const lines = (text: string) => text.split('\n').filter(Boolean);
      for (const line of [...lines(out.stdout), ...lines(out.stderr)]) captureLine(line);
      done({ code, stdout: lines(out.stdout), stderr: lines(out.stderr) });
    });
  });
}

const admin = (args: string[], env: Record<string, string> = {}) =>
  run(args, { ADMIN_TOKEN: TOKEN, PROXY_URL: h.proxyUrl, ...env });

/** Requests the proxy has logged so far. */
const requestCount = () => h.logs.filter((line) => line.includes('"msg":"request"')).length;

async function paidOrder(): Promise<string> {
  const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
  const { orderId } = (await response.json()) as { orderId: string };
  await h.control(`/orders/${orderId}/pay`);
  await eventually(async () =>
    (await h.store.getOrder(orderId))?.status === 'paid' ? true : undefined,
  );
  return orderId;
}

async function sandboxRefunds(orderId: string): Promise<{ refundNo: string; amount: number }[]> {
  const { order } = (await h.control(`/orders/${orderId}`)) as {
    order: { refunds: { refundNo: string; amount: number }[] };
  };
  return order.refunds;
}

describe('scanforpay-proxy admin commands', () => {
  it('prints its usage with --help', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    const text = result.stdout.join('\n');
    for (const command of ['orders', 'order <orderId>', 'refund <orderId>', 'webhook-secret']) {
      expect(text).toContain(command);
    }
  });

  it('prints a new webhook secret', async () => {
    const [first, second] = await Promise.all([run(['webhook-secret']), run(['webhook-secret'])]);
    for (const result of [first, second]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toHaveLength(1);
      expect(result.stdout[0]).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(result.stdout[0]!.slice(6), 'base64')).toHaveLength(32);
    }
    expect(first.stdout[0]).not.toBe(second.stdout[0]);
  });

  it('lists orders, one line each, and as JSON', async () => {
    const paid = await paidOrder();
    const pending = (
      (await (await h.createOrder({ item: 'mug', wallet: 'Wechat' })).json()) as {
        orderId: string;
      }
    ).orderId;

    const result = await admin(['orders', '--limit', '2']);
    expect(result.code).toBe(0);
    expect(result.stderr).toEqual([]);
    expect(result.stdout[0]).toMatch(
      new RegExp(`^${pending}  pending +HK\\$88\\.00  Wechat +\\d{4}-\\d\\d-\\d\\dT[\\d:]+Z$`),
    );
    expect(result.stdout[1]).toMatch(new RegExp(`^${paid}  paid +HK\\$199\\.00  AlipayHK `));
    expect(result.stdout[2]).toBe(`more: scanforpay-proxy orders --before ${paid}`);

    const json = await admin(['orders', '--status', 'paid', '--json']);
    expect(json.code).toBe(0);
    const page = JSON.parse(json.stdout.join('\n')) as { orders: Order[]; next: string | null };
    expect(page.orders.map((o) => o.orderId)).toContain(paid);
    expect(page.orders.every((o) => o.status === 'paid')).toBe(true);
  });

  it('shows one order with its events and notifications', async () => {
    const orderId = await paidOrder();
    const result = await admin(['order', orderId]);
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toMatch(new RegExp(`^${orderId}  paid +HK\\$199\\.00  AlipayHK`));
    const text = result.stdout.join('\n');
    expect(text).toMatch(/title +Red tee/);
    expect(text).toMatch(/event +order\.paid/);
    expect(text).toMatch(/notify +\S+ {2}applied/);

    const json = await admin(['order', orderId, '--json']);
    expect(JSON.parse(json.stdout.join('\n'))).toMatchObject({
      order: { orderId, status: 'paid' },
      refunds: [],
      events: [{ type: 'order.paid' }],
    });
  });

  it('refunds 12.50 of an HKD order as HK$12.50, then the rest', async () => {
    const orderId = await paidOrder();
    const result = await admin(['refund', orderId, '12.50', '--reason', 'too small']);
    expect(result.stderr).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toHaveLength(1);
    expect(result.stdout[0]).toMatch(
      new RegExp(
        `^HK\\$12\\.50 refunded \\(refund r\\w+\\): order ${orderId} is partially_refunded, HK\\$186\\.50 left to refund$`,
      ),
    );
    expect(await h.store.getOrder(orderId)).toMatchObject({ refundedAmount: 1250 });
    expect(await h.store.listRefunds(orderId)).toMatchObject([
      { amount: 1250, reason: 'too small' },
    ]);

    const rest = await admin(['refund', orderId, '--refund-no', 'rest-1', '--json']);
    expect(rest.code).toBe(0);
    expect(JSON.parse(rest.stdout.join('\n'))).toMatchObject({
      refund: { refundNo: 'rest-1', amount: 18650, status: 'succeeded' },
      order: { status: 'refunded', refundedAmount: 19900 },
    });
    // The same refundNo again: answered, not refunded twice.
    const again = await admin(['refund', orderId, '--refund-no', 'rest-1']);
    expect(again.code).toBe(0);
    expect(again.stdout[0]).toContain('HK$186.50 refunded (refund rest-1, done earlier)');
    expect((await sandboxRefunds(orderId)).map((r) => r.amount)).toEqual([1250, 18650]);
  });

  it('prints the problem the proxy answered, on one line, exit 1', async () => {
    const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    const { orderId } = (await response.json()) as { orderId: string };
    const result = await admin(['refund', orderId]);
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toEqual([
      'scanforpay-proxy: this order cannot be refunded: it is pending, not paid',
    ]);
  });

  it.each([
    [['refund'], 'missing <orderId>'],
    [['refund', '01JD8S3G5X0000000000000000000', '-1'], 'amount "-1"'],
    [['refund', '01JD8S3G5X0000000000000000000', '12,50'], 'amount "12,50"'],
    [['refund', '01JD8S3G5X0000000000000000000', '1', '2'], 'unexpected argument "2"'],
    [['refund', '01JD8S3G5X0000000000000000000', '--refund-no', 'a b'], '--refund-no'],
    [['refund', '01JD8S3G5X0000000000000000000', '--refund-no'], '--refund-no needs a value'],
    [['order'], 'missing <orderId>'],
    [['order', 'no/such'], 'is not an order id'],
    [['orders', '--bogus'], 'unknown option --bogus'],
    [['orders', '--limit', '0'], '--limit'],
    [['orders', '--status', 'lost'], '--status'],
    [['orders', '--url', 'ftp://x'], 'proxy URL'],
    [['frobnicate'], 'unknown command "frobnicate"'],
  ])('refuses %j with exit 2, sending nothing', async (args, message) => {
    const before = requestCount();
    const result = await admin(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^scanforpay-proxy: .*\(see scanforpay-proxy --help\)$/);
    expect(result.stderr[0]).toContain(message);
    expect(requestCount()).toBe(before);
  });

  it('refuses more decimals than the currency has (12.345 HKD), refunding nothing', async () => {
    const orderId = await paidOrder();
    const result = await admin(['refund', orderId, '12.345']);
    expect(result.code).toBe(2);
    expect(result.stderr).toEqual([
      'scanforpay-proxy: amount "12.345": HKD has 2 decimal places (see scanforpay-proxy --help)',
    ]);
    expect(await h.store.listRefunds(orderId)).toEqual([]);
    expect(await sandboxRefunds(orderId)).toEqual([]);
  });

  it('says the token was refused, on one line, without echoing any token', async () => {
    const wrong = 'w'.repeat(40);
    const result = await admin(['orders'], { ADMIN_TOKEN: wrong });
    expect(result.code).toBe(1);
    expect(result.stdout).toEqual([]);
    expect(result.stderr).toEqual([
      'scanforpay-proxy: the proxy refused the admin token (HTTP 401): check ADMIN_TOKEN',
    ]);
    for (const token of [wrong, TOKEN]) {
      expect(result.stderr.join('\n')).not.toContain(token);
    }
  });

  it('needs ADMIN_TOKEN, and sends nothing without it', async () => {
    const before = requestCount();
    const result = await run(['orders'], { PROXY_URL: h.proxyUrl });
    expect(result.code).toBe(1);
    expect(result.stderr).toHaveLength(1);
    expect(result.stderr[0]).toMatch(/^scanforpay-proxy: ADMIN_TOKEN is not set/);
    expect(requestCount()).toBe(before);
  });

  it('reads ADMIN_TOKEN and PROXY_URL from ./.env', async () => {
    writeFileSync(join(cwd, '.env'), `ADMIN_TOKEN=${TOKEN}\nPROXY_URL=${h.proxyUrl}\n`);
    try {
      const result = await run(['webhook']);
      expect(result).toMatchObject({ code: 0, stdout: ['no merchant webhook is configured'] });
    } finally {
      rmSync(join(cwd, '.env'));
    }
  });

  it('says when the proxy cannot be reached', async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });
    const result = await run(['orders'], { ADMIN_TOKEN: TOKEN, PORT: String(port) });
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([
      `scanforpay-proxy: cannot reach the proxy at http://127.0.0.1:${port}: ECONNREFUSED (is it running? set --url or PROXY_URL)`,
    ]);
  });

  it('runs the webhook developer loop commands as built (test/webhook-loop.test.ts has the loop)', async () => {
    const before = requestCount();
    const test = await admin(['webhook', 'test']);
    expect(test).toEqual({
      code: 1,
      stdout: [],
      stderr: ['scanforpay-proxy: no merchant webhook is configured (MERCHANT_WEBHOOK_URL)'],
    });
    const resend = await admin(['events', 'resend', 'evt_000000000000000000000000']);
    expect(resend).toEqual({
      code: 1,
      stdout: [],
      stderr: ['scanforpay-proxy: there is no event evt_000000000000000000000000'],
    });
    expect(requestCount()).toBe(before + 2);
    // No SCANFORPAY_API_URL: the proxy would talk to production, so nothing is sent.
    const trigger = await admin(['trigger', 'order.paid', '--item', 'tee-red']);
    expect(trigger.code).toBe(1);
    expect(trigger.stderr[0]).toMatch(
      /^scanforpay-proxy: refusing to trigger against the production gateway https:\/\/pay\.scanforpay\.com /,
    );
    expect(requestCount()).toBe(before + 2);
  });
});
