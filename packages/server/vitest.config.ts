import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by its public names; run them against the sources.
    // test/package.test.ts checks the built `exports` map separately.
    alias: [
      { find: /^@scanforpay\/server\/node$/, replacement: src('node.ts') },
      { find: /^@scanforpay\/server$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/helpers/no-secrets.setup.ts'],
    testTimeout: 15_000,
    hookTimeout: 30_000,
  },
});
