#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { ConfigError, loadConfig } from './node/load-config.js';
import { startProxy } from './node/start-proxy.js';

/** `scanforpay-proxy`: configuration from the environment (and `./.env`), then listen. */
async function main(): Promise<void> {
  if (existsSync('.env')) {
    try {
      process.loadEnvFile('.env');
    } catch (error) {
      throw new ConfigError('.env', (error as Error).message);
    }
  }
  const config = loadConfig(process.env);
  const proxy = await startProxy(config);
  console.log(
    JSON.stringify({
      time: new Date().toISOString(),
      level: 'info',
      msg: 'listening',
      url: proxy.url,
      publicUrl: config.publicUrl,
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

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError ? error.message : `could not start: ${(error as Error).message}`;
  process.stderr.write(`scanforpay-proxy: ${message}\n`);
  process.exit(1);
});
