#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { ConfigError } from './config/parse-env.js';

/**
 * `scanforpay-proxy`: with no arguments, configuration from the environment (and `./.env`),
 * then listen; with a command (`orders`, `order`, `refund`, `webhook`, `webhook-secret`,
 * `events`, `trigger`, `link`, `--help`), the admin CLI, which talks to a running proxy.
 */
async function main(args: readonly string[]): Promise<number> {
  if (args.length === 0) {
    loadDotEnv();
    await serve();
    return 0;
  }
  try {
    loadDotEnv();
  } catch (error) {
    process.stderr.write(`scanforpay-proxy: ${(error as Error).message}\n`);
    return 1;
  }
  const { runAdminCli } = await import('./node/admin-cli/run-admin-cli.js');
  return runAdminCli(args, {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}

/** `./.env`, when present; variables already in the environment win. */
function loadDotEnv(): void {
  if (!existsSync('.env')) return;
  try {
    process.loadEnvFile('.env');
  } catch (error) {
    throw new ConfigError('.env', (error as Error).message);
  }
}

async function serve(): Promise<void> {
  const { loadConfig } = await import('./node/load-config.js');
  const { startProxy } = await import('./node/start-proxy.js');
  const config = loadConfig(process.env);
  const proxy = await startProxy(config);
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'listening',
      url: proxy.url,
      publicUrl: config.publicUrl,
      ...(proxy.metricsUrl ? { metricsUrl: proxy.metricsUrl } : {}),
    }),
  );
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    proxy.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof ConfigError ? error.message : `could not start: ${(error as Error).message}`;
    process.stderr.write(`scanforpay-proxy: ${message}\n`);
    process.exit(1);
  },
);
