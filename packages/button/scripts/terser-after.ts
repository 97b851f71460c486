import { minify } from 'terser';
import type { Plugin } from 'vite';

// A second minifier over the first's output: the bundler's minifier (oxc) writes short code,
// terser's passes then fold what is left, and rename the elements' own reactive state (`_item`,
// `_busy`…, declared to Lit by name): Lit's own members all start with `_$`, so `^_[a-z]` only
// matches ours. Together 130 B gzip under either alone. The source map is carried through.
const OPTIONS = {
  ecma: 2020,
  compress: {
    passes: 3,
    keep_fargs: false,
    pure_getters: true,
    unsafe_arrows: true,
    unsafe_methods: true,
  },
  mangle: { properties: { regex: /^_[a-z]/ } },
  format: { comments: false },
} as const;

export function terserAfterPlugin(): Plugin {
  return {
    name: 'scanforpay:terser-after',
    apply: () => !process.env.NO_TERSER,
    async generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const mapAsset = bundle[`${chunk.fileName}.map`];
        const map = mapAsset?.type === 'asset' ? String(mapAsset.source) : undefined;
        const trailer = /\n\/\/# sourceMappingURL=.*$/.exec(chunk.code)?.[0] ?? '';
        const result = await minify(chunk.code.slice(0, chunk.code.length - trailer.length), {
          ...OPTIONS,
          module: chunk.code.startsWith('import') || /\bexport\b/.test(chunk.code.slice(-400)),
          sourceMap: map ? { content: map, filename: chunk.fileName } : false,
        });
        chunk.code = result.code! + trailer;
        if (map && mapAsset?.type === 'asset') mapAsset.source = String(result.map);
      }
    },
  };
}
