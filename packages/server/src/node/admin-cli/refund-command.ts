import type { Order } from '../../domain/order.js';
import type { RefundRecord } from '../../domain/refund.js';
import { MAX_REFUND_REASON, REFUND_NO_SHAPE } from '../../orders/refund-order.js';
import type { AdminOrderDetail } from '../../routes/admin-route.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { formatAmount } from './format-order.js';
import { orderIdArgument } from './order-id-argument.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { connect } from './proxy-connection.js';
import { toMinorUnits } from './to-minor-units.js';
import { ADMIN_USAGE } from './usage.js';

/** `refund <orderId> [amount] [--refund-no R] [--reason TEXT]`; a pending refund exits 1. */
export async function refundCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
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
  const money = (minor: number) => formatAmount(minor, order?.currency ?? currency ?? 'HKD');
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
