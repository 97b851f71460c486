import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import './define.js';
import type { ScanForPayErrorEvent } from './events/scanforpay-error-event.js';
import type { ScanForPayOrderEvent } from './events/scanforpay-order-event.js';
import type { ScanForPayReadyEvent } from './events/scanforpay-ready-event.js';
import type { ScanForPayRedirectEvent } from './events/scanforpay-redirect-event.js';
import type { ScanForPayStatusEvent } from './events/scanforpay-status-event.js';
import { ScanForPayButton as ButtonElement } from './scanforpay-button.js';
import { ScanForPayResult as ResultElement } from './scanforpay-result.js';

/** `<scanforpay-button>` for React, with `onReady`, `onOrder`, `onRedirect`, `onError`. */
export const ScanForPayButton = createComponent({
  tagName: 'scanforpay-button',
  elementClass: ButtonElement,
  react: React,
  events: {
    onReady: 'scanforpay-ready' as EventName<ScanForPayReadyEvent>,
    onOrder: 'scanforpay-order' as EventName<ScanForPayOrderEvent>,
    onRedirect: 'scanforpay-redirect' as EventName<ScanForPayRedirectEvent>,
    onError: 'scanforpay-error' as EventName<ScanForPayErrorEvent>,
  },
});

/** `<scanforpay-result>` for React, with `onStatus`, `onError`. */
export const ScanForPayResult = createComponent({
  tagName: 'scanforpay-result',
  elementClass: ResultElement,
  react: React,
  events: {
    onStatus: 'scanforpay-status' as EventName<ScanForPayStatusEvent>,
    onError: 'scanforpay-error' as EventName<ScanForPayErrorEvent>,
  },
});
