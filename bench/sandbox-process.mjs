// Runs the real sandbox (`startSandbox` from @scanforpay/sandbox) in its own process for the
// bench. env: PORT (0 = any). Prints `listening <port>` when ready.
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { ROOT } from './lib/paths.mjs';

const { startSandbox } = await import(
  pathToFileURL(path.join(ROOT, 'packages/sandbox/dist/index.js')).href
);
const sandbox = await startSandbox({
  port: Number(process.env.PORT ?? 0),
  host: '127.0.0.1',
  control: true,
});
console.log(`listening ${sandbox.port}`);
process.on('SIGTERM', () => {
  Promise.resolve(sandbox.close()).finally(() => process.exit(0));
});
