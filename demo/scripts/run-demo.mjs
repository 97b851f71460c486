#!/usr/bin/env node
// `pnpm demo`: the local ScanForPay sandbox, the signing proxy and the storefront together.
// Ctrl-C stops all three. Build first (`pnpm build`); this script builds nothing.
import { DEFAULT_PORTS, SANDBOX_CREDENTIALS, StackError, startStack } from './stack.mjs';

/** @param {string} variable @param {number} fallback */
function port(variable, fallback) {
  const value = process.env[variable];
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) fail(`${variable} must be a port number, got "${value}"`);
  return Number(value);
}

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`demo: ${message}`);
  process.exit(1);
}

const bold = (/** @type {string} */ s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

/** @type {import('./stack.mjs').Stack} */
let stack;
try {
  stack = await startStack({
    demoPort: port('DEMO_PORT', DEFAULT_PORTS.demoPort),
    proxyPort: port('PROXY_PORT', DEFAULT_PORTS.proxyPort),
    sandboxPort: port('SANDBOX_PORT', DEFAULT_PORTS.sandboxPort),
    ...(process.env.DEMO_DATA_DIR ? { dataDir: process.env.DEMO_DATA_DIR } : {}),
  });
} catch (error) {
  fail(error instanceof StackError ? error.message : String(error));
}

const { urls } = stack;
console.log(`
${bold('ScanForPay demo is running')}

  Storefront  ${bold(urls.storefront)}        open this, pick something, pay in the sandbox
  Proxy       ${urls.proxy}        the signing proxy (database ${stack.databaseUrl})
  Sandbox     ${urls.sandbox}        the local ScanForPay

  Sandbox credentials: partnerNo ${SANDBOX_CREDENTIALS.partnerNo}, storeNo ${SANDBOX_CREDENTIALS.storeNo}, signKey ${SANDBOX_CREDENTIALS.signKey}
  (public test values of the local sandbox, not real keys)

Press Ctrl-C to stop.
`);

let stopping = false;
/** @param {NodeJS.Signals} signal */
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping storefront, proxy and sandbox…`);
  await stack.stop();
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

const died = await stack.exited;
// On Ctrl-C in a terminal the children get SIGINT too and may exit before our own handler runs.
await new Promise((done) => setTimeout(done, 500));
if (!stopping) {
  stopping = true;
  console.error(
    `demo: ${died.name} stopped unexpectedly (${died.signal ?? `exit code ${died.code}`}); stopping the others`,
  );
  await stack.stop();
  process.exit(1);
}
