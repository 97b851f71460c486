import { ScanForPayEvent } from './scanforpay-event.js';

export interface ScanForPayRedirectDetail {
  orderId: string;
  payUrl: string;
  target: '_self' | '_blank';
}

/**
 * Fired by `<scanforpay-button>` just before it navigates to the pay URL. Cancelable: call
 * `preventDefault()` to stay on the page and handle `payUrl` yourself.
 */
export class ScanForPayRedirectEvent extends ScanForPayEvent<ScanForPayRedirectDetail> {
  constructor(detail: ScanForPayRedirectDetail) {
    super('scanforpay-redirect', detail, true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'scanforpay-redirect': ScanForPayRedirectEvent;
  }
}
