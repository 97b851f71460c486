import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import {
  ScanForPayError,
  SignatureError,
  TransportError,
  ValidationError,
  type ScanForPayClient,
} from '@scanforpay/protocol';
import type { ProxyMetrics } from './proxy-metrics.js';

/** What a gateway call is measured and traced with; either may be absent. */
export interface GatewayTelemetry {
  tracer?: Tracer | undefined;
  metrics?: Pick<ProxyMetrics, 'gatewayCall'> | undefined;
}

/** How a gateway call ended, as a metric label: a small fixed set. */
export type GatewayOutcome =
  'ok' | 'refused' | 'timeout' | 'http_error' | 'unreachable' | 'invalid_answer' | 'error';

/** The outcome of a failed call, from the protocol's error types. */
export function gatewayOutcome(error: unknown): GatewayOutcome {
  if (error instanceof ScanForPayError) return 'refused';
  if (error instanceof TransportError) {
    return error.timeout ? 'timeout' : error.status !== undefined ? 'http_error' : 'unreachable';
  }
  if (error instanceof SignatureError || error instanceof ValidationError) return 'invalid_answer';
  return 'error';
}

/**
 * The client with each call timed (`scanforpay.gateway.duration`, by endpoint and outcome) and,
 * with a tracer, wrapped in a client span that is a child of the active one (the request's).
 * The span carries the endpoint, the outcome and the order id, nothing of the signed message.
 * Without telemetry the client is returned as it is.
 */
export function instrumentClient(
  client: ScanForPayClient,
  telemetry: GatewayTelemetry,
): ScanForPayClient {
  const { tracer, metrics } = telemetry;
  if (!tracer && !metrics) return client;

  async function measured<T>(
    endpoint: string,
    orderId: string | undefined,
    call: () => Promise<T>,
  ) {
    const start = performance.now();
    const record = (outcome: GatewayOutcome) =>
      metrics?.gatewayCall(endpoint, outcome, (performance.now() - start) / 1000);
    if (!tracer) {
      try {
        const result = await call();
        record('ok');
        return result;
      } catch (error) {
        record(gatewayOutcome(error));
        throw error;
      }
    }
    return tracer.startActiveSpan(
      `POST ${endpoint}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'http.request.method': 'POST',
          'scanforpay.gateway.endpoint': endpoint,
          ...(orderId ? { 'scanforpay.order_id': orderId } : {}),
        },
      },
      async (span) => {
        try {
          const result = await call();
          record('ok');
          span.setAttribute('scanforpay.gateway.outcome', 'ok');
          return result;
        } catch (error) {
          const outcome = gatewayOutcome(error);
          record(outcome);
          span.setAttribute('scanforpay.gateway.outcome', outcome);
          // The outcome, never the error's text (it may quote the gateway's answer).
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  return {
    createOrder: (input) =>
      measured(
        input.mode === 'qrcode' ? '/api/offline/qrcode' : '/api/online/create',
        input.partnerOrderNo,
        () => client.createOrder(input),
      ),
    queryPayment: (input) =>
      measured('/api/common/payQuery', input.partnerOrderNo, () => client.queryPayment(input)),
    refund: (input) =>
      measured('/api/common/refund', input.partnerOrderNo, () => client.refund(input)),
  };
}
