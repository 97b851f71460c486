import type { MerchantEvent } from '../domain/merchant-event.js';
import type { ClaimedEvent } from '../store/order-store.js';
import { deliverWebhook } from './deliver-webhook.js';
import { shortMessage } from './short-message.js';

/** One delivery attempt of a claimed event, to every configured destination. */
export type Attempt =
  | { ok: true; status?: number }
  | { ok: false; gone: true; url: string }
  | { ok: false; gone: false; status?: number; error: string };

/** Where an event goes: the merchant's Standard Webhooks endpoint and/or an in-process hook. */
export interface Destinations {
  webhook?: { url: string; secret: string };
  onEvent?: (event: MerchantEvent) => void | Promise<void>;
  timeoutMs: number;
  clock: () => number;
  fetch?: typeof fetch;
}

/** Every configured destination must accept the event; the webhook goes first. */
export async function attemptDelivery(
  event: ClaimedEvent,
  { webhook, onEvent, timeoutMs, clock, fetch }: Destinations,
): Promise<Attempt> {
  if (webhook) {
    const sent = await deliverWebhook({
      url: webhook.url,
      secret: webhook.secret,
      eventId: event.eventId,
      payload: event.payload,
      timeoutMs,
      now: clock,
      ...(fetch ? { fetch } : {}),
    });
    if (sent.outcome === 'gone') return { ok: false, gone: true, url: webhook.url };
    if (sent.outcome === 'failed') {
      return { ok: false, gone: false, status: sent.status, error: sent.error };
    }
    if (!onEvent) return { ok: true, status: sent.status };
  }
  if (onEvent) {
    let merchantEvent: MerchantEvent;
    try {
      merchantEvent = {
        ...(JSON.parse(event.payload) as Omit<MerchantEvent, 'id'>),
        id: event.eventId,
      };
    } catch {
      return { ok: false, gone: false, error: 'stored payload is not JSON' };
    }
    try {
      await onEvent(merchantEvent);
    } catch (error) {
      // The hook's own message says what went wrong; it is logged and stored, so scrub the secret.
      const message = webhook
        ? shortMessage(error).replaceAll(webhook.secret, '[redacted]')
        : shortMessage(error);
      return { ok: false, gone: false, error: `onEvent threw: ${message}` };
    }
  }
  return { ok: true };
}
