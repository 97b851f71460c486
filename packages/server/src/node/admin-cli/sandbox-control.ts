import { PRODUCTION_API_URL } from '@scanforpay/protocol';
import { CliError, UsageError } from './cli-errors.js';
import type { Flags } from './parse-flags.js';
import type { AdminCliIo } from './proxy-connection.js';

/** The real gateway's domains: `trigger` never drives them. */
const PRODUCTION_DOMAINS = ['scanforpay.com', 'scan4pay.com'];

/** The local sandbox's control API (`/__sandbox/`), as `trigger` drives it. */
export interface SandboxControl {
  url: string;
  /** Whether the sandbox knows this `partnerOrderNo`. */
  hasOrder(orderId: string): Promise<boolean>;
  /** Settles the order as the cashier's buttons would (`pay` sends the notification). */
  settle(orderId: string, action: 'pay' | 'fail'): Promise<void>;
}

/**
 * The sandbox the proxy uses: `--sandbox`, else `SCANFORPAY_API_URL` (the proxy's own
 * gateway setting, from the environment or ./.env). Refuses the production gateway, and any
 * URL that does not answer as a sandbox with its control API on, before anything is sent.
 */
export async function sandboxControl(io: AdminCliIo, flags: Flags): Promise<SandboxControl> {
  const configured =
    (typeof flags.sandbox === 'string' ? flags.sandbox : undefined) ??
    (io.env.SCANFORPAY_API_URL?.trim() || undefined);
  const raw = configured ?? PRODUCTION_API_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`sandbox URL "${raw}": an absolute http(s) URL`);
  }
  const host = parsed.hostname.toLowerCase();
  if (PRODUCTION_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`))) {
    throw new CliError(
      `refusing to trigger against the production gateway ${parsed.origin}` +
        (configured === undefined ? ' (SCANFORPAY_API_URL is not set)' : '') +
        ': trigger only drives the local sandbox; point SCANFORPAY_API_URL (or --sandbox) at it',
    );
  }
  const url = parsed.href.replace(/\/+$/, '');
  const fetchFn = io.fetch ?? fetch;
  const call = async (method: 'GET' | 'POST', path: string): Promise<Response> => {
    try {
      return await fetchFn(`${url}/__sandbox${path}`, {
        method,
        ...(method === 'POST'
          ? { headers: { 'content-type': 'application/json' }, body: '{}' }
          : {}),
        signal: AbortSignal.timeout(io.timeoutMs ?? 10_000),
      });
    } catch (error) {
      const code = ((error as Error).cause as { code?: unknown } | undefined)?.code;
      throw new CliError(
        `cannot reach the sandbox at ${url}: ${typeof code === 'string' ? code : (error as Error).message}` +
          ' (start it: pnpm --filter @scanforpay/sandbox start)',
      );
    }
  };
  const probe = await call('GET', '/partners');
  const partners = probe.ok
    ? ((await probe.json().catch(() => undefined)) as { partners?: unknown } | undefined)
    : undefined;
  if (!Array.isArray(partners?.partners)) {
    throw new CliError(
      `${url} is not a ScanForPay sandbox with its control API (/__sandbox/): ` +
        'trigger only drives the local sandbox',
    );
  }
  return {
    url,
    async hasOrder(orderId) {
      const answer = await call('GET', `/orders/${encodeURIComponent(orderId)}`);
      await answer.body?.cancel();
      return answer.ok;
    },
    async settle(orderId, action) {
      const answer = await call('POST', `/orders/${encodeURIComponent(orderId)}/${action}`);
      if (answer.ok) {
        await answer.body?.cancel();
        return;
      }
      const body = (await answer.json().catch(() => ({}))) as { error?: { message?: unknown } };
      const why =
        typeof body.error?.message === 'string' ? body.error.message : `HTTP ${answer.status}`;
      throw new CliError(`the sandbox refused to ${action} order ${orderId}: ${why}`);
    },
  };
}
