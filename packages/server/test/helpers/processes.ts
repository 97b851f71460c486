import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signResponse } from '@scanforpay/protocol';
import { nodeSha256 } from '@scanforpay/protocol/node';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { captureLine } from './traffic.js';

export const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(packageDir, 'dist', 'cli.js');

/** The newest modification time of the files under `dir`. */
function newest(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const path = join(dir, entry.name);
      return entry.isDirectory() ? newest(path) : statSync(path).mtimeMs;
    }),
  );
}

/**
 * Builds dist/ (the CLI is tested as shipped), unless it is newer than every source file
 * (`pnpm test` has just built it): two test files asking at once then do not both run tsc
 * into the same folder.
 */
export function buildPackage(): void {
  const cli = existsSync(cliPath) ? statSync(cliPath).mtimeMs : 0;
  if (cli > newest(join(packageDir, 'src'))) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir });
}

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export interface ProxyProcess {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<number | null>;
}

/** The environment of a proxy process against the sandbox's default partner. */
export function sandboxEnv(sandboxUrl: string): Record<string, string> {
  return {
    SCANFORPAY_PARTNER_NO: DEFAULT_PARTNER.partnerNo,
    SCANFORPAY_STORE_NO: DEFAULT_PARTNER.storeNo,
    SCANFORPAY_SIGN_KEY: DEFAULT_PARTNER.signKey,
    SCANFORPAY_API_URL: sandboxUrl,
    RESULT_URL: 'https://shop.example/thanks',
  };
}

/** Starts `scanforpay-proxy` on a free loopback port and waits for its `listening` line. */
export async function startProxyProcess(
  env: Record<string, string>,
  cwd: string,
): Promise<ProxyProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [cliPath], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), PUBLIC_URL: url, ...env },
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      lines.push(line);
      captureLine(line);
    }
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const until = Date.now() + 15_000;
  while (!lines.some((line) => line.includes('"listening"'))) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`the proxy did not start:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return { child, url, lines, exited };
}

export interface ReceivedWebhook {
  id: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A merchant's webhook endpoint on loopback; `answer` decides each response (default 204). */
export async function startReceiver(
  answer: (hook: ReceivedWebhook, response: ServerResponse) => void = (_, response) =>
    response.writeHead(204).end(),
): Promise<{ url: string; received: ReceivedWebhook[]; close(): Promise<void> }> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const hook = { id: String(request.headers['webhook-id']), headers: request.headers, body };
      received.push(hook);
      answer(hook, response);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A paid notification for an order, signed with the sandbox partner's key, as ScanForPay sends it. */
export async function paidNotification(
  orderId: string,
  gatewayOrderNo: string,
  amount: number,
): Promise<string> {
  const signed = await signResponse(
    {
      header: {
        partnerNo: DEFAULT_PARTNER.partnerNo,
        respTime: '2026-11-26T10:03:12+08:00',
        signType: 'SHA256',
        version: '1.0',
        reqMsgId: 'a0c9e7b1a2f44c6e9a8b7d6c5b4a3f21',
      },
      body: {
        code: 1,
        msg: 'success',
        orderNo: gatewayOrderNo,
        partnerOrderNo: orderId,
        payTime: '2026-11-26T10:03:10+08:00',
        orderAmount: amount,
        wallet: 'AlipayHK',
        currency: 'HKD',
        status: 1,
      },
    },
    DEFAULT_PARTNER.signKey,
    nodeSha256,
  );
  return signed.body;
}

export async function until<T>(check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
