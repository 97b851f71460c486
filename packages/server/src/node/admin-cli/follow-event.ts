import type { AdminEventAnswer } from '../../routes/admin-events-route.js';
import type { AdminWebhookState } from '../../routes/admin-route.js';
import { CliError } from './cli-errors.js';
import type { AdminCliIo, ProxyConnection } from './proxy-connection.js';

/** Looks at a delivery this often, and this many times (about 15 s) before giving up. */
export const FOLLOW_EVERY_MS = 100;
export const FOLLOW_LOOKS = 150;
/** Every this many looks, whether the endpoint was disabled (a 410 Gone holds the event). */
const ENDPOINT_EVERY = 5;

/** The event's delivery settled: delivered, or its attempt failed (then retried with backoff). */
export type Settled = AdminEventAnswer['event'];

/**
 * Follows one event (new, or just resent: no `lastError`) until an attempt after
 * `attemptsBefore` settles: delivered, given up or failed (its `lastError`). Throws a
 * `CliError` when none has within `FOLLOW_LOOKS` looks, or when the endpoint is disabled (it
 * answered 410 Gone: the event waits for `webhook enable`).
 */
export async function followEvent(
  io: AdminCliIo,
  proxy: ProxyConnection,
  eventId: string,
  attemptsBefore: number,
): Promise<Settled> {
  const sleep = io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  for (let look = 0; look < FOLLOW_LOOKS; look++) {
    const { event } = await proxy.call<AdminEventAnswer>('GET', `/admin/events/${eventId}`);
    if (event.attempts > attemptsBefore) {
      if (event.deliveredAt !== null || event.givenUpAt !== null || event.lastError !== null) {
        return event;
      }
    }
    if (look % ENDPOINT_EVERY === ENDPOINT_EVERY - 1) {
      const state = await proxy.call<AdminWebhookState>('GET', '/admin/webhook');
      if (state.url !== null && state.disabledAt !== null) {
        throw new CliError(
          `event ${eventId} ${event.type} waits: the webhook ${state.url} is disabled ` +
            `(it answered ${state.reason ?? '410 Gone'}); scanforpay-proxy webhook enable sends it`,
        );
      }
    }
    await sleep(FOLLOW_EVERY_MS);
  }
  throw new CliError(
    `event ${eventId} is not delivered yet (is the proxy's background work running?); ` +
      `see scanforpay-proxy events show ${eventId}`,
  );
}

/** `delivered to URL` or the CliError of a failed attempt. */
export function deliveryLine(event: Settled, url: string | null): string {
  const where = url ?? 'the onEvent hook';
  if (event.deliveredAt !== null)
    return `event ${event.eventId} ${event.type} delivered to ${where}`;
  throw new CliError(
    `event ${event.eventId} ${event.type} was not delivered to ${where}: ` +
      `${event.lastError ?? 'given up'} (attempt ${event.attempts}; the proxy retries it with backoff, ` +
      `or run scanforpay-proxy events resend ${event.eventId})`,
  );
}
