import { ValueType, type Meter } from '@opentelemetry/api';

/**
 * The proxy's business metrics, recorded through an OpenTelemetry `Meter`. Every label is from a
 * small fixed set (a wallet, an outcome, a route pattern, a gateway path): never an order id, a
 * buyer, a token or a raw path. Absent (undefined in the deps) when metrics are off, so the hot
 * paths pay one property check and allocate nothing.
 */
export interface ProxyMetrics {
  /** An order reached the gateway: `created`, or the problem code its creation ended in. */
  orderCreated(wallet: string, outcome: string): void;
  /** A `/notify` call: `applied`, `duplicate`, `ignored`, `mismatch`, `unknown_order`, `rejected` (with why). */
  notification(outcome: string, reason?: string): void;
  /** A buyer came back through `/return`: `applied`, `not_final`, `already_final`, … */
  returned(outcome: string): void;
  /** A reconciliation check: `settled`, `expired` or `rescheduled`. */
  reconciled(outcome: string): void;
  /** A refund request: `succeeded`, `replayed`, `pending`, or its problem code. */
  refund(outcome: string): void;
  /** A merchant event delivery attempt: `delivered`, `retry`, `given_up`, `released`. */
  webhookDelivery(outcome: string): void;
  /** One ScanForPay API call (`/api/online/create`, `/api/common/payQuery`, …) and how it ended. */
  gatewayCall(endpoint: string, outcome: string, seconds: number): void;
  /** One HTTP request, by its route pattern (`/orders/:orderId`), never its raw path. */
  request(method: string, route: string, status: number, seconds: number): void;
}

/** What the gauges read from the store when metrics are collected (a scrape). */
export interface StoreGauges {
  /** Merchant events neither delivered nor given up; undefined when no destination is set. */
  webhookBacklog?: number | undefined;
  /** Age of the oldest of them, in seconds (0 when none waits). */
  webhookOldestAgeSeconds?: number | undefined;
  /** Pending orders still unpaid after their first reconciliation check. */
  pendingCheckedOrders: number;
}

/** Seconds: the buckets of OpenTelemetry's HTTP semantic conventions (as `@hono/otel`'s). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** The metric names, as the Prometheus exposition shows them (dots become underscores). */
export const METRIC_NAMES = {
  ordersCreated: 'scanforpay.orders.created',
  notifications: 'scanforpay.notifications',
  returns: 'scanforpay.returns',
  reconciliations: 'scanforpay.reconciliation.checks',
  refunds: 'scanforpay.refunds',
  webhookDeliveries: 'scanforpay.webhook.deliveries',
  gatewayDuration: 'scanforpay.gateway.duration',
  requestDuration: 'http.server.request.duration',
  webhookBacklog: 'scanforpay.webhook.backlog',
  webhookOldestAge: 'scanforpay.webhook.oldest_age',
  pendingChecked: 'scanforpay.orders.pending_checked',
} as const;

/**
 * The instruments on `meter`, plus the store gauges when `readGauges` is given: it runs once
 * per collection (each scrape), never on a request.
 */
export function createProxyMetrics(
  meter: Meter,
  readGauges?: () => Promise<StoreGauges>,
): ProxyMetrics {
  const counter = (name: string, description: string) =>
    meter.createCounter(name, { description, valueType: ValueType.INT });
  const orders = counter(
    METRIC_NAMES.ordersCreated,
    'Orders sent to the gateway, by wallet and outcome',
  );
  const notifications = counter(METRIC_NAMES.notifications, 'Gateway notifications, by outcome');
  const returns = counter(METRIC_NAMES.returns, 'Buyers back through /return, by outcome');
  const reconciliations = counter(
    METRIC_NAMES.reconciliations,
    'Reconciliation checks, by outcome',
  );
  const refunds = counter(METRIC_NAMES.refunds, 'Refund requests, by outcome');
  const deliveries = counter(
    METRIC_NAMES.webhookDeliveries,
    'Webhook delivery attempts, by outcome',
  );
  const histogram = (name: string, description: string) =>
    meter.createHistogram(name, {
      description,
      unit: 's',
      valueType: ValueType.DOUBLE,
      advice: { explicitBucketBoundaries: LATENCY_BUCKETS },
    });
  const gateway = histogram(
    METRIC_NAMES.gatewayDuration,
    'ScanForPay API calls, by endpoint and outcome',
  );
  const requests = histogram(METRIC_NAMES.requestDuration, 'HTTP requests, by route pattern');

  if (readGauges) observeStore(meter, readGauges);

  return {
    orderCreated: (wallet, outcome) => orders.add(1, { wallet, outcome }),
    notification: (outcome, reason) =>
      notifications.add(1, reason === undefined ? { outcome } : { outcome, reason }),
    returned: (outcome) => returns.add(1, { outcome }),
    reconciled: (outcome) => reconciliations.add(1, { outcome }),
    refund: (outcome) => refunds.add(1, { outcome }),
    webhookDelivery: (outcome) => deliveries.add(1, { outcome }),
    gatewayCall: (endpoint, outcome, seconds) => gateway.record(seconds, { endpoint, outcome }),
    request: (method, route, status, seconds) =>
      requests.record(seconds, {
        'http.request.method': method,
        'http.route': route,
        'http.response.status_code': status,
      }),
  };
}

function observeStore(meter: Meter, read: () => Promise<StoreGauges>): void {
  const backlog = meter.createObservableGauge(METRIC_NAMES.webhookBacklog, {
    description: 'Merchant events waiting for delivery',
    valueType: ValueType.INT,
  });
  const oldest = meter.createObservableGauge(METRIC_NAMES.webhookOldestAge, {
    description: 'Age of the oldest merchant event waiting for delivery',
    unit: 's',
    valueType: ValueType.DOUBLE,
  });
  const pending = meter.createObservableGauge(METRIC_NAMES.pendingChecked, {
    description: 'Pending orders still unpaid after their first reconciliation check',
    valueType: ValueType.INT,
  });
  // One batch: the store is read once per collection for the three gauges.
  meter.addBatchObservableCallback(
    async (result) => {
      const gauges = await read();
      // Without a webhook or onEvent nothing delivers events: no backlog to report.
      if (gauges.webhookBacklog !== undefined) result.observe(backlog, gauges.webhookBacklog);
      if (gauges.webhookOldestAgeSeconds !== undefined) {
        result.observe(oldest, gauges.webhookOldestAgeSeconds);
      }
      result.observe(pending, gauges.pendingCheckedOrders);
    },
    [backlog, oldest, pending],
  );
}
