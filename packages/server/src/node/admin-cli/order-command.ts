import type { AdminOrderDetail } from '../../routes/admin-route.js';
import type { CommandContext } from './command-context.js';
import { detailLines } from './format-order.js';
import { orderIdArgument } from './order-id-argument.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { connect } from './proxy-connection.js';
import { ADMIN_USAGE } from './usage.js';

/** `order <orderId>`: the order, its refunds, events and notifications. */
export async function orderCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const { flags, positionals } = parseFlags(args, COMMON_FLAGS, 1);
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const orderId = orderIdArgument(positionals[0]);
  const proxy = connect(io, token, flags);
  const detail = await proxy.call<AdminOrderDetail>('GET', `/admin/orders/${orderId}`);
  if (flags.json) return print(JSON.stringify(detail));
  for (const line of detailLines(detail)) print(line);
}
