import type { Order, OrderStatus } from '../api-client.js';
import { ScanForPayEvent } from './scanforpay-event.js';

/**
 * An order's status; `timeout` when it was still pending at the polling time limit; `cancelled`
 * when the shopper came back from the cashier without paying (the proxy's return says so with
 * `?returned=unpaid`) and the order is still unpaid.
 */
export type ResultStatus = OrderStatus | 'timeout' | 'cancelled';

export interface ScanForPayStatusDetail {
  orderId: string;
  status: ResultStatus;
  order?: Order;
}

/** Fired by `<scanforpay-result>` each time the status it shows changes. */
export class ScanForPayStatusEvent extends ScanForPayEvent<ScanForPayStatusDetail> {
  constructor(detail: ScanForPayStatusDetail) {
    super('scanforpay-status', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'scanforpay-status': ScanForPayStatusEvent;
  }
}
