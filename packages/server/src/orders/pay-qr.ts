import { create } from 'qrcode/lib/core/qrcode.js';
import { render } from 'qrcode/lib/renderer/svg-tag.js';
import type { Order } from '../domain/order.js';
import { ProblemError } from '../problem.js';

/**
 * The QR code of a pending order's `payUrl`, as SVG, for the button's "pay on your phone"
 * dialog: scanned with a phone, it opens the gateway's cashier there (which then shows the
 * phone's "open the wallet app" step). Drawn by the `qrcode` library on the proxy, so no QR
 * encoder is in the shopper's bundle. Only a pending order with a `payUrl` has one: a paid,
 * failed or expired order (or one past its time) answers 409, an unknown one 404.
 */
export function payQrSvg(order: Order | undefined, now: number): string {
  if (!order) throw new ProblemError('order_not_found', 'there is no such order');
  if (order.status !== 'pending' || !order.payUrl || order.expiresAt <= now) {
    throw new ProblemError('order_not_payable', `the order is ${order.status}: nothing to pay`);
  }
  const svg = render(create(order.payUrl, { errorCorrectionLevel: 'M' }), { margin: 2 });
  return svg.replace('<svg ', '<svg role="img" ');
}
