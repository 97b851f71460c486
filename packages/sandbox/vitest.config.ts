import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests import the public name; run them against the sources.
    // test/cli.test.ts checks the built package and its bin.
    alias: [
      {
        find: /^@scanforpay\/sandbox$/,
        replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 15_000,
    hookTimeout: 60_000,
  },
});
