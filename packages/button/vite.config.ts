import { defineConfig } from 'vite';
import { minifyLiteralsPlugin } from './scripts/minify-literals.js';

// The ESM build for bundlers: three entries sharing chunks; only define.js registers elements
// (the one file `sideEffects` names). Lit, @lit/react and React stay external.
export default defineConfig({
  plugins: [minifyLiteralsPlugin()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', define: 'src/define.ts', react: 'src/react.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^lit(\/|$)/, /^@lit\//, /^react(\/|$)/],
      output: { chunkFileNames: 'chunks/[name]-[hash].js' },
    },
  },
});
