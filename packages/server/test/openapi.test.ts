import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PARTNER } from '@scanforpay/sandbox';
import { openApiDocument, OPERATIONS } from '../src/contract/openapi-document.js';
import { openApiPath } from '../src/contract/operation.js';
import { EXAMPLES, type ExampleContext } from './helpers/api-examples.js';
import { createHarness, eventually, type Harness } from './helpers/harness.js';
import { TOKEN_SECRET } from './helpers/traffic.js';

const ADMIN_TOKEN = 'contract-admin-token-0123456789abcdef';
const BUTTON_VERSION = '9.8.7';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let h: Harness;
let doc: Json;
let x: ExampleContext;

beforeAll(async () => {
  h = await createHarness({
    proxy: {
      adminToken: ADMIN_TOKEN,
      buttonScript: 'customElements.get("scanforpay-button");',
      buttonVersion: BUTTON_VERSION,
    },
  });
  doc = (await (await fetch(`${h.proxyUrl}/openapi.json`)).json()) as Json;
  const created = async () => {
    const response = await h.createOrder({ item: 'tee-red', wallet: 'AlipayHK' });
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const [pendingOrderId, paidOrderId] = [await created(), await created()];
  await h.control(`/orders/${paidOrderId}/pay`);
  await eventually(async () =>
    (await h.store.getOrder(paidOrderId))?.status === 'paid' ? true : undefined,
  );
  const signIn = await fetch(`${h.proxyUrl}/admin/ui/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `token=${ADMIN_TOKEN}`,
    redirect: 'manual',
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const page = await (
    await fetch(`${h.proxyUrl}/admin/ui/webhook`, { headers: { cookie } })
  ).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
  const [paid] = await h.store.listEvents(paidOrderId);
  x = {
    adminToken: ADMIN_TOKEN,
    pendingOrderId,
    paidOrderId,
    paidEventId: paid!.eventId,
    buttonVersion: BUTTON_VERSION,
    cookie,
    csrf,
  };
});
afterAll(() => h?.close());

/** Every `$ref` of a JSON value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner),
  );
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1, and every $ref names one of its schemas', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toMatch(/^3\.1\./);
    const names = new Set(Object.keys(doc.components.schemas as object));
    for (const ref of refs(doc)) {
      expect(names.has(ref.replace('#/components/schemas/', '')), ref).toBe(true);
    }
    // The validator does see a broken document.
    const broken = structuredClone(doc);
    broken.paths['/healthz'].get.responses = { 200: { content: {} } };
    expect((await new Validator().validate(broken)).valid).toBe(false);
  });

  it("documents every route of the app, and only the app's routes", () => {
    const registered = new Set<string>();
    for (const route of h.app.routes) {
      // Method ALL: middleware (`use`, taking `next`) or a wildcard fallback, not an endpoint.
      if (route.method === 'ALL') {
        expect(route.handler.length === 2 || route.path.endsWith('*'), route.path).toBe(true);
      } else registered.add(`${route.method} ${openApiPath(route.path)}`);
    }
    const documented = Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
      Object.keys(methods as Json).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...registered].sort());
    expect(registered.size).toBeGreaterThan(40);
  });

  it('every documented route answers on a running proxy, with a documented status and body', async () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false });
    ajv.addSchema(doc, 'doc');
    const pointer = (...parts: string[]) =>
      'doc#/' +
      parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');
    const seen: string[] = [];
    // Sign-out last: the session serves the other dashboard examples.
    const ops = [...OPERATIONS].sort(
      (a, b) => Number(a.path.endsWith('sign-out')) - Number(b.path.endsWith('sign-out')),
    );
    const requests = ops.flatMap((op) => {
      const example = EXAMPLES[op.operationId];
      expect(example, `an example for ${op.operationId}`).toBeDefined();
      return [example!(x)].flat().map((request) => ({ op, ...request }));
    });
    for (const { op, path, init } of requests) {
      const response = await fetch(`${h.proxyUrl}${path}`, {
        ...init,
        method: op.method.toUpperCase(),
        redirect: 'manual',
      });
      const where = `${op.method.toUpperCase()} ${path} → ${response.status}`;
      const type = response.headers.get('content-type')?.split(';')[0] ?? '';
      const body = /json/.test(type) ? ((await response.json()) as Json) : await response.text();
      // The two id-less paths answer 404 by design, with their own code naming the fix.
      if (op.operationId === 'noItem' || op.operationId === 'noOrder') {
        expect((body as Json).code, where).toBe(op.problems![0]);
      } else {
        expect([404, 405], where).not.toContain(response.status);
      }
      const responses = doc.paths[openApiPath(op.path)][op.method].responses as Json;
      const key = [String(response.status), `${String(response.status)[0]}XX`].find(
        (k) => k in responses,
      );
      expect(key, `${where}: a documented status`).toBeDefined();
      const media = responses[key!].content as Json | undefined;
      if (response.status !== 303 && response.status !== 304) {
        expect(Object.keys(media ?? {}), `${where}: a documented type`).toContain(type);
      }
      // A problem names one of the codes the operation documents.
      if (type === 'application/problem+json')
        expect(op.problems, where).toContain((body as Json).code);
      if (media?.[type]?.schema) {
        const validate = ajv.getSchema(
          pointer(
            'paths',
            openApiPath(op.path),
            op.method,
            'responses',
            key!,
            'content',
            type,
            'schema',
          ),
        )!;
        expect(validate(body) ? [] : validate.errors, `${where}: the body`).toEqual([]);
      }
      seen.push(op.operationId);
    }
    expect(new Set(seen).size).toBe(OPERATIONS.length);
    // The schemas do refuse what the proxy does not answer.
    const item = ajv.getSchema(
      pointer(
        'paths',
        '/items/{id}',
        'get',
        'responses',
        '200',
        'content',
        'application/json',
        'schema',
      ),
    )!;
    expect(item({ id: 'tee-red', title: 'Red tee', currency: 'HKD', wallets: ['Visa'] })).toBe(
      false,
    );
  });

  it('is cacheable, names no host and no secret, and revalidates by ETag', async () => {
    const response = await fetch(`${h.proxyUrl}/openapi.json`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual(openApiDocument('/'));
    expect(doc.servers).toEqual([{ url: '/', description: 'This proxy' }]);
    const port = new URL(h.proxyUrl).port;
    for (const secret of [
      ADMIN_TOKEN,
      TOKEN_SECRET,
      DEFAULT_PARTNER.signKey,
      DEFAULT_PARTNER.partnerNo,
      port,
      '127.0.0.1',
      h.sandbox!.url,
    ]) {
      expect(text).not.toContain(secret);
    }
    const again = await fetch(`${h.proxyUrl}/openapi.json`, {
      headers: { 'if-none-match': response.headers.get('etag')! },
    });
    expect(again.status).toBe(304);
    expect(openApiDocument('/shop/').servers).toEqual([
      { url: '/shop', description: 'This proxy' },
    ]);
  });

  it('renders the reference page with no script, under a strict CSP', async () => {
    const response = await fetch(`${h.proxyUrl}/docs`);
    const page = await response.text();
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'/);
    expect(csp).not.toMatch(/script-src|unsafe/);
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1]!;
    const digest = Buffer.from(
      await crypto.subtle.digest('SHA-256', new TextEncoder().encode(style)),
    ).toString('base64');
    expect(csp).toContain(`'sha256-${digest}'`);
    expect(page).not.toMatch(/<script|\son\w+=|src=/i);
    for (const op of OPERATIONS) expect(page).toContain(`id="${op.operationId}"`);
    for (const name of Object.keys(doc.components.schemas as object)) {
      expect(page).toContain(`id="schema-${name}"`);
    }
    expect(page).toContain('<a href="openapi.json">');
  });
});
