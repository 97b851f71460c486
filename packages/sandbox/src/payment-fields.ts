import { formatTime } from '@scanforpay/protocol';
import { STATUS_OF, type Order } from './order-book.js';

/** The payment fields shared by payQuery answers and notifications, in the documented order. */
export type PaymentFields = Record<string, string | number>;

/** payQuery/notify fields, keys in the order of the docs' notify sample. */
export function paymentFields(
  order: Order,
  status: number = STATUS_OF[order.state],
): PaymentFields {
  const fields: PaymentFields = { orderNo: order.orderNo, partnerOrderNo: order.partnerOrderNo };
  if (order.payTime) fields.payTime = formatTime(order.payTime);
  fields.orderAmount = order.orderAmount;
  fields.wallet = order.wallet;
  fields.currency = order.currency;
  fields.status = status;
  if (order.buyer !== undefined && order.buyerId !== undefined) {
    fields.buyer = order.buyer;
    fields.buyerId = order.buyerId;
  }
  return fields;
}
