#!/usr/bin/env node
// Checks every publishable package as a registry would see it: publint (package.json, exports,
// files) and Are the Types Wrong (types per entry point, ESM-only). Run by `pnpm lint`; the
// packages must be built.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGES } from './scratch-install.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const failures = [];
const tarballs = mkdtempSync(join(tmpdir(), 'scanforpay-check-'));
for (const name of PACKAGES) {
  const cwd = join(ROOT, 'packages', name);
  // One pack per package: publint reads the files pnpm would pack, attw reads the tarball.
  spawnSync('pnpm', ['pack', '--pack-destination', join(tarballs, name)], { cwd });
  const [tarball] = readdirSync(join(tarballs, name));
  for (const [tool, args] of [
    ['publint', ['--strict', '--pack', 'false']],
    [
      'attw',
      [
        join(tarballs, name, tarball ?? 'missing.tgz'),
        '--profile',
        'esm-only',
        '--format',
        'table-flipped',
      ],
    ],
  ]) {
    const result = spawnSync(join(ROOT, 'node_modules/.bin', tool), args, {
      cwd,
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      failures.push(`@scanforpay/${name}: ${tool} failed\n${result.stdout}${result.stderr}`);
    }
  }
}
rmSync(tarballs, { recursive: true, force: true });
for (const failure of failures) console.error(failure);
console.log(
  failures.length === 0
    ? `check-packages: ${PACKAGES.length} packages clean (publint --strict, attw esm-only)`
    : `check-packages: ${failures.length} problem(s)`,
);
process.exit(failures.length === 0 ? 0 : 1);
