import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

/**
 * The tests that take their store from `STORE_ENGINE`: the store contract and the proxy's money
 * paths on every engine; the abuse and failure-path suites on SQLite and Postgres only (they
 * exercise the proxy's rules, which sit above the store; D1 gets its store semantics from the
 * contract suite and the model test).
 */
const D1_TESTS = [
  'test/contract/**/*.test.ts',
  'test/orders.test.ts',
  'test/notify.test.ts',
  'test/return.test.ts',
  'test/order-state.model.test.ts',
];
const ENGINE_TESTS = [
  'test/contract/**/*.test.ts',
  'test/orders.test.ts',
  'test/notify.test.ts',
  'test/notify-flood.test.ts',
  'test/return.test.ts',
  'test/admin.test.ts',
  'test/reconcile.test.ts',
  'test/create-hardening.test.ts',
  'test/expiry.test.ts',
  'test/order-state.model.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests import the package by its public names; run them against the sources.
    // test/package.test.ts checks the built `exports` map separately.
    alias: [
      { find: /^@scanforpay\/server\/node$/, replacement: src('node.ts') },
      { find: /^@scanforpay\/server\/store$/, replacement: src('store.ts') },
      { find: /^@scanforpay\/server\/webhook$/, replacement: src('webhook.ts') },
      { find: /^@scanforpay\/server\/workers$/, replacement: src('workers.ts') },
      { find: /^@scanforpay\/server$/, replacement: src('index.ts') },
    ],
  },
  test: {
    setupFiles: ['test/helpers/no-secrets.setup.ts'],
    testTimeout: 15_000,
    // Vitest's default (one worker fewer than the cores) is a single worker on a 2-core CI
    // machine, where most of a test file's time is spent waiting on its servers and engines: two
    // workers take the suite from ~500 s to ~390 s there.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    hookTimeout: 30_000,
    // The store contract and the proxy's behaviour tests run once per engine, unchanged:
    // SQLite (with every other test), Postgres (a throwaway cluster) and D1 (miniflare).
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts'],
          exclude: ['test/postgres-*.test.ts'],
          env: { STORE_ENGINE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...ENGINE_TESTS, 'test/postgres-*.test.ts', 'test/crash-matrix.test.ts'],
          env: { STORE_ENGINE: 'postgres' },
          globalSetup: ['test/helpers/postgres.global.ts'],
        },
      },
      { extends: true, test: { name: 'd1', include: D1_TESTS, env: { STORE_ENGINE: 'd1' } } },
    ],
  },
});
