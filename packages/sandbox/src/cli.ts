#!/usr/bin/env node
import { CliEnvError, readCliEnv } from './read-cli-env.js';
import { startSandbox, type RunningSandbox } from './start-sandbox.js';

const NAME = 'scanforpay-sandbox';

async function main(): Promise<void> {
  let options;
  try {
    options = readCliEnv(process.env);
  } catch (error) {
    if (error instanceof CliEnvError) return fail(error.message);
    throw error;
  }
  let running: RunningSandbox;
  try {
    running = await startSandbox(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') return fail(`port ${options.port} is already in use; set PORT`);
    if (code === 'EACCES') return fail(`no permission to listen on port ${options.port}; set PORT`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      return fail(`cannot listen on host ${options.host}; set HOST`);
    }
    if (error instanceof TypeError) return fail(error.message);
    throw error;
  }
  const partner = running.sandbox.defaultPartner;
  const base = running.sandbox.publicUrl ?? running.url;
  console.log(`${NAME} listening on ${running.url}`);
  console.log(`  public URL  ${base}`);
  console.log(
    `  gateway     ${running.url}/api/online/create (also /api/offline/qrcode, /api/common/payQuery, /api/common/refund)`,
  );
  console.log(`  control     ${running.url}/__sandbox/`);
  console.log(`  partnerNo   ${partner.partnerNo}`);
  console.log(`  storeNo     ${partner.storeNo}`);
  console.log(`  signKey     ${partner.signKey}`);
  console.log(`  currencies  ${partner.currencies.join(', ')}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void running.close().then(() => {
      console.log(`${NAME} stopped (${signal})`);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function fail(message: string): void {
  console.error(`${NAME}: ${message}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`${NAME}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
