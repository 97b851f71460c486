import { ScanForPayButton } from './scanforpay-button.js';
import { ScanForPayResult } from './scanforpay-result.js';

// Guarded: the script-tag bundle and an ESM import may both run on one page.
if (!customElements.get('scanforpay-button')) {
  customElements.define('scanforpay-button', ScanForPayButton);
}
if (!customElements.get('scanforpay-result')) {
  customElements.define('scanforpay-result', ScanForPayResult);
}

// The element and event types come with this import: the modules below declare
// `HTMLElementTagNameMap` and the events' `HTMLElementEventMap` entries.
export type * from './index.js';
