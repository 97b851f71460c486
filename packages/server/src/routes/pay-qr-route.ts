import { Hono } from 'hono';
import { ORDER_ID_SHAPE } from '../domain/order-id.js';
import type { ProxyEnv } from '../middleware/proxy-env.js';
import { payQrSvg } from '../orders/pay-qr.js';
import type { OrderStore } from '../store/order-store.js';

export interface PayQrRouteDeps {
  store: Pick<OrderStore, 'getOrder'>;
  clock: () => number;
}

/** A QR code is an image for the storefront's page: another origin may show it. */
const IMAGE_HEADERS = {
  'content-type': 'image/svg+xml; charset=utf-8',
  'cross-origin-resource-policy': 'cross-origin',
  'x-content-type-options': 'nosniff',
};

/**
 * `GET /orders/:orderId/qr.svg`: the QR code of a pending order's pay URL, for the button's
 * desktop dialog. The order id is the capability, as for `GET /orders/:orderId`: it is
 * unguessable and only the browser that created the order has it.
 */
export function payQrRoute(deps: PayQrRouteDeps): Hono<ProxyEnv> {
  return new Hono<ProxyEnv>().get('/orders/:orderId/qr.svg', async function payQr(c) {
    const orderId = c.req.param('orderId');
    const order = ORDER_ID_SHAPE.test(orderId) ? await deps.store.getOrder(orderId) : undefined;
    const svg = payQrSvg(order, deps.clock());
    return c.body(svg, 200, { ...IMAGE_HEADERS, 'cache-control': 'no-store' });
  });
}
