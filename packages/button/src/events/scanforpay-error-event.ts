import { ScanForPayEvent } from './scanforpay-event.js';

export interface ScanForPayErrorDetail {
  /** Stable: the proxy's problem `code`, or one of the element's own codes. */
  code: string;
  /** The localized message the element shows. */
  message: string;
  /** The HTTP status, when the proxy answered. */
  status?: number;
}

/** Fired by `<scanforpay-button>` and `<scanforpay-result>` when something fails. */
export class ScanForPayErrorEvent extends ScanForPayEvent<ScanForPayErrorDetail> {
  constructor(detail: ScanForPayErrorDetail) {
    super('scanforpay-error', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'scanforpay-error': ScanForPayErrorEvent;
  }
}
