import { formatMoney, minorDigits } from '@scanforpay/protocol';
import { createWebhookSecret } from '../events/deliver-webhook.js';
import { ORDER_STATUSES, type Order } from '../domain/order.js';
import { MAX_REFUND_REASON, REFUND_NO_SHAPE } from '../orders/refund-order.js';
import type { ProblemBody } from '../problem.js';
import type { AdminOrderDetail, AdminOrderPage, AdminWebhookState } from '../routes/admin-route.js';
import type { RefundRecord } from '../store/order-store.js';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';

/** Where the admin commands read their settings and write their output. */
export interface AdminCliIo {
  /** `ADMIN_TOKEN`, `PROXY_URL`, `PORT` (the process environment, `.env` already merged in). */
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** How long one call to the proxy may take. Default 60 s (a refund waits for the gateway). */
  timeoutMs?: number;
}

/** The subcommands of `scanforpay-proxy` besides serving. */
export const ADMIN_COMMANDS = [
  'orders',
  'order',
  'refund',
  'webhook',
  'webhook-secret',
  'help',
] as const;

export const ADMIN_USAGE = `Usage: scanforpay-proxy [command] [options]

With no command, starts the proxy (configured by the environment and ./.env).

Commands (they call a running proxy's /admin routes with ADMIN_TOKEN):
  orders [--status S] [--limit N] [--before ID]   list orders, newest first
  order <orderId>                                  show an order, its refunds, events, notifications
  refund <orderId> [amount] [--refund-no R] [--reason TEXT]
                                                   refund an order; amount in major units (12.50),
                                                   default everything not yet refunded; repeat a
                                                   refund with the same --refund-no to retry it
  webhook [enable]                                 show the merchant webhook, or re-enable it
  webhook-secret                                   print a new MERCHANT_WEBHOOK_SECRET (whsec_…)

Options:
  --url URL   the proxy (default PROXY_URL, else http://127.0.0.1:$PORT, PORT default 8787)
  --json      print the proxy's JSON answer
  --help      this text

Environment (or ./.env): ADMIN_TOKEN (required for the admin calls), PROXY_URL, PORT.
Exit codes: 0 done, 1 failed (one line on stderr), 2 bad arguments (nothing sent).
`;

const PREFIX = 'scanforpay-proxy: ';
const LOCALE = 'en-HK';

/** Bad arguments: exit 2, and nothing was sent. */
class UsageError extends Error {}
/** Anything else that went wrong: exit 1, one line. */
class CliError extends Error {}

type FlagKind = 'string' | 'boolean';
type Flags = Record<string, string | true>;

const COMMON_FLAGS = { url: 'string', json: 'boolean', help: 'boolean' } as const;

/**
 * Runs one admin subcommand (`orders`, `order`, `refund`, `webhook`, `webhook-secret`, `help`)
 * and resolves to the process exit code: 0 done, 1 failed, 2 bad arguments. Errors are one
 * line on stderr, `scanforpay-proxy: …`, and never contain the token.
 */
export async function runAdminCli(args: readonly string[], io: AdminCliIo): Promise<number> {
  const token = io.env.ADMIN_TOKEN?.trim() || undefined;
  const fail = (message: string) => {
    const line = message.replace(/\s*\n\s*/g, ' ');
    io.stderr(`${PREFIX}${token ? line.replaceAll(token, '[redacted]') : line}\n`);
  };
  try {
    await dispatch(args, io, token);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      fail(`${error.message} (see scanforpay-proxy --help)`);
      return 2;
    }
    if (error instanceof CliError) {
      fail(error.message);
      return 1;
    }
    fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function dispatch(
  args: readonly string[],
  io: AdminCliIo,
  token: string | undefined,
): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(ADMIN_USAGE);
    return;
  }
  const print = (line: string) => io.stdout(`${line}\n`);

  switch (command) {
    case 'webhook-secret': {
      const { flags } = parseFlags(rest, { help: 'boolean' }, 0);
      if (flags.help) return io.stdout(ADMIN_USAGE);
      return print(createWebhookSecret());
    }
    case 'orders': {
      const { flags } = parseFlags(
        rest,
        { ...COMMON_FLAGS, status: 'string', limit: 'string', before: 'string' },
        0,
      );
      if (flags.help) return io.stdout(ADMIN_USAGE);
      const query = new URLSearchParams();
      if (typeof flags.status === 'string') {
        if (!(ORDER_STATUSES as readonly string[]).includes(flags.status)) {
          throw new UsageError(`--status: one of ${ORDER_STATUSES.join(', ')}`);
        }
        query.set('status', flags.status);
      }
      if (typeof flags.limit === 'string') {
        if (!/^[0-9]{1,3}$/.test(flags.limit) || +flags.limit < 1 || +flags.limit > 200) {
          throw new UsageError('--limit: a whole number from 1 to 200');
        }
        query.set('limit', flags.limit);
      }
      if (typeof flags.before === 'string') query.set('before', orderIdArgument(flags.before));
      const proxy = connect(io, token, flags);
      const page = await proxy.call<AdminOrderPage>('GET', `/admin/orders?${query}`);
      if (flags.json) return print(JSON.stringify(page));
      if (page.orders.length === 0) return print('no orders');
      for (const order of page.orders) print(orderLine(order));
      if (page.next) print(`more: scanforpay-proxy orders --before ${page.next}`);
      return;
    }
    case 'order': {
      const { flags, positionals } = parseFlags(rest, COMMON_FLAGS, 1);
      if (flags.help) return io.stdout(ADMIN_USAGE);
      const orderId = orderIdArgument(positionals[0]);
      const proxy = connect(io, token, flags);
      const detail = await proxy.call<AdminOrderDetail>('GET', `/admin/orders/${orderId}`);
      if (flags.json) return print(JSON.stringify(detail));
      for (const line of detailLines(detail)) print(line);
      return;
    }
    case 'refund':
      return refundCommand(rest, io, token, print);
    case 'webhook': {
      const { flags, positionals } = parseFlags(rest, COMMON_FLAGS, 1);
      if (flags.help) return io.stdout(ADMIN_USAGE);
      const action = positionals[0];
      if (action !== undefined && action !== 'enable') {
        throw new UsageError(`webhook: unknown action "${action}" (enable)`);
      }
      const proxy = connect(io, token, flags);
      const state = await proxy.call<AdminWebhookState>(
        action ? 'POST' : 'GET',
        action ? '/admin/webhook/enable' : '/admin/webhook',
      );
      if (flags.json) return print(JSON.stringify(state));
      if (state.url === null) return print('no merchant webhook is configured');
      return print(
        state.disabledAt === null
          ? `${state.url}  enabled`
          : `${state.url}  disabled since ${isoTime(state.disabledAt)} (${state.reason ?? 'unknown'})`,
      );
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

async function refundCommand(
  args: readonly string[],
  io: AdminCliIo,
  token: string | undefined,
  print: (line: string) => void,
): Promise<void> {
  const { flags, positionals } = parseFlags(
    args,
    { ...COMMON_FLAGS, 'refund-no': 'string', reason: 'string' },
    2,
  );
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const orderId = orderIdArgument(positionals[0]);
  const amountText = positionals[1];
  if (amountText !== undefined && !/^[0-9]+(\.[0-9]+)?$/.test(amountText)) {
    throw new UsageError(`amount "${amountText}": a positive amount in major units, like 12.50`);
  }
  const refundNo = flags['refund-no'];
  if (typeof refundNo === 'string' && !REFUND_NO_SHAPE.test(refundNo)) {
    throw new UsageError('--refund-no: 1-32 of A-Z a-z 0-9 _ -');
  }
  const reason = flags.reason;
  if (typeof reason === 'string' && reason.length > MAX_REFUND_REASON) {
    throw new UsageError(`--reason: at most ${MAX_REFUND_REASON} characters`);
  }
  const proxy = connect(io, token, flags);

  const body: Record<string, unknown> = {};
  let currency: string | undefined;
  if (amountText !== undefined) {
    // The amount is written as on a price; the order's currency says how many decimals it has.
    ({ currency } = (await proxy.call<AdminOrderDetail>('GET', `/admin/orders/${orderId}`)).order);
    body.amount = toMinorUnits(amountText, currency);
  }
  if (typeof refundNo === 'string') body.refundNo = refundNo;
  if (typeof reason === 'string') body.reason = reason;

  const { status, body: answer } = await proxy.request<{
    refund: RefundRecord;
    order?: Order;
    detail?: string;
  }>('POST', `/admin/orders/${orderId}/refunds`, body);
  if (flags.json) print(JSON.stringify(answer));
  const { refund, order } = answer;
  const money = (minor: number) => formatMoney(minor, order?.currency ?? currency ?? 'HKD', LOCALE);
  if (!order) {
    throw new CliError(
      `refund ${refund.refundNo} of ${money(refund.amount)} is pending at the gateway: ` +
        `retry it later with --refund-no ${refund.refundNo}`,
    );
  }
  if (flags.json) return;
  const left = order.amount - order.refundedAmount;
  // 200 rather than 201: this refundNo had already gone through.
  const earlier = status === 200 ? ', done earlier' : '';
  print(
    `${money(refund.amount)} refunded (refund ${refund.refundNo}${earlier}): ` +
      `order ${order.orderId} is ${order.status}` +
      (left > 0 ? `, ${money(left)} left to refund` : ''),
  );
}

/** `12.50` HKD → 1250: exact decimal arithmetic, refusing more decimals than the currency has. */
export function toMinorUnits(text: string, currency: string): number {
  const match = /^([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) throw new UsageError(`amount "${text}": a positive amount like 12.50`);
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    throw new UsageError(
      `amount "${text}": ${currency} has ${digits === 0 ? 'no' : digits} decimal place${digits === 1 ? '' : 's'}`,
    );
  }
  const minor = Number(match[1]) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  if (!Number.isSafeInteger(minor)) throw new UsageError(`amount "${text}": too large`);
  if (minor < 1) throw new UsageError(`amount "${text}": more than zero`);
  return minor;
}

function orderIdArgument(value: string | undefined): string {
  if (value === undefined) throw new UsageError('missing <orderId>');
  if (!ORDER_ID_SHAPE.test(value)) throw new UsageError(`"${value}" is not an order id`);
  return value;
}

/**
 * `--name value`, `--name=value`, `--flag`; `--` ends the options. A word that starts with `-`
 * is an unknown option, unless it is a number (so `-1` is refused as an amount, not a flag).
 */
function parseFlags(
  args: readonly string[],
  spec: Readonly<Record<string, FlagKind>>,
  maxPositionals: number,
): { flags: Flags; positionals: string[] } {
  const flags: Flags = {};
  const positionals: string[] = [];
  let options = true;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (options && arg === '--') {
      options = false;
    } else if (options && arg === '-h') {
      flags.help = true;
    } else if (options && arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      const kind = spec[name];
      if (kind === undefined) throw new UsageError(`unknown option --${name}`);
      if (kind === 'boolean') {
        if (eq !== -1) throw new UsageError(`--${name} takes no value`);
        flags[name] = true;
      } else {
        const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
        if (value === undefined || (eq === -1 && value.startsWith('--'))) {
          throw new UsageError(`--${name} needs a value`);
        }
        flags[name] = value;
      }
    } else if (options && arg.startsWith('-') && arg.length > 1 && !/^-[0-9.]/.test(arg)) {
      throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
    }
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument "${positionals[maxPositionals]}"`);
  }
  return { flags, positionals };
}

interface ProxyConnection {
  /** The answer's status and JSON body; a problem answer throws a `CliError` with its detail. */
  request<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }>;
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

function connect(io: AdminCliIo, token: string | undefined, flags: Flags): ProxyConnection {
  const base = baseUrl(io.env, flags);
  if (token === undefined) {
    throw new CliError(
      'ADMIN_TOKEN is not set: put the proxy’s admin token in the environment or ./.env',
    );
  }
  const fetchFn = io.fetch ?? fetch;
  const timeoutMs = io.timeoutMs ?? 60_000;
  const connection: ProxyConnection = {
    async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
      return (await connection.request<T>(method, path, body)).body;
    },
    async request<T>(method: 'GET' | 'POST', path: string, body?: unknown) {
      let response: Response;
      try {
        response = await fetchFn(base + path, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        throw new CliError(`cannot reach the proxy at ${base}: ${networkReason(error, timeoutMs)}`);
      }
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new CliError(
          `the proxy at ${base} answered HTTP ${response.status} without JSON (is the URL right?)`,
        );
      }
      if (response.ok) return { status: response.status, body: json as T };
      throw new CliError(problemMessage(response.status, json as Partial<ProblemBody>, base));
    },
  };
  return connection;
}

function baseUrl(env: AdminCliIo['env'], flags: Flags): string {
  const configured =
    (typeof flags.url === 'string' ? flags.url : undefined) ?? (env.PROXY_URL?.trim() || undefined);
  const raw = configured ?? `http://127.0.0.1:${env.PORT?.trim() || '8787'}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`proxy URL "${raw}": an absolute http(s) URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`proxy URL "${raw}": an absolute http(s) URL`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new UsageError('proxy URL: no credentials, query or fragment');
  }
  return url.href.replace(/\/+$/, '');
}

function problemMessage(status: number, problem: Partial<ProblemBody>, base: string): string {
  if (status === 401) {
    return `the proxy refused the admin token (HTTP 401): check ADMIN_TOKEN`;
  }
  if (status === 404 && problem.code === 'not_found') {
    return `the proxy at ${base} has no admin routes: is ADMIN_TOKEN set on the proxy, and the URL right?`;
  }
  if (typeof problem.detail === 'string' && problem.detail !== '') return problem.detail;
  return `the proxy answered HTTP ${status}`;
}

function networkReason(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause =
    error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string')
    return `${cause.code} (is it running? set --url or PROXY_URL)`;
  return error instanceof Error ? error.message : String(error);
}

function orderLine(order: Order): string {
  const refunded =
    order.refundedAmount > 0 ? `  refunded ${money(order.refundedAmount, order)}` : '';
  return (
    [
      order.orderId,
      order.status.padEnd(18),
      money(order.amount, order).padStart(12),
      order.wallet.padEnd(8),
      isoTime(order.createdAt),
    ].join('  ') + refunded
  );
}

function detailLines(detail: AdminOrderDetail): string[] {
  const { order } = detail;
  const lines = [orderLine(order)];
  const field = (name: string, value: string | null) => {
    if (value !== null && value !== '') lines.push(`  ${name.padEnd(10)} ${value}`);
  };
  field('title', order.title);
  field('item', `${order.itemId} × ${order.quantity}`);
  field('reference', order.reference);
  field('gateway', order.gatewayOrderNo);
  field('expires', order.status === 'pending' ? isoTime(order.expiresAt) : null);
  field('paid', order.paidAt === null ? null : isoTime(order.paidAt));
  field(
    'failure',
    order.failureCode === null ? null : `${order.failureCode} ${order.failureMessage ?? ''}`.trim(),
  );
  if (order.refundedAmount > 0) {
    const left = order.amount - order.refundedAmount;
    field('refunded', `${money(order.refundedAmount, order)} (${money(left, order)} left)`);
  }
  for (const refund of detail.refunds) {
    const failure = refund.failureCode
      ? ` ${refund.failureCode} ${refund.failureMessage ?? ''}`
      : '';
    field(
      'refund',
      `${refund.refundNo}  ${money(refund.amount, order)}  ${refund.status}${failure.trimEnd()}  ` +
        `${isoTime(refund.createdAt)}${refund.reason ? `  ${refund.reason}` : ''}`,
    );
  }
  for (const event of detail.events) {
    const delivery =
      event.deliveredAt !== null
        ? `delivered ${isoTime(event.deliveredAt)}`
        : event.givenUpAt !== null
          ? `given up ${isoTime(event.givenUpAt)}`
          : `not delivered (${event.attempts} attempt${event.attempts === 1 ? '' : 's'})`;
    field('event', `${event.type}  ${isoTime(event.createdAt)}  ${delivery}`);
  }
  for (const notification of detail.notifications) {
    field(
      'notify',
      `${isoTime(notification.receivedAt)}  ${notification.outcome}` +
        `${notification.verified ? '' : '  unverified'}` +
        `${notification.reason ? `  ${notification.reason}` : ''}`,
    );
  }
  return lines;
}

function money(minor: number, order: Pick<Order, 'currency'>): string {
  return formatMoney(minor, order.currency, LOCALE);
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
