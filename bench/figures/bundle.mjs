// Figure 4: bundle sizes of the button against the Lit runtime alone, built the same way
// (vite, minified, es2022, same format), raw / gzip (level 9) / brotli (quality 11).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';
import { ROOT } from '../lib/paths.mjs';
import { LIT_FLOOR_SOURCE } from '../../packages/button/scripts/lit-floor.mjs';

const BUTTON = path.join(ROOT, 'packages/button');
const DIST = path.join(BUTTON, 'dist');

/** @param {Buffer|string} content */
export function sizes(content) {
  const buf = Buffer.from(content);
  return {
    raw: buf.length,
    gzip: zlib.gzipSync(buf, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(buf, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
      },
    }).length,
  };
}

/** define.js and every file it imports inside dist/, concatenated (Lit stays external). */
function shippedEsm(entry) {
  const seen = new Set();
  const parts = [];
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    parts.push(text);
    for (const m of text.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
      visit(path.resolve(path.dirname(file), m[1]));
    }
  };
  visit(entry);
  return { text: parts.join('\n'), files: [...seen].map((f) => path.relative(BUTTON, f)) };
}

async function viteBuild({ entry, format, outDir, external, alias, likeScriptTag }) {
  await build({
    // The script tag's own pipeline (its minifiers and plugins, packages/button's
    // vite.bundle.config.ts) for the rows compared with it, so that the floor is built alike.
    configFile: likeScriptTag ? path.join(BUTTON, 'vite.bundle.config.ts') : false,
    logLevel: 'silent',
    root: outDir,
    resolve: { alias },
    build: {
      outDir,
      emptyOutDir: false,
      write: true,
      target: 'es2022',
      minify: true,
      sourcemap: false,
      lib: {
        entry,
        formats: [format],
        name: 'Bench',
        fileName: () => `out.${format}.js`,
      },
      // Vite's library mode keeps whitespace in ES output; minify it fully, as an app's bundler
      // would, so the ES rows compare minified with minified.
      rolldownOptions: {
        ...(external ? { external } : {}),
        ...(format === 'es' ? { output: { minify: true } } : {}),
      },
    },
  });
  return readFileSync(path.join(outDir, `out.${format}.js`));
}

export async function measureBundles() {
  const scriptTag = path.join(DIST, 'scanforpay-button.js');
  const define = path.join(DIST, 'define.js');
  if (!existsSync(scriptTag) || !existsSync(define)) {
    return {
      skipped: `the button is not built (${path.relative(ROOT, scriptTag)} or dist/define.js missing); run pnpm build`,
    };
  }
  const requireFromButton = createRequire(path.join(BUTTON, 'package.json'));
  const litEntry = requireFromButton.resolve('lit');
  const litVersion = JSON.parse(
    readFileSync(path.join(path.dirname(litEntry), 'package.json'), 'utf8'),
  ).version;
  const alias = [{ find: /^lit$/, replacement: litEntry }];

  const dir = mkdtempSync(path.join(tmpdir(), 'scanforpay-bundle-'));
  try {
    const floorEntry = path.join(dir, 'lit-floor.js');
    writeFileSync(floorEntry, LIT_FLOOR_SOURCE);
    const floorIife = await viteBuild({
      entry: floorEntry,
      format: 'iife',
      likeScriptTag: true,
      outDir: path.join(dir, 'iife'),
      alias,
    });
    const floorEsm = await viteBuild({
      entry: floorEntry,
      format: 'es',
      outDir: path.join(dir, 'es'),
      alias,
    });
    const elementMin = await viteBuild({
      entry: define,
      format: 'es',
      outDir: path.join(dir, 'define'),
      external: [/^lit(\/|$)/, /^@lit\//],
    });
    const shipped = shippedEsm(define);
    const rows = {
      floorIife: sizes(floorIife),
      scriptTag: sizes(readFileSync(scriptTag)),
      floorEsm: sizes(floorEsm),
      elementShipped: sizes(shipped.text),
      elementMin: sizes(elementMin),
    };
    const wire = await wireSizes(dir).catch((error) => ({
      skipped: `the proxy could not serve it: ${String(error?.message ?? error).split('\n')[0]}`,
    }));
    return { litVersion, shippedFiles: shipped.files, rows, wire };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a shopper downloads: `GET /scanforpay-button.js` from the proxy (its CLI, as built),
 * with the Accept-Encoding Chromium sends, gzip only, and none; bytes of the status line and
 * headers and of the body as they came off the socket.
 */
async function wireSizes(dir) {
  const { startProxy } = await import('./server.mjs');
  const proxy = await startProxy({
    gatewayUrl: 'http://127.0.0.1:9',
    databaseUrl: `file:${path.join(dir, 'wire.db')}`,
    dir,
    label: 'wire',
  });
  try {
    const get = (accept) =>
      new Promise((resolve, reject) => {
        const headers = accept ? { 'accept-encoding': accept } : {};
        const req = http.get(
          `${proxy.url}/scanforpay-button.js`,
          { headers, agent: false },
          (res) => {
            let body = 0;
            res.on('data', (chunk) => (body += chunk.length));
            res.on('end', () => {
              let head = `HTTP/1.1 ${res.statusCode} ${res.statusMessage}\r\n`.length + 2;
              for (let i = 0; i < res.rawHeaders.length; i += 2) {
                head += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`.length;
              }
              resolve({ encoding: res.headers['content-encoding'] ?? 'identity', head, body });
            });
            res.on('error', reject);
          },
        );
        req.on('error', reject);
      });
    return [
      { accept: 'gzip, deflate, br, zstd', ...(await get('gzip, deflate, br, zstd')) },
      { accept: 'gzip, deflate', ...(await get('gzip, deflate')) },
      { accept: '(none)', ...(await get(undefined)) },
    ];
  } finally {
    await proxy.proc.stop();
  }
}
