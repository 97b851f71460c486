import type { AdminEventAnswer } from '../../routes/admin-events-route.js';
import { EVENT_ID_SHAPE } from '../../domain/merchant-event.js';
import { UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { deliveryLine, followEvent } from './follow-event.js';
import { isoTime } from './format-order.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { connect } from './proxy-connection.js';
import { ADMIN_USAGE } from './usage.js';

/**
 * `events show <eventId>`: one stored merchant event and its delivery. `events resend
 * <eventId> [--no-wait]`: sends it again (delivered, given up or waiting) and, unless
 * `--no-wait`, follows it until the attempt settles; a failed attempt exits 1.
 */
export async function eventsCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const { flags, positionals } = parseFlags(args, { ...COMMON_FLAGS, 'no-wait': 'boolean' }, 2);
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const [action, eventId] = positionals;
  if (action !== 'resend' && action !== 'show') {
    throw new UsageError(
      action === undefined
        ? 'events: resend <eventId> or show <eventId>'
        : `events: unknown action "${action}" (resend, show)`,
    );
  }
  if (eventId === undefined) throw new UsageError(`events ${action}: missing <eventId>`);
  if (!EVENT_ID_SHAPE.test(eventId)) throw new UsageError(`"${eventId}" is not an event id`);
  const proxy = connect(io, token, flags);
  const path = `/admin/events/${eventId}`;
  if (action === 'show') {
    const shown = await proxy.call<AdminEventAnswer>('GET', path);
    if (flags.json) return print(JSON.stringify(shown));
    return print(eventLine(shown.event));
  }
  const resent = await proxy.call<AdminEventAnswer>('POST', `${path}/resend`);
  if (flags.json && flags['no-wait']) return print(JSON.stringify(resent));
  const { event, url } = resent;
  const order = event.orderId === null ? '' : `, order ${event.orderId}`;
  print(
    `event ${event.eventId} (${event.type}${order}) queued again for ${url ?? 'the onEvent hook'}`,
  );
  if (flags['no-wait']) return;
  const settled = await followEvent(io, proxy, event.eventId, event.attempts);
  if (flags.json) return print(JSON.stringify({ event: settled, url }));
  print(deliveryLine(settled, url));
}

/** `evt_…  order.paid  order 01J…  created …  delivered …` */
function eventLine(event: AdminEventAnswer['event']): string {
  const state =
    event.deliveredAt !== null
      ? `delivered ${isoTime(event.deliveredAt)}`
      : event.givenUpAt !== null
        ? `given up ${isoTime(event.givenUpAt)} (${event.lastError ?? 'no answer'})`
        : `waiting, ${event.attempts} attempt${event.attempts === 1 ? '' : 's'}` +
          (event.lastError ? ` (last: ${event.lastError})` : '');
  const order = event.orderId === null ? '' : `  order ${event.orderId}`;
  return `${event.eventId}  ${event.type}${order}  created ${isoTime(event.createdAt)}  ${state}`;
}
