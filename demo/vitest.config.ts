import { defineConfig } from 'vitest/config';

// End-to-end tests: one stack (sandbox + proxy + Vite) for the whole run, started by the global
// setup exactly as `pnpm demo` starts it, and one headless Chromium per file. Files run one after
// another: they share the stack and the machine.
export default defineConfig({
  test: {
    include: ['test/**/*.e2e.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
