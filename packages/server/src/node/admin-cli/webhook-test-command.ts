import { SAMPLE_EVENT_TYPES, type SampleEventType } from '../../domain/sample-event.js';
import type { AdminWebhookTest } from '../../routes/admin-events-route.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import type { Flags } from './parse-flags.js';
import { connect } from './proxy-connection.js';

/**
 * `webhook test [--type order.paid]`: the proxy signs a sample event exactly like a real
 * delivery and sends it to its configured webhook now; prints the receiver's status and the
 * start of its answer. A receiver that cannot be reached or answers other than 2xx exits 1.
 */
export async function webhookTestCommand(flags: Flags, ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const type = typeof flags.type === 'string' ? flags.type : 'order.paid';
  if (!(SAMPLE_EVENT_TYPES as readonly string[]).includes(type)) {
    throw new UsageError(`--type: one of ${SAMPLE_EVENT_TYPES.join(', ')}`);
  }
  const proxy = connect(io, token, flags);
  const sent = await proxy.call<AdminWebhookTest>('POST', '/admin/webhook/test', {
    type: type as SampleEventType,
  });
  if (flags.json) print(JSON.stringify(sent));
  const answer = sent.answer === '' ? '' : `: ${sent.answer}`;
  if (sent.status === null) {
    throw new CliError(`cannot reach the receiver at ${sent.url}: ${sent.error ?? 'no answer'}`);
  }
  if (sent.outcome !== 'delivered') {
    throw new CliError(`the receiver at ${sent.url} answered HTTP ${sent.status}${answer}`);
  }
  if (flags.json) return;
  print(`sent ${sent.type} test event ${sent.eventId} to ${sent.url}`);
  print(`HTTP ${sent.status}${answer}`);
}
