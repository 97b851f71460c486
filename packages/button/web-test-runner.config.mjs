import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/chromium.mjs';
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
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: CHROMIUM_ARGS,
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
