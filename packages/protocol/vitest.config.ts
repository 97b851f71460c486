import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (file: string) => fileURLToPath(new URL(`./src/${file}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the public names; run them against the sources for coverage.
    // test/exports.test.ts checks the built package through its real exports map.
    alias: [
      { find: /^@scanforpay\/protocol\/node$/, replacement: src('node.ts') },
      { find: /^@scanforpay\/protocol$/, replacement: src('index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95 },
    },
  },
});
