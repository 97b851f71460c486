import { defineConfig } from 'vite';
import { minifyLiteralsPlugin } from './scripts/minify-literals.js';
import { shortLitErrorsPlugin } from './scripts/short-lit-errors.js';
import { terserAfterPlugin } from './scripts/terser-after.js';

const LIT = [/^lit(\/|$)/, /^@lit\//];

// The script-tag bundle: one classic (IIFE) file with Lit inside, so it runs both as
// `<script src>` and as `<script type="module" src>`. In mode `element-size` it builds the
// element code alone, minified with Lit left out, in memory, for the size budget.
export default defineConfig(({ mode }) => {
  const elementOnly = mode === 'element-size';
  return {
    plugins: [minifyLiteralsPlugin(), shortLitErrorsPlugin(), terserAfterPlugin()],
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      minify: true,
      sourcemap: elementOnly ? false : 'hidden',
      write: !elementOnly,
      lib: elementOnly
        ? { entry: 'src/define.ts', formats: ['es'] }
        : {
            entry: 'src/bundle.ts',
            formats: ['iife'],
            name: 'ScanForPay',
            fileName: () => 'scanforpay-button.js',
          },
      rolldownOptions: elementOnly ? { external: LIT, output: { minify: true } } : {},
    },
  };
});
