// Each entry's public API, name by name: changing it must be a deliberate diff here.
// The main entry is what a merchant calls; `./store` is for custom-store authors.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listEntryExports } from '../../../scripts/public-api.mjs';

const ENTRIES = {
  '@scanforpay/server': 'index.ts',
  '@scanforpay/server/node': 'node.ts',
  '@scanforpay/server/store': 'store.ts',
  '@scanforpay/server/webhook': 'webhook.ts',
  '@scanforpay/server/workers': 'workers.ts',
} as const;

const EXPECTED: Record<keyof typeof ENTRIES, string[]> = {
  '@scanforpay/server': [
    'type BackgroundReport',
    'type ButtonScriptSource',
    'type Catalog',
    'class CatalogError',
    'type CatalogItem',
    'type CheckoutTokenClaims',
    'class CheckoutTokenError',
    'type CheckoutTokenErrorCode',
    'function createCheckoutToken',
    'type CreateCheckoutTokenOptions',
    'function createLogger',
    'function createProxy',
    'function createWebhookSecret',
    'type FixedItem',
    'type Logger',
    'type LoggerOptions',
    'type LogLevel',
    'const MERCHANT_EVENT_TYPES',
    'type MerchantEvent',
    'type MerchantEventData',
    'type MerchantEventType',
    'type OpenItem',
    'type OrderRequest',
    'function parseCatalog',
    'const PROBLEM_CODES',
    'const PROBLEM_CONTENT_TYPE',
    'type ProblemBody',
    'type ProblemCode',
    'class ProblemError',
    'type ProxyCredentials',
    'type ProxyOptions',
    'type ProxyTelemetry',
    'type RefusedNotificationLimits',
    'type ResolvedPrice',
    'type ResolveOrderHook',
    'type ScanForPayProxy',
    'type ScriptCompressor',
    'function signWebhook',
    'function verifyCheckoutToken',
  ],
  '@scanforpay/server/node': [
    'function bundledButtonVersion',
    'function buttonScriptLoader',
    'class ConfigError',
    'function createNodeTransport',
    'function createPostgresStore',
    'function createSqliteStore',
    'function loadConfig',
    'type LoadConfigOptions',
    'type Migration',
    'const MIGRATIONS',
    'const nodeCompress',
    'const nodeSha256',
    'const POSTGRES_MIGRATIONS',
    'function postgresDriver',
    'type PostgresStore',
    'type PostgresStoreOptions',
    'type ProxyConfig',
    'type ProxyEnvironment',
    'type RunningProxy',
    'const SQLITE_MIGRATIONS',
    'function sqliteDriver',
    'type SqliteStore',
    'type SqliteStoreOptions',
    'function startProxy',
    'type StartProxyOptions',
    'type TelemetrySettings',
  ],
  '@scanforpay/server/store': [
    'const ALLOWED_FROM',
    'type CheckQueue',
    'type ClaimedEvent',
    'function createD1Store',
    'function createSqlStore',
    'type CreationOutcome',
    'type D1DatabaseLike',
    'function d1Driver',
    'type D1MigrationFile',
    'function d1MigrationFiles',
    'type D1PreparedStatementLike',
    'type EndpointState',
    'type EventOutbox',
    'type EventSettlement',
    'const FIRST_CHECK_AFTER_MS',
    'type IdempotencyRecord',
    'type InsertOrderInput',
    'type InsertOrderResult',
    'type ListOrdersQuery',
    'type NewOrder',
    'const NOTIFICATION_OUTCOMES',
    'type NotificationInput',
    'type NotificationLog',
    'type NotificationOutcome',
    'type NotificationResult',
    'type Order',
    'const ORDER_STATUSES',
    'type OrderRecords',
    'type OrderStatus',
    'type OrderStore',
    'type OutboxEvent',
    'type OutboxRecord',
    'type RateCounter',
    'const REFUND_STATUSES',
    'type RefundLedger',
    'type RefundRecord',
    'type RefundStatus',
    'type RejectedNotificationInput',
    'type RejectedNotificationResult',
    'type ReserveRefundInput',
    'type ReserveRefundResult',
    'type RetainedRecords',
    'type Retention',
    'type SettleRefundInput',
    'type SettleRefundResult',
    'type SqlDriver',
    'type SqlRow',
    'type SqlStatement',
    'type SqlValue',
    'type StoreConnection',
    'type StoredNotification',
    'class StoreUnavailableError',
    'type TransitionInput',
    'type TransitionResult',
  ],
  '@scanforpay/server/webhook': [
    'function createWebhookSecret',
    'const MERCHANT_EVENT_TYPES',
    'type MerchantEvent',
    'type MerchantEventData',
    'type MerchantEventType',
    'function signWebhook',
    'function verifyMerchantWebhook',
    'type VerifyMerchantWebhookOptions',
    'const WEBHOOK_VERIFICATION_REASONS',
    'type WebhookHeaders',
    'type WebhookSignatureHeaders',
    'class WebhookVerificationError',
    'type WebhookVerificationReason',
  ],
  '@scanforpay/server/workers': [
    'function createWorker',
    'type D1DatabaseLike',
    'const default',
    'type ScanForPayWorker',
    'type WorkerEnv',
    'type WorkerOverrides',
    'type WorkerScheduledController',
  ],
};

/** The names of `lines` that are runtime values (not `type`), sorted. */
function values(lines: readonly string[]): string[] {
  return lines
    .filter((line) => !line.startsWith('type '))
    .map((line) => line.slice(line.indexOf(' ') + 1))
    .sort();
}

const specifiers = Object.keys(ENTRIES) as (keyof typeof ENTRIES)[];
const lists = listEntryExports(
  specifiers.map((s) => fileURLToPath(new URL(`../src/${ENTRIES[s]}`, import.meta.url))),
);

describe.each(specifiers.map((s, i) => [s, lists[i] ?? []] as const))('%s', (specifier, names) => {
  it('exports exactly these names', () => {
    expect(names).toEqual(EXPECTED[specifier]);
  });

  it('has a runtime value for every name that is not a type, and no other', async () => {
    const entry = (await import(specifier)) as Record<string, unknown>;
    expect(Object.keys(entry).sort()).toEqual(values(names));
  });
});

it('keeps the main entry under 40 names', () => {
  expect(EXPECTED['@scanforpay/server'].length).toBeLessThan(40);
});
