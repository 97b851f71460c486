import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { fakeProxy, pageHeaders } from './test/fake-proxy.mjs';

export default {
  rootDir: '.',
  files: ['test/**/*.test.ts'],
  nodeResolve: true,
  hostname: '127.0.0.1',
  // One page at a time: hidden pages get no animation frames (open-wc's fixture waits for one)
  // and no keyboard focus, which the keyboard-only tests need.
  concurrency: 1,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  // The tsconfig sets experimentalDecorators / useDefineForClassFields: false like the build.
  plugins: [
    esbuildPlugin({
      ts: true,
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)),
    }),
  ],
  middleware: [pageHeaders, fakeProxy],
  testFramework: { config: { timeout: 5000 } },
};
