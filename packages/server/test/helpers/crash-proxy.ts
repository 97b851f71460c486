/**
 * A proxy child process for crash tests, configured by `CRASH_PROXY` (JSON, see
 * `CrashProxyConfig`). With a `faultStep` it prints `CRASH_AT <step>` when that step is reached
 * (the `faultAt`-th time) and holds there for good, so the test can SIGKILL it exactly there.
 * Bundled by `crash-process.ts`; not imported by tests.
 */
import type { FaultStep } from '../../src/fault-hook.js';
import { startProxy } from '../../src/node/start-proxy.js';
import { CRASH_MARKER, type CrashProxyConfig } from './crash-process.js';

const config = JSON.parse(process.env.CRASH_PROXY ?? '') as CrashProxyConfig;
const offsetMs = config.clockOffsetMs ?? 0;
let seen = 0;

function holdAt(step: FaultStep): Promise<void> | undefined {
  if (step !== config.faultStep || ++seen !== (config.faultAt ?? 1)) return undefined;
  process.stdout.write(`${CRASH_MARKER} ${step}\n`);
  return new Promise<never>(() => {});
}

const proxy = await startProxy({
  credentials: config.credentials,
  gatewayUrl: config.gatewayUrl,
  publicUrl: `http://127.0.0.1:${config.port}`,
  resultUrl: 'https://shop.example/thanks',
  host: '127.0.0.1',
  port: config.port,
  catalog: config.catalog,
  ...(config.postgresUrl
    ? { postgresUrl: config.postgresUrl }
    : { databasePath: config.databasePath ?? '' }),
  webhook: config.webhook,
  adminToken: config.adminToken,
  rateLimit: 0,
  clock: () => Date.now() + offsetMs,
  backgroundIntervalMs: 100,
  ...(config.reconcileAfterMs !== undefined ? { reconcileAfterMs: config.reconcileAfterMs } : {}),
  ...(config.faultStep ? { faultHook: holdAt } : {}),
  log: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${JSON.stringify({ msg: 'listening', url: proxy.url })}\n`);
process.once('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
