import { STATUS_OF, type Order, type OrderEndpoint } from './order-book.js';

/** The sandbox's own view of an order, as `GET /__sandbox/orders/:partnerOrderNo` shows it. */
export interface OrderView {
  partnerNo: string;
  storeNo: string;
  orderNo: string;
  partnerOrderNo: string;
  state: Order['state'];
  status: 0 | 1 | 2 | 3;
  endpoint: OrderEndpoint;
  wallet: string;
  currency: string;
  orderAmount: number;
  refundedAmount: number;
  refunds: { refundNo: string; amount: number; at: string }[];
  orderTitle: string;
  notifyUrl: string;
  returnUrl: string;
  payUrl: string;
  createdAt: string;
  expiresAt: string;
  payTime: string | null;
}

export function orderView(order: Order): OrderView {
  return {
    partnerNo: order.partnerNo,
    storeNo: order.storeNo,
    orderNo: order.orderNo,
    partnerOrderNo: order.partnerOrderNo,
    state: order.state,
    status: STATUS_OF[order.state],
    endpoint: order.endpoint,
    wallet: order.wallet,
    currency: order.currency,
    orderAmount: order.orderAmount,
    refundedAmount: order.refundedAmount,
    refunds: order.refunds.map((r) => ({
      refundNo: r.refundNo,
      amount: r.amount,
      at: r.at.toISOString(),
    })),
    orderTitle: order.orderTitle,
    notifyUrl: order.notifyUrl,
    returnUrl: order.returnUrl,
    payUrl: order.payUrl,
    createdAt: order.createdAt.toISOString(),
    expiresAt: order.expiresAt.toISOString(),
    payTime: order.payTime ? order.payTime.toISOString() : null,
  };
}
