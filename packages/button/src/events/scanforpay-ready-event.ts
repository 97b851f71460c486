import type { Item } from '../api-client.js';
import { ScanForPayEvent } from './scanforpay-event.js';

/** Fired by `<scanforpay-button>` once its item is loaded and its price shown. */
export class ScanForPayReadyEvent extends ScanForPayEvent<{ item: Item }> {
  constructor(item: Item) {
    super('scanforpay-ready', { item });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'scanforpay-ready': ScanForPayReadyEvent;
  }
}
