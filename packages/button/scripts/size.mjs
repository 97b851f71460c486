// The size budget, checked in `pnpm test`: the script-tag bundle (Lit inside) and the element
// code alone (Lit left out), both minified and gzipped. Needs a fresh `pnpm build`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = new URL('..', import.meta.url).pathname;
const BUNDLE_BUDGET = 10_000;
const ELEMENT_BUDGET = 4_000;

const bundlePath = join(root, 'dist/scanforpay-button.js');
const newestSource = (dir) =>
  Math.max(
    ...readdirSync(dir).map((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? newestSource(path) : statSync(path).mtimeMs;
    }),
  );
let bundleTime = 0;
try {
  bundleTime = statSync(bundlePath).mtimeMs;
} catch {
  // reported below
}
if (bundleTime < newestSource(join(root, 'src'))) {
  console.error('size: dist/scanforpay-button.js is missing or older than src/: run `pnpm build` first');
  process.exit(1);
}

const gzip = (code) => gzipSync(code, { level: 9 }).length;
const bundle = gzip(readFileSync(bundlePath));

const [output] = await build({
  root,
  configFile: join(root, 'vite.bundle.config.ts'),
  mode: 'element-size',
  logLevel: 'silent',
});
const element = gzip(output.output.map((chunk) => chunk.code ?? '').join(''));

const rows = [
  ['dist/scanforpay-button.js (script-tag bundle, Lit inside)', bundle, BUNDLE_BUDGET],
  ['element code alone (define.js graph, Lit excluded, minified)', element, ELEMENT_BUDGET],
];
let over = false;
for (const [what, bytes, budget] of rows) {
  const ok = bytes <= budget;
  over ||= !ok;
  console.log(`size: ${what}: ${bytes} B gzip (budget ${budget} B) ${ok ? 'ok' : 'OVER BUDGET'}`);
}
process.exit(over ? 1 : 0);
