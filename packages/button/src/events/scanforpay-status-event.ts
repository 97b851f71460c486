import type { Order, OrderStatus } from '../api-client.js';
import { ScanForPayEvent } from './scanforpay-event.js';

/** An order's status, or `timeout` when it was still pending at the polling time limit. */
export type ResultStatus = OrderStatus | 'timeout';

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
