import { createWebhookSecret } from '../../events/deliver-webhook.js';
import { CliError, UsageError } from './cli-errors.js';
import type { CommandContext } from './command-context.js';
import { eventsCommand } from './events-command.js';
import { linkCommand } from './link-command.js';
import { orderCommand } from './order-command.js';
import { ordersCommand } from './orders-command.js';
import { parseFlags } from './parse-flags.js';
import type { AdminCliIo } from './proxy-connection.js';
import { refundCommand } from './refund-command.js';
import { triggerCommand } from './trigger-command.js';
import { ADMIN_USAGE } from './usage.js';
import { webhookCommand } from './webhook-command.js';

export type { AdminCliIo } from './proxy-connection.js';

const PREFIX = 'scanforpay-proxy: ';

/**
 * Runs one admin subcommand (`orders`, `order`, `refund`, `webhook`, `webhook-secret`, `events`,
 * `trigger`, `link`, `help`)
 * and resolves to the process exit code: 0 done, 1 failed, 2 bad arguments. Errors are one
 * line on stderr, `scanforpay-proxy: …`, and never contain the token.
 */
export async function runAdminCli(args: readonly string[], io: AdminCliIo): Promise<number> {
  const token = io.env.ADMIN_TOKEN?.trim() || undefined;
  const fail = (message: string) => {
    const line = message.replace(/\s*\n\s*/g, ' ');
    io.stderr(`${PREFIX}${token ? line.replaceAll(token, '[redacted]') : line}\n`);
  };
  try {
    await dispatch(args, { io, token, print: (line) => io.stdout(`${line}\n`) });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      fail(`${error.message} (see scanforpay-proxy --help)`);
      return 2;
    }
    if (error instanceof CliError) {
      fail(error.message);
      return 1;
    }
    fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function dispatch(args: readonly string[], ctx: CommandContext): Promise<void> {
  const [command, ...rest] = args;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    ctx.io.stdout(ADMIN_USAGE);
    return;
  }
  switch (command) {
    case 'webhook-secret': {
      const { flags } = parseFlags(rest, { help: 'boolean' }, 0);
      if (flags.help) return ctx.io.stdout(ADMIN_USAGE);
      return ctx.print(createWebhookSecret());
    }
    case 'orders':
      return ordersCommand(rest, ctx);
    case 'order':
      return orderCommand(rest, ctx);
    case 'refund':
      return refundCommand(rest, ctx);
    case 'webhook':
      return webhookCommand(rest, ctx);
    case 'events':
      return eventsCommand(rest, ctx);
    case 'trigger':
      return triggerCommand(rest, ctx);
    case 'link':
      return linkCommand(rest, ctx);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
