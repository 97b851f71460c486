import { ORDER_STATUSES } from '../../domain/order.js';
import type { AdminOrderPage } from '../../routes/admin-route.js';
import { UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { orderLine } from './format-order.js';
import { orderIdArgument } from './order-id-argument.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { connect } from './proxy-connection.js';
import { ADMIN_USAGE } from './usage.js';

/** `orders [--status S] [--limit N] [--before ID]`: one page of orders, newest first. */
export async function ordersCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const { flags } = parseFlags(
    args,
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
}
