export { ScanForPayButton } from './scanforpay-button.js';
export { ScanForPayResult } from './scanforpay-result.js';
export { ScanForPayReadyEvent } from './events/scanforpay-ready-event.js';
export { ScanForPayOrderEvent } from './events/scanforpay-order-event.js';
export {
  ScanForPayRedirectEvent,
  type ScanForPayRedirectDetail,
} from './events/scanforpay-redirect-event.js';
export {
  ScanForPayErrorEvent,
  type ScanForPayErrorDetail,
} from './events/scanforpay-error-event.js';
export {
  ScanForPayStatusEvent,
  type ScanForPayStatusDetail,
  type ResultStatus,
} from './events/scanforpay-status-event.js';
export {
  ORDER_STATUSES,
  type CreatedOrder,
  type Item,
  type Order,
  type OrderRequest,
  type OrderStatus,
} from './api-client.js';
export { WALLETS, type Wallet } from './wallets.js';
export {
  LOCALES,
  type Locale,
  type ButtonStrings,
  type ResultStrings,
  type SharedStrings,
} from './strings.js';
