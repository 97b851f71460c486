import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type JsQr from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdminCli } from '../src/node/admin-cli/run-admin-cli.js';
import { nodeCompress } from '@scanforpay/server/node';
import { CATALOG } from './helpers/catalog.js';
import { createHarness, type Harness } from './helpers/harness.js';

// One proxy for the file, on a real socket (the CLI calls it), with a bundle of its own.
const SCRIPT = Array.from(
  { length: 50 },
  (_, i) => `customElements.define("x-${i}", class extends HTMLElement {});`,
).join('\n');
const INTEGRITY = `sha384-${createHash('sha384').update(SCRIPT).digest('base64')}`;
const IMAGE = 'https://images.shop.example/tee.png';
// jsQR is CommonJS with a `default` member in its types only.
const jsQR = createRequire(import.meta.url)('jsqr') as typeof JsQr.default;
let h: Harness;

beforeAll(async () => {
  h = await createHarness({
    noSandbox: true,
    proxy: {
      buttonScript: SCRIPT,
      buttonVersion: '9.8.7',
      compress: nodeCompress,
      merchantName: 'Harbour & Co',
      catalog: {
        items: [...CATALOG.items.slice(1), { ...CATALOG.items[0]!, image: IMAGE }],
      },
    },
  });
});
afterAll(() => h?.close());

const page = async (path: string, headers: Record<string, string> = {}) => {
  const response = await h.request(path, { headers });
  return { response, text: await response.text() };
};

/** Decodes the QR code in a PNG, as a phone's camera would. */
function decodePng(bytes: Uint8Array): string | undefined {
  const png = PNG.sync.read(Buffer.from(bytes));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

describe('GET /pay/:item', () => {
  it('renders the item with the pinned element, the form inside it and a strict CSP', async () => {
    const { response, text } = await page('/pay/tee-red?quantity=2&wallet=alipayhk&reference=A-1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
    const origin = h.proxyUrl;
    const csp = response.headers.get('content-security-policy')!;
    const style = /<style>([^<]*)<\/style>/.exec(text)![1]!;
    const styleHash = createHash('sha256').update(style).digest('base64');
    expect(csp).toBe(
      [
        "default-src 'none'",
        `script-src ${origin}`,
        `style-src 'sha256-${styleHash}'`,
        `img-src https://images.shop.example ${origin} data:`,
        `connect-src ${origin}`,
        `form-action ${origin} https://127.0.0.1:9 http://127.0.0.1:9`,
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    );
    expect(text).toContain('<title>Red tee · Harbour &amp; Co</title>');
    expect(text).toContain('Pay Harbour &amp; Co');
    expect(text).toMatch(/HK\$199\.00 × 2<\/p>\s*<p class="price">Total: HK\$398\.00<\/p>/);
    expect(text).toContain(`<img src="${IMAGE}" alt="" />`);
    expect(text).toMatch(
      new RegExp(
        `<script\\s+src="${origin}/v/9\\.8\\.7/scanforpay-button\\.js"\\s+integrity="${INTEGRITY.replace(/[+/]/g, '\\$&')}"\\s+crossorigin="anonymous"\\s+defer`,
      ),
    );
    const element = /<scanforpay-button([^>]*)>([\s\S]*)<\/scanforpay-button>/.exec(text)!;
    const attributes = element[1]!.replace(/\s+/g, ' ').trim();
    expect(attributes).toBe(
      `class="pay" item="tee-red" endpoint="${origin}" lang="en" quantity="2" wallet="AlipayHK" reference="A-1"`,
    );
    const form = element[2]!.replace(/\s+/g, ' ');
    expect(form).toContain(`<form method="post" action="${origin}/checkout">`);
    for (const field of ['name="item" value="tee-red"', 'name="quantity" value="2"']) {
      expect(form).toContain(`<input type="hidden" ${field} />`);
    }
    expect(form).toContain('name="reference" value="A-1"');
    // Only the wallet the link names.
    expect(form.match(/<button/g)).toHaveLength(1);
    expect(form).toContain('name="wallet" value="AlipayHK"> Pay with AlipayHK </button>');
  });

  it('speaks zh-HK and zh-CN, by ?lang= or Accept-Language', async () => {
    const hk = await page('/pay/tee-red?lang=zh-hk');
    expect(hk.text).toContain('<html lang="zh-HK">');
    expect(hk.text).toContain('使用支付寶香港付款');
    expect(hk.text).toContain('付款給');
    const cn = await page('/pay/tee-red', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' });
    expect(cn.text).toContain('<html lang="zh-CN">');
    expect(cn.text).toContain('使用支付宝香港付款');
    expect(cn.response.headers.get('vary')).toBe('Accept-Language');
    const tw = await page('/pay/tee-red', { 'accept-language': 'zh-TW' });
    expect(tw.text).toContain('<html lang="zh-HK">');
    expect((await page('/pay/tee-red?lang=fr')).text).toContain('<html lang="en">');
  });

  it('escapes everything it prints', async () => {
    const { response, text } = await page(
      `/pay/tee-red?reference=${encodeURIComponent('"><script>alert(1)</script>')}`,
    );
    expect(response.status).toBe(200);
    expect(text).not.toContain('<script>alert');
    expect(text).toContain('reference="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    const missing = await page(`/pay/${encodeURIComponent('<b>x')}`);
    expect(missing.response.status).toBe(404);
    expect(missing.text).not.toContain('<b>x');
  });

  it('asks for the amount of an open item within its bounds, then offers the button', async () => {
    const ask = await page('/pay/donation?lang=zh-HK');
    expect(ask.response.status).toBe(200);
    expect(ask.text).not.toContain('<scanforpay-button');
    expect(ask.text).not.toContain('<script');
    expect(ask.text).toContain('金額（HKD）');
    expect(ask.text).toContain('由 HK$10.00 至 HK$5,000.00。');

    const typed = await page('/pay/donation?price=25.5&quantity=1');
    expect(typed.response.status).toBe(200);
    expect(typed.text).toMatch(/amount="2550"/);
    expect(typed.text).toContain('<p class="price">HK$25.50</p>');
    expect(typed.text).toContain('<input type="hidden" name="amount" value="2550" />');
    expect((await page('/pay/donation?amount=2500')).text).toMatch(/amount="2500"/);

    for (const query of ['price=5', 'price=5.001', 'price=abc', 'amount=999999999']) {
      const refused = await page(`/pay/donation?${query}`);
      expect(refused.response.status, query).toBe(400);
      expect(refused.response.headers.get('cache-control')).toBe('no-store');
      expect(refused.text).toMatch(/role="alert">Enter an amount/);
      expect(refused.text).toContain('aria-invalid="true"');
    }
  });

  it('answers a page, never a stack trace, for links that cannot be paid', async () => {
    const cases: [string, number, string][] = [
      ['/pay/nothing-here', 404, 'There is no item &quot;nothing-here&quot;'],
      ['/pay/tee-red?quantity=0', 400, 'The quantity must be a whole number from 1 to 99.'],
      ['/pay/tee-red?quantity=100', 400, 'from 1 to 99'],
      ['/pay/mug?wallet=Alipay', 400, 'This item is paid with WeChat Pay.'],
      ['/pay/tee-red?reference=%E2%9C%93', 400, 'The reference must be 1 to 64 printable'],
    ];
    for (const [path, status, text] of cases) {
      const answer = await page(path);
      expect(answer.response.status, path).toBe(status);
      expect(answer.response.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(answer.text, path).toContain(text);
    }
  });
});

describe('payment links as QR codes', () => {
  it('GET /pay/:item.png and .svg encode the link, which the Link header names', async () => {
    const link = `${h.proxyUrl}/pay/donation?amount=5000&quantity=2&lang=zh-HK`;
    const png = await h.request('/pay/donation.png?lang=zh-hk&quantity=2&amount=5000');
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('link')).toBe(`<${link}>; rel="canonical"`);
    expect(decodePng(new Uint8Array(await png.arrayBuffer()))).toBe(link);

    const svg = await h.request('/pay/tee-red.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    const text = await svg.text();
    expect(text).toMatch(/^<svg role="img" [^>]*><title>Red tee<\/title>/);
    expect(svg.headers.get('link')).toBe(`<${h.proxyUrl}/pay/tee-red>; rel="canonical"`);
  });

  it('refuses what the page would refuse, as a problem', async () => {
    for (const path of ['/pay/donation.png?amount=1', '/pay/tee-red.svg?lang=fr']) {
      const response = await h.request(path);
      expect(response.status, path).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await h.request('/pay/nope.svg')).status).toBe(404);
  });

  it('scanforpay-proxy link prints the link and writes a QR that decodes to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanforpay-link-'));
    try {
      const out: string[] = [];
      const err: string[] = [];
      const io = {
        env: { PROXY_URL: h.proxyUrl },
        stdout: (text: string) => out.push(text),
        stderr: (text: string) => err.push(text),
      };
      const file = join(dir, 'qr.png');
      const code = await runAdminCli(['link', 'donation', '--amount', '50.00', '--out', file], io);
      expect(err.join('')).toBe(`QR code of the link written to ${file}\n`);
      expect(code).toBe(0);
      const link = `${h.proxyUrl}/pay/donation?amount=5000`;
      expect(out.join('')).toBe(`${link}\n`);
      expect(decodePng(readFileSync(file))).toBe(link);

      const svg = join(dir, 'qr.svg');
      expect(await runAdminCli(['link', 'tee-red', '--quantity', '3', '--out', svg], io)).toBe(0);
      expect(readFileSync(svg, 'utf8')).toMatch(/^<svg role="img"/);

      const refusals: [string[], number, string][] = [
        [['link'], 2, 'link: name the item'],
        [
          ['link', 'tee-red', '--out', 'qr.gif'],
          2,
          '--out "qr.gif": a file ending in .svg or .png',
        ],
        [['link', 'tee-red', '--amount', '5'], 2, 'has a fixed price'],
        [['link', 'donation', '--amount', '5.001'], 2, 'HKD has 2 decimal places'],
        [['link', 'donation', '--amount', '5'], 1, 'amount: Enter an amount from HK$10.00'],
        [['link', 'nope'], 1, 'there is no item "nope"'],
      ];
      for (const [args, status, message] of refusals) {
        err.length = 0;
        expect(await runAdminCli(args, io), args.join(' ')).toBe(status);
        expect(err.join(''), args.join(' ')).toContain(message);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the pinned script', () => {
  it('GET /v/<version>/scanforpay-button.js is immutable, with strong ETags per coding', async () => {
    const get = (path: string, headers: Record<string, string> = {}) =>
      h.request(path, { headers });
    const br = await get('/v/9.8.7/scanforpay-button.js', { 'accept-encoding': 'br, gzip' });
    expect(br.status).toBe(200);
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('etag')).toMatch(/^"[0-9a-f]{32}-br"$/);
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(SCRIPT);
    const gz = await get('/v/9.8.7/scanforpay-button.js', { 'accept-encoding': 'gzip' });
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).toString()).toBe(SCRIPT);
    const plain = await get('/v/9.8.7/scanforpay-button.js');
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const bytes = Buffer.from(await plain.arrayBuffer());
    expect(`sha384-${createHash('sha384').update(bytes).digest('base64')}`).toBe(INTEGRITY);
    expect((await get('/v/9.8.7/scanforpay-button.js', { 'if-none-match': etag })).status).toBe(
      304,
    );
    // The unversioned URL is an alias with a short cache.
    const alias = await get('/scanforpay-button.js');
    expect(alias.headers.get('cache-control')).toBe('public, max-age=300');
    expect(alias.headers.get('etag')).toBe(etag);
    const other = await get('/v/9.8.6/scanforpay-button.js');
    expect(other.status).toBe(404);
    expect(((await other.json()) as { detail: string }).detail).toBe(
      'this proxy serves version 9.8.7 of the button, not 9.8.6',
    );
  });

  it('GET /scanforpay-button.json publishes the URL and its sha384 integrity', async () => {
    const response = await h.request('/scanforpay-button.json');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.json()).toEqual({
      name: '@scanforpay/button',
      version: '9.8.7',
      url: `${h.proxyUrl}/v/9.8.7/scanforpay-button.js`,
      integrity: INTEGRITY,
      bytes: SCRIPT.length,
    });
  });

  it('the READMEs show the integrity and version of the built bundle', () => {
    const require = createRequire(import.meta.url);
    const manifest = JSON.parse(
      readFileSync(require.resolve('@scanforpay/button/scanforpay-button.json'), 'utf8'),
    ) as { version: string; integrity: string };
    const root = new URL('../../../', import.meta.url);
    for (const file of ['README.md', 'packages/button/README.md', 'packages/server/README.md']) {
      const text = readFileSync(new URL(file, root), 'utf8');
      const shown = [...text.matchAll(/sha384-[A-Za-z0-9+/]{64}/g)].map((m) => m[0]);
      const versions = [...text.matchAll(/\/v\/([0-9][^/]*)\//g)].map((m) => m[1]);
      expect(shown.length, `${file}: no integrity shown`).toBeGreaterThan(0);
      expect(
        new Set([...shown, ...versions]),
        `${file} is stale: run pnpm --filter @scanforpay/button integrity`,
      ).toEqual(new Set([manifest.integrity, manifest.version]));
    }
  });
});
