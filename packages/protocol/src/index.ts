export { encodeJson } from './encode-json.js';
export { webCryptoSha256, type HashFn } from './hash.js';
export {
  sign,
  signRequest,
  signResponse,
  createHeader,
  formatTime,
  randomHex,
  randomBytes,
  type RequestHeader,
  type CreateHeaderOptions,
  type SignedMessage,
} from './sign.js';
export {
  openSigned,
  type OpenedMessage,
  type OpenSignedOptions,
  type SignedKind,
} from './open-signed.js';
export { openNotification, type Notification } from './notification.js';
// The sandbox picks the partner's key from the raw `request` member before it can verify.
export { scanTopLevelMembers, JsonScanError, type MemberSpan } from './json-scanner.js';
export {
  SignatureError,
  ScanForPayError,
  TransportError,
  ValidationError,
  type SignatureErrorReason,
  type FieldIssue,
} from './errors.js';
export {
  assertValid,
  WALLETS,
  ORDER_STATUS,
  REFUND_STATUS,
  WalletSchema,
  RequestHeaderSchema,
  ResponseHeaderSchema,
  CreateOrderBodySchema,
  CreateOrderResponseSchema,
  PayQueryBodySchema,
  PayQueryResponseSchema,
  NotifyBodySchema,
  RefundBodySchema,
  RefundResponseSchema,
  ResultSchema,
  type Wallet,
  type OrderStatusCode,
  type RefundStatusCode,
  type CreateOrderBody,
  type CreateOrderResponse,
  type PayQueryBody,
  type PayQueryResponse,
  type NotifyBody,
  type RefundBody,
  type RefundResponse,
} from './schemas.js';
export { TIMEOUT_RULE, MAX_TIMEOUT_MS, parseTimeoutRule, isTimeoutRule } from './timeout-rule.js';
export {
  fetchTransport,
  type Transport,
  type TransportRequest,
  type TransportResponse,
} from './transport.js';
export {
  createClient,
  PRODUCTION_API_URL,
  TEST_API_URL,
  type ClientOptions,
  type ScanForPayClient,
  type CreateOrderInput,
  type CreateOrderResult,
  type QueryPaymentInput,
  type RefundInput,
  type RefundResult,
} from './client.js';
export { formatMoney, isoCurrency, minorDigits, toMajor, toMinor } from './money.js';
