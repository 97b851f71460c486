import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/** The proxy URL written in the pages; replaced when the proxy runs on another port. */
const DEFAULT_PROXY_URL = 'http://localhost:8787';

/** The header `csp.html` is served with: no inline script or style anywhere on the page. */
export const STRICT_CSP = "script-src 'self'; style-src 'self'";

const page = (name: string) => fileURLToPath(new URL(name, import.meta.url));

type Next = (error?: unknown) => void;

/**
 * Points every page at the proxy that actually runs (`PROXY_PORT`), serves the static no-code page
 * with the same substitution, and sends `csp.html` with a strict Content-Security-Policy header.
 */
function storefront(proxyUrl: string): Plugin {
  const withProxy = (html: string) => html.replaceAll(DEFAULT_PROXY_URL, proxyUrl);
  const middleware = async (req: IncomingMessage, res: ServerResponse, next: Next) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/csp.html' || path === '/csp') {
      res.setHeader('Content-Security-Policy', STRICT_CSP);
    }
    if (path !== '/no-code.html' && path !== '/no-code') return next();
    try {
      const html = await readFile(page('public/no-code.html'), 'utf8');
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(withProxy(html));
    } catch (error) {
      next(error);
    }
  };
  let outDir = page('dist');
  return {
    name: 'scanforpay-storefront',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    transformIndexHtml: withProxy,
    configureServer(server) {
      server.middlewares.use((req, res, next) => void middleware(req, res, next));
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => void middleware(req, res, next));
    },
    async writeBundle() {
      const file = `${outDir}/no-code.html`;
      await writeFile(file, withProxy(await readFile(file, 'utf8')));
    },
  };
}

export default defineConfig(() => {
  const proxyPort = Number(process.env.PROXY_PORT ?? 8787);
  const demoPort = Number(process.env.DEMO_PORT ?? 5173);
  return {
    root: page('.'),
    plugins: [storefront(`http://localhost:${proxyPort}`)],
    server: { host: '127.0.0.1', port: demoPort, strictPort: true },
    preview: { host: '127.0.0.1', port: demoPort, strictPort: true },
    optimizeDeps: {
      // Discovering these on the first page load would make Vite reload the page mid-test.
      include: ['@scanforpay/button > lit', '@scanforpay/button > lit/decorators.js'],
    },
    build: {
      target: 'es2022',
      rolldownOptions: {
        input: {
          index: page('index.html'),
          result: page('result.html'),
          'no-js': page('no-js.html'),
          csp: page('csp.html'),
        },
      },
    },
  };
});
