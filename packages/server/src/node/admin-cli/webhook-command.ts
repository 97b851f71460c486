import type { AdminWebhookState } from '../../routes/admin-route.js';
import { UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { isoTime } from './format-order.js';
import { COMMON_FLAGS, parseFlags } from './parse-flags.js';
import { connect } from './proxy-connection.js';
import { ADMIN_USAGE } from './usage.js';
import { webhookTestCommand } from './webhook-test-command.js';

/** `webhook [enable | test]`: the merchant webhook's state, re-enable it, or send it a test. */
export async function webhookCommand(args: readonly string[], ctx: CommandContext): Promise<void> {
  const { io, token, print } = ctx;
  const { flags, positionals } = parseFlags(args, { ...COMMON_FLAGS, type: 'string' }, 1);
  if (flags.help) return io.stdout(ADMIN_USAGE);
  const action = positionals[0];
  if (action === 'test') return webhookTestCommand(flags, ctx);
  if (action !== undefined && action !== 'enable') {
    throw new UsageError(`webhook: unknown action "${action}" (enable, test)`);
  }
  if (flags.type !== undefined) throw new UsageError('--type goes with webhook test');
  const proxy = connect(io, token, flags);
  const state = await proxy.call<AdminWebhookState>(
    action ? 'POST' : 'GET',
    action ? '/admin/webhook/enable' : '/admin/webhook',
  );
  if (flags.json) return print(JSON.stringify(state));
  if (state.url === null) return print('no merchant webhook is configured');
  return print(
    state.disabledAt === null
      ? `${state.url}  enabled`
      : `${state.url}  disabled since ${isoTime(state.disabledAt)} (${state.reason ?? 'unknown'})`,
  );
}
