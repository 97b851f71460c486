import { ScanForPayEvent } from './scanforpay-event.js';

/** Fired by `<scanforpay-button>` when the proxy has created the order. */
export class ScanForPayOrderEvent extends ScanForPayEvent<{ orderId: string; payUrl: string }> {
  constructor(orderId: string, payUrl: string) {
    super('scanforpay-order', { orderId, payUrl });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'scanforpay-order': ScanForPayOrderEvent;
  }
}
