import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULTS } from '../../config/defaults.js';
import type { Order } from '../../domain/order.js';
import type { RefundRecord } from '../../domain/refund.js';
import type { AdminOrderDetail, AdminWebhookState } from '../../routes/admin-route.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { deliveryLine, FOLLOW_EVERY_MS, FOLLOW_LOOKS, followEvent } from './follow-event.js';
import { formatAmount } from './format-order.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { publicCall, send } from './public-call.js';
import { baseUrl, connect, type AdminCliIo } from './proxy-connection.js';
import { sandboxControl } from './sandbox-control.js';
import { ADMIN_USAGE } from './usage.js';

/** The events `trigger` can make happen for real through the sandbox. */
export const TRIGGERS = [
  'order.paid',
  'order.failed',
  'order.refunded',
  'order.partially_refunded',
] as const;
type Trigger = (typeof TRIGGERS)[number];

interface ItemFacts {
  id: string;
  title: string;
  currency: string;
  amount?: number;
  min?: number;
  wallets?: string[];
}

/**
 * `trigger <event> [--item ID] [--wallet W] [--sandbox URL]`: the real flow, end to end, on
 * the local sandbox: an order created through the proxy (`POST /orders`), paid or failed at
 * the sandbox (the paid one's signed notification reaches `/notify`; the failed one is
 * confirmed by payQuery when the shopper comes back to `/return`), refunded through the admin
 * API for the refund events, and its merchant event followed until the webhook took it.
 */
export async function triggerCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const { flags, positionals } = parseFlags(
    args,
    { ...COMMON_FLAGS, item: 'string', wallet: 'string', sandbox: 'string' },
    1,
  );
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const named = positionals[0];
  if (named === 'order.expired') {
    throw new UsageError(
      'order.expired cannot be triggered: an order expires only ORDER_TIMEOUT after it was ' +
        'created plus 5 minutes; send a sample with: webhook test --type order.expired',
    );
  }
  if (!(TRIGGERS as readonly (string | undefined)[]).includes(named)) {
    throw new UsageError(`trigger: name the event, one of ${TRIGGERS.join(', ')}`);
  }
  const type = named as Trigger;
  const proxy = connect(io, token, flags);
  const base = baseUrl(io.env, flags);
  const sandbox = await sandboxControl(io, flags);
  const itemId = typeof flags.item === 'string' ? flags.item : firstCatalogItem(io.env);
  const item = await publicCall<ItemFacts>(io, base, `/items/${encodeURIComponent(itemId)}`);
  const wallet =
    typeof flags.wallet === 'string' ? flags.wallet : (item.wallets?.[0] ?? 'AlipayHK');
  const created = await publicCall<{ orderId: string; amount: number; currency: string }>(
    io,
    base,
    '/orders',
    {
      item: item.id,
      wallet,
      ...(item.amount === undefined ? { amount: item.min ?? 1000 } : {}),
      reference: 'scanforpay-proxy trigger',
    },
  );
  const { orderId } = created;
  const money = (minor: number) => formatAmount(minor, created.currency);
  print(`order ${orderId} created: ${item.title}, ${money(created.amount)}, ${wallet}`);
  if (!(await sandbox.hasOrder(orderId))) {
    throw new CliError(
      `the sandbox at ${sandbox.url} has no order ${orderId}: the proxy at ${base} uses another ` +
        'gateway (set its SCANFORPAY_API_URL to this sandbox)',
    );
  }

  if (type === 'order.failed') {
    await sandbox.settle(orderId, 'fail');
    // The shopper comes back from the cashier: /return asks the gateway and records the failure.
    const back = await send(io, base, '/return', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ partnerOrderNo: orderId }).toString(),
      redirect: 'manual',
    });
    await back.body?.cancel();
    await untilStatus(io, base, orderId, 'failed', 'the payQuery made on /return');
    print(`order ${orderId} failed at the sandbox; /return confirmed it with payQuery`);
  } else {
    await sandbox.settle(orderId, 'pay');
    await untilStatus(io, base, orderId, 'paid', "the sandbox's notification");
    print(`order ${orderId} paid at the sandbox; its signed notification reached /notify`);
    if (type !== 'order.paid') await refund(proxy, orderId, created.amount, type, money, print);
  }

  const state = await proxy.call<AdminWebhookState>('GET', '/admin/webhook');
  const event = await eventOf(io, proxy, orderId, type);
  if (state.url === null) {
    return print(
      `event ${event.eventId} ${type} recorded; no merchant webhook is configured (MERCHANT_WEBHOOK_URL)`,
    );
  }
  print(deliveryLine(await followEvent(io, proxy, event.eventId, 0), state.url));
}

async function refund(
  proxy: ReturnType<typeof connect>,
  orderId: string,
  amount: number,
  type: Trigger,
  money: (minor: number) => string,
  print: (line: string) => void,
): Promise<void> {
  const part = type === 'order.partially_refunded' ? Math.floor(amount / 2) : undefined;
  if (part === 0) throw new CliError(`order ${orderId} is too small to refund in part`);
  const { body } = await proxy.request<{ refund: RefundRecord; order?: Order }>(
    'POST',
    `/admin/orders/${orderId}/refunds`,
    { ...(part === undefined ? {} : { amount: part }), reason: 'scanforpay-proxy trigger' },
  );
  if (!body.order)
    throw new CliError(`refund ${body.refund.refundNo} is still pending at the sandbox`);
  print(
    `${money(body.refund.amount)} refunded (refund ${body.refund.refundNo}): order ${orderId} is ${body.order.status}`,
  );
}

/** Looks at the public order until its status is `status`. */
async function untilStatus(
  io: AdminCliIo,
  base: string,
  orderId: string,
  status: string,
  via: string,
): Promise<void> {
  let seen = '';
  for (let look = 0; look < FOLLOW_LOOKS; look++) {
    ({ status: seen } = await publicCall<{ status: string }>(io, base, `/orders/${orderId}`));
    if (seen === status) return;
    await pause(io);
  }
  throw new CliError(
    `order ${orderId} is still ${seen} at the proxy: ${via} did not settle it ` +
      '(can the sandbox reach the proxy at its PUBLIC_URL?)',
  );
}

/** The order's event of `type` (written with the transition, so it is there at once). */
async function eventOf(
  io: AdminCliIo,
  proxy: ReturnType<typeof connect>,
  orderId: string,
  type: Trigger,
): Promise<AdminOrderDetail['events'][number]> {
  for (let look = 0; look < FOLLOW_LOOKS; look++) {
    const detail = await proxy.call<AdminOrderDetail>('GET', `/admin/orders/${orderId}`);
    const event = detail.events.find((e) => e.type === type);
    if (event) return event;
    await pause(io);
  }
  throw new CliError(`order ${orderId} has no ${type} event`);
}

function pause(io: AdminCliIo): Promise<void> {
  return (io.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms))))(FOLLOW_EVERY_MS);
}

/** Without `--item`: the first item of the proxy's catalog file (`CATALOG`, ./catalog.json). */
function firstCatalogItem(env: AdminCliIo['env']): string {
  const path = env.CATALOG?.trim() || DEFAULTS.catalogPath;
  let id: unknown;
  try {
    const catalog = JSON.parse(readFileSync(resolve(path), 'utf8')) as {
      items?: { id?: unknown }[];
    };
    id = catalog.items?.[0]?.id;
  } catch {
    // Reported below.
  }
  if (typeof id !== 'string') {
    throw new UsageError(`trigger: name the item with --item (no item found in ${path})`);
  }
  return id;
}
