import { createHeader, openSigned, signRequest, type Transport } from '@scanforpay/protocol';
import {
  createSandbox,
  DEFAULT_PARTNER,
  type SandboxApp,
  type SandboxOptions,
} from '@scanforpay/sandbox';

export const PARTNER = DEFAULT_PARTNER;
export const T0 = new Date('2024-05-01T02:00:00Z');

/** A settable clock. */
export function clock(start = T0) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Records notify deliveries and answers them as told (default `success`). */
export function recordingTransport(
  answer: (n: number) => { status: number; text: string } = () => ({
    status: 200,
    text: 'success',
  }),
) {
  const calls: { url: string; body: string; headers: Record<string, string> }[] = [];
  const transport: Transport = (url, init) => {
    calls.push({ url, body: init.body, headers: init.headers });
    return Promise.resolve(answer(calls.length));
  };
  return { transport, calls };
}

export function makeSandbox(options: SandboxOptions = {}): SandboxApp {
  return createSandbox({ control: true, notifySchedule: [0, 20, 40], ...options });
}

export interface CallResult {
  status: number;
  text: string;
  body: Record<string, unknown>;
  header: Record<string, unknown>;
}

/** Signs `body` as the protocol client does and POSTs it; verifies the answer with `key`. */
export async function call(
  app: SandboxApp,
  path: string,
  body: object,
  options: { key?: string; partnerNo?: string; header?: object; verifyKey?: string } = {},
): Promise<CallResult> {
  const header =
    options.header ?? createHeader({ partnerNo: options.partnerNo ?? PARTNER.partnerNo });
  const signed = await signRequest({ header, body }, options.key ?? PARTNER.signKey);
  return post(app, path, signed.body, options.verifyKey ?? PARTNER.signKey);
}

/** POSTs a raw body and opens the signed answer. */
export async function post(
  app: SandboxApp,
  path: string,
  raw: string,
  verifyKey = PARTNER.signKey,
): Promise<CallResult> {
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw,
  });
  const text = await res.text();
  const opened = await openSigned(text, verifyKey, undefined, { expect: 'response' });
  return { status: res.status, text, body: opened.body, header: opened.header };
}

/** The WooCommerce plugin's split-based check of §4.5, re-implemented literally. */
export async function pluginCheck(text: string, key: string): Promise<boolean> {
  const first = text.indexOf('response');
  if (first < 0) return false;
  const rest = text.slice(first + 'response'.length);
  const second = rest.indexOf('signature');
  if (second < 0) return false;
  const signed = rest.slice(0, second).slice(2, -2);
  const signature = rest.slice(second + 'signature'.length).slice(3, -2);
  const { createHash } = await import('node:crypto');
  return (
    createHash('sha256')
      .update(signed + key, 'utf8')
      .digest('hex') === signature
  );
}

export function orderBody(partnerOrderNo: string, extra: Record<string, unknown> = {}) {
  return {
    storeNo: PARTNER.storeNo,
    partnerOrderNo,
    wallet: 'AlipayHK',
    orderAmount: 1999,
    orderTitle: '測試商品',
    operatorId: '',
    terminalNo: '',
    currency: 'HKD',
    notifyUrl: 'https://shop.example/notify',
    returnUrl: 'https://shop.example/return?x=1',
    ...extra,
  };
}

export async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

/**
 * Starts a plain timer of `ms` and tells whether it has fired. Node runs timers of the same
 * length in the order they were set, so a sandbox wait of `ms` set after this one cannot end
 * before `fired()` is true: that proves the wait lasted at least `ms` without reading the
 * clock, which a loaded machine makes unreliable (a timer may even fire early by that clock).
 */
export function referenceTimer(ms: number): { fired: () => boolean } {
  let fired = false;
  const timer = setTimeout(() => (fired = true), ms);
  timer.unref();
  return { fired: () => fired };
}

/**
 * Resolves once the sandbox has no timer pending. Every notification attempt, retry and chaos
 * delay is a timer of `sandbox.timers`, so with a transport that answers at once, nothing more
 * will be sent: use it instead of sleeping "long enough" before counting deliveries.
 */
export function idle(app: SandboxApp): Promise<true> {
  return waitFor(() => app.sandbox.timers.size === 0);
}

export function waitFor<T>(check: () => T | undefined | false, timeoutMs = 3000): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const value = check();
      if (value) resolve(value);
      else if (Date.now() - started > timeoutMs) reject(new Error('waitFor: timed out'));
      else setTimeout(tick, 5);
    };
    tick();
  });
}
