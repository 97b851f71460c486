// The package's public API, name by name: changing it must be a deliberate diff here.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listEntryExports } from '../../../scripts/public-api.mjs';

const entry = (file: string) => fileURLToPath(new URL(`../src/${file}`, import.meta.url));
const [indexNames = [], nodeNames = []] = listEntryExports([entry('index.ts'), entry('node.ts')]);

/** The names of `lines` that are runtime values (not `type`), sorted. */
function values(lines: readonly string[]): string[] {
  return lines
    .filter((line) => !line.startsWith('type '))
    .map((line) => line.slice(line.indexOf(' ') + 1))
    .sort();
}

describe('@scanforpay/protocol', () => {
  const names = indexNames;

  it('exports exactly these names', () => {
    expect(names).toEqual([
      'function assertValid',
      'type ClientOptions',
      'function createClient',
      'function createHeader',
      'type CreateHeaderOptions',
      'type CreateOrderBody',
      'const CreateOrderBodySchema',
      'type CreateOrderInput',
      'type CreateOrderResponse',
      'const CreateOrderResponseSchema',
      'type CreateOrderResult',
      'function encodeJson',
      'const fetchTransport',
      'type FieldIssue',
      'function formatMoney',
      'function formatTime',
      'type HashFn',
      'function isoCurrency',
      'function isTimeoutRule',
      'class JsonScanError',
      'const MAX_TIMEOUT_MS',
      'type MemberSpan',
      'function minorDigits',
      'type Notification',
      'type NotifyBody',
      'const NotifyBodySchema',
      'type OpenedMessage',
      'function openNotification',
      'function openSigned',
      'type OpenSignedOptions',
      'const ORDER_STATUS',
      'type OrderStatusCode',
      'function parseTimeoutRule',
      'type PayQueryBody',
      'const PayQueryBodySchema',
      'type PayQueryResponse',
      'const PayQueryResponseSchema',
      'const PRODUCTION_API_URL',
      'type QueryPaymentInput',
      'function randomBytes',
      'function randomHex',
      'const REFUND_STATUS',
      'type RefundBody',
      'const RefundBodySchema',
      'type RefundInput',
      'type RefundResponse',
      'const RefundResponseSchema',
      'type RefundResult',
      'type RefundStatusCode',
      'type RequestHeader',
      'const RequestHeaderSchema',
      'const ResponseHeaderSchema',
      'const ResultSchema',
      'type ScanForPayClient',
      'class ScanForPayError',
      'function scanTopLevelMembers',
      'function sign',
      'class SignatureError',
      'type SignatureErrorReason',
      'type SignedKind',
      'type SignedMessage',
      'function signRequest',
      'function signResponse',
      'const TEST_API_URL',
      'const TIMEOUT_RULE',
      'function toMajor',
      'function toMinor',
      'type Transport',
      'class TransportError',
      'type TransportRequest',
      'type TransportResponse',
      'class ValidationError',
      'type Wallet',
      'const WALLETS',
      'const WalletSchema',
      'const webCryptoSha256',
    ]);
  });

  it('has a runtime value for every name that is not a type, and no other', async () => {
    expect(Object.keys(await import('@scanforpay/protocol')).sort()).toEqual(values(names));
  });
});

describe('@scanforpay/protocol/node', () => {
  const names = nodeNames;

  it('exports exactly these names', () => {
    expect(names).toEqual([
      'function createNodeTransport',
      'const nodeSha256',
      'type NodeTransportOptions',
    ]);
  });

  it('has a runtime value for every name that is not a type, and no other', async () => {
    expect(Object.keys(await import('@scanforpay/protocol/node')).sort()).toEqual(values(names));
  });
});
