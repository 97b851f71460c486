import {
  sampleEvent,
  type SampleEventType,
  type TestEventDelivery,
} from '../domain/sample-event.js';
import type { Logger } from '../logging/create-logger.js';
import { deliverWebhook } from './deliver-webhook.js';

export interface SendTestEventDeps {
  /** The merchant's endpoint and its signing secret. */
  webhook: { url: string; secret: string; timeoutMs?: number };
  clock: () => number;
  fetch?: typeof fetch | undefined;
  logger: Logger;
  /** Replaces the proxy's secrets in the merchant's answer before it is shown. */
  redact: (text: string) => string;
}

/**
 * Sends a sample event of `type` to the merchant's endpoint now, signed exactly like a real
 * delivery (Standard Webhooks, the same secret and headers), outside the outbox: nothing is
 * stored and nothing is retried. Sent even while the endpoint is disabled, to check it.
 */
export async function sendTestEvent(
  deps: SendTestEventDeps,
  type: SampleEventType,
): Promise<TestEventDelivery> {
  const { url, secret, timeoutMs } = deps.webhook;
  const event = sampleEvent(type, deps.clock());
  const delivery = await deliverWebhook({
    url,
    secret,
    eventId: event.eventId,
    payload: event.payload,
    now: deps.clock,
    keepAnswer: true,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  deps.logger.info('webhook test event', {
    eventId: event.eventId,
    type,
    outcome: delivery.outcome,
    ...(delivery.status !== undefined ? { status: delivery.status } : {}),
  });
  return {
    url,
    eventId: event.eventId,
    type,
    outcome: delivery.outcome,
    status: delivery.status ?? null,
    answer: deps.redact(delivery.answer ?? ''),
    error: delivery.outcome === 'failed' ? delivery.error : null,
  };
}
