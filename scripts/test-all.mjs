#!/usr/bin/env node
// Runs every workspace package's tests, one package at a time, and fails when a package
// has no test script or no test files: a package without tests is a defect, not a pass.
import { spawnSync } from 'node:child_process';
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
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (only.length > 0 && !only.includes(pkg.name)) continue;
  const where = relative(root, dir);
  if (!pkg.scripts?.test) {
    failures.push(`${pkg.name} (${where}) has no "test" script`);
    continue;
  }
  if (!hasTestFiles(dir)) {
    failures.push(`${pkg.name} (${where}) has no test files`);
    continue;
  }
  console.log(`\n=== ${pkg.name}: pnpm test ===`);
  const started = Date.now();
  const run = spawnSync('pnpm', ['run', 'test'], { cwd: dir, stdio: 'inherit' });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status === 0) {
    passed += 1;
    console.log(`=== ${pkg.name}: passed in ${secs}s ===`);
  } else {
    failures.push(`${pkg.name}: tests failed (exit ${run.status ?? run.signal}) after ${secs}s`);
  }
}

console.log('\nPackage test summary:');
for (const f of failures) console.log(`  FAIL ${f}`);
console.log(`Packages: ${passed} passed, ${failures.length} failed`);
process.exit(failures.length === 0 ? 0 : 1);
