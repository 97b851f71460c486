#!/usr/bin/env node
// Installs the packages as a merchant would before they are on a registry: `pnpm pack` each one
// into tarballs, then a scratch app outside the workspace that depends on the tarballs only.
//   node scripts/scratch-install.mjs [dir]     (default: a new temporary directory)
// Prints the app's directory. The packages must be built (`pnpm build`).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The packages a merchant installs, in the order they are packed. */
export const PACKAGES = ['protocol', 'button', 'server', 'sandbox'];

/**
 * `pnpm.overrides` that pin `root`'s whole dependency subtree, edge by edge
 * (`parent>child`), to the versions in the workspace's lockfile. pnpm's build cache is keyed by
 * that subtree, so the scratch app reuses the native SQLite module the workspace built instead
 * of compiling it again (about a minute).
 * @param {string} root e.g. `better-sqlite3@12.11.1`
 * @returns {Record<string, string>}
 */
export function lockedSubtreePins(root) {
  const text = readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8');
  /** @type {Map<string, [string, string][]>} */
  const deps = new Map();
  let current = '';
  let inDeps = false;
  for (const line of text.slice(text.indexOf('\nsnapshots:')).split('\n')) {
    const entry = /^ {2}'?([^\s'][^']*?)'?:\s*$/.exec(line);
    if (entry) {
      current = entry[1].replace(/\(.*$/, '');
      deps.set(current, []);
      inDeps = false;
    } else if (/^ {4}(dependencies|optionalDependencies):\s*$/.test(line)) {
      inDeps = true;
    } else if (/^ {4}\S/.test(line)) {
      inDeps = false;
    } else {
      const dep = /^ {6}'?([^\s':]+)'?: '?([^\s'(]+)/.exec(line);
      if (dep && inDeps) deps.get(current)?.push([dep[1], dep[2]]);
    }
  }
  /** @type {Record<string, string>} */
  const pins = {};
  const seen = new Set();
  const queue = [root];
  while (queue.length > 0) {
    const key = /** @type {string} */ (queue.shift());
    if (seen.has(key)) continue;
    seen.add(key);
    const name = key.slice(0, key.lastIndexOf('@'));
    for (const [child, version] of deps.get(key) ?? []) {
      pins[`${name}>${child}`] = version;
      queue.push(`${child}@${version}`);
    }
  }
  if (!deps.has(root)) throw new Error(`${root} is not in pnpm-lock.yaml`);
  return pins;
}

/** @param {string} command @param {string[]} args @param {string} cwd */
function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed: ${result.error?.message ?? `exit ${result.status}`}\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

/** The version installed in the workspace at `dir` (a node_modules path from the root). @param {string} dir */
function installedVersion(dir) {
  const file = join(ROOT, dir, 'package.json');
  return /** @type {{ version: string }} */ (JSON.parse(readFileSync(file, 'utf8'))).version;
}

/**
 * Packs the packages into `dir/tarballs` and installs them into `dir/app`, a project outside the
 * workspace with Vite and TypeScript beside them. Returns the app's directory.
 * @param {string} dir
 */
export function scratchInstall(dir) {
  const tarballs = join(dir, 'tarballs');
  const app = join(dir, 'app');
  mkdirSync(tarballs, { recursive: true });
  mkdirSync(app, { recursive: true });
  for (const name of PACKAGES) {
    run('pnpm', ['pack', '--pack-destination', tarballs], join(ROOT, 'packages', name));
  }
  /** @type {Record<string, string>} */
  const files = {};
  for (const file of readdirSync(tarballs)) {
    const match = /^scanforpay-([a-z]+)-.*\.tgz$/.exec(file);
    if (match) files[`@scanforpay/${match[1]}`] = `file:${join(tarballs, file)}`;
  }
  const sqlite = `better-sqlite3@${installedVersion('packages/server/node_modules/better-sqlite3')}`;
  const manifest = {
    name: 'scratch-shop',
    private: true,
    type: 'module',
    dependencies: files,
    devDependencies: {
      typescript: installedVersion('node_modules/typescript'),
      vite: installedVersion('node_modules/vite'),
    },
    pnpm: {
      onlyBuiltDependencies: ['better-sqlite3', 'esbuild'],
      // The packages depend on each other by version; these are not on a registry yet.
      overrides: { ...files, ...lockedSubtreePins(sqlite) },
    },
  };
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('pnpm', ['install', '--prefer-offline', '--reporter=append-only'], app);
  return app;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2]
    ? resolve(process.argv[2])
    : mkdtempSync(join(tmpdir(), 'scanforpay-scratch-'));
  console.log(scratchInstall(dir));
}
