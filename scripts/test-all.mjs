#!/usr/bin/env node
// Runs every workspace package's tests and fails when a package has no test script or no test
// files: a package without tests is a defect, not a pass.
//
// The server's suite is the long pole (about seven minutes on two cores); the other packages,
// the demo's end-to-end suite last, run beside it one at a time, each one's output held and
// printed whole when it ends.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dirs = [
  ...readdirSync(join(root, 'packages')).map((d) => join(root, 'packages', d)),
  join(root, 'demo'),
].filter((d) => existsSync(join(d, 'package.json')));

const TEST_FILE = /\.(test|spec|e2e)\.(ts|js|mjs)$/;
function hasTestFiles(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory() ? hasTestFiles(path) : TEST_FILE.test(name)) return true;
  }
  return false;
}

const only = process.argv.slice(2);
const failures = [];
let passed = 0;
const packages = [];
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (only.length > 0 && !only.includes(pkg.name)) continue;
  const where = relative(root, dir);
  if (!pkg.scripts?.test) failures.push(`${pkg.name} (${where}) has no "test" script`);
  else if (!hasTestFiles(dir)) failures.push(`${pkg.name} (${where}) has no test files`);
  else packages.push({ name: pkg.name, dir });
}

/** Runs one package's `pnpm run test`; `hold` keeps its output until it ends. */
function runTests({ name, dir }, hold) {
  const started = Date.now();
  console.log(`\n=== ${name}: pnpm test${hold ? ' (output when it ends)' : ''} ===`);
  const child = spawn('pnpm', ['run', 'test'], {
    cwd: dir,
    stdio: hold ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  const held = [];
  child.stdout?.on('data', (chunk) => held.push(chunk));
  child.stderr?.on('data', (chunk) => held.push(chunk));
  return new Promise((done) => {
    child.on('close', (code, signal) => {
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      if (hold) {
        console.log(`\n=== ${name}: its output ===`);
        process.stdout.write(Buffer.concat(held));
      }
      if (code === 0) {
        passed += 1;
        console.log(`=== ${name}: passed in ${secs}s ===`);
      } else {
        failures.push(`${name}: tests failed (exit ${code ?? signal}) after ${secs}s`);
        console.log(`=== ${name}: FAILED after ${secs}s ===`);
      }
      done();
    });
  });
}

const server = packages.find((p) => p.name === '@scanforpay/server');
const others = packages.filter((p) => p !== server);
await Promise.all([
  server && runTests(server, others.length > 0),
  (async () => {
    for (const p of others) await runTests(p, Boolean(server));
  })(),
]);

console.log('\nPackage test summary:');
for (const f of failures) console.log(`  FAIL ${f}`);
console.log(`Packages: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
