import type { Plugin } from 'vite';

// Lit's two long developer errors, shortened in the script-tag bundle (as React's production
// build swaps its error messages for codes). They fire only on misuse of Lit's `css` API (a
// CSSResult built by hand, a non-literal value in css``), which the bundle's own fixed code never
// does; together they cost every shopper about 100 B gzip. The ESM build keeps Lit untouched.
const SHORTER: ReadonlyArray<[string, string]> = [
  ['"CSSResult is not constructable. Use `unsafeCSS` or `css` instead."', '"lit: css"'],
  [
    `"Value passed to 'css' function must be a 'css' function result: "+t+". Use 'unsafeCSS' to pass non-literal values, but take care to ensure page security."`,
    '"lit: css "+t',
  ],
];

export function shortLitErrorsPlugin(): Plugin {
  return {
    name: 'scanforpay:short-lit-errors',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]@lit[\\/]reactive-element[\\/].*css-tag\.js$/.test(id)) return null;
      let out = code;
      for (const [long, short] of SHORTER) {
        // A Lit upgrade that rewords them fails the build here instead of silently not shortening.
        if (!out.includes(long)) this.error(`short-lit-errors: not found in ${id}: ${long}`);
        out = out.replace(long, short);
      }
      return { code: out, map: null };
    },
  };
}
