import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/contract/openapi-document.js';

const API_CLIENT = fileURLToPath(new URL('../../button/src/api-client.ts', import.meta.url));

/**
 * The button's JSON types against the OpenAPI document: the document becomes a `.d.ts`
 * (openapi-typescript), and tsc checks, type by type, that what the proxy answers is what the
 * button reads (assignable, and no field the button reads that the proxy never sends), and that
 * what the button sends is what the proxy takes.
 */
const CHECKS = `
import type { components, paths } from './openapi.js';
import type { CreatedOrder, Item, Order, OrderRequest, OrderStatus } from ${JSON.stringify(API_CLIENT)};
import type { Wallet } from ${JSON.stringify(API_CLIENT.replace('api-client.ts', 'wallets.ts'))};

type S = components['schemas'];
type Ok<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Every field the button's type names exists in the proxy's answer. */
type Known<Button, Proxy> = [Exclude<keyof Button, keyof Proxy>] extends [never] ? true : false;
type Json<P extends keyof paths, M extends 'get' | 'post', C extends number> =
  paths[P][M] extends { responses: Record<C, { content: { 'application/json': infer B } }> } ? B : never;

export type Checks = [
  Ok<Same<Wallet, S['Wallet']>>,
  Ok<Same<OrderStatus, S['OrderStatus']>>,
  // GET /items/:id
  Ok<Assignable<Json<'/items/{id}', 'get', 200>, Item>>,
  Ok<Known<Item, S['ItemOffer']>>,
  // POST /orders
  Ok<Assignable<OrderRequest, NonNullable<paths['/orders']['post']['requestBody']>['content']['application/json']>>,
  Ok<Known<OrderRequest, S['OrderRequest']>>,
  Ok<Assignable<Json<'/orders', 'post', 201>, CreatedOrder>>,
  Ok<Known<CreatedOrder, S['CreatedOrder']>>,
  // GET /orders/:orderId
  Ok<Assignable<Json<'/orders/{orderId}', 'get', 200>, Order>>,
  Ok<Known<Order, S['OrderView']>>,
  // Every error: the button reads code, message and detail.
  Ok<Assignable<S['Problem'], { code: string; message?: string; detail: string }>>,
];
`;

/** A mismatch the checks must catch: the proxy's item with a number for a title. */
const MISMATCH = `
import type { components } from './openapi.js';
import type { Item } from ${JSON.stringify(API_CLIENT)};
type Ok<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;
export type Wrong = Ok<Assignable<Omit<components['schemas']['Item'], 'title'> & { title: number }, Item>>;
`;

describe("the button's JSON types", () => {
  it('match the OpenAPI document, checked by tsc', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanforpay-openapi-types-'));
    try {
      const dts = astToString(await openapiTS(openApiDocument() as never));
      writeFileSync(join(dir, 'openapi.d.ts'), dts);
      writeFileSync(join(dir, 'checks.ts'), CHECKS);
      writeFileSync(join(dir, 'mismatch.ts'), MISMATCH);
      const program = ts.createProgram([join(dir, 'checks.ts'), join(dir, 'mismatch.ts')], {
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        moduleResolution: ts.ModuleResolutionKind.Bundler,
        types: [],
      });
      const errors = (file: string) =>
        ts.getPreEmitDiagnostics(program, program.getSourceFile(join(dir, file))).map((d) => {
          const line = d.file?.getLineAndCharacterOfPosition(d.start ?? 0).line ?? -1;
          const text = d.file?.text.split('\n')[line]?.trim() ?? '';
          return `${ts.flattenDiagnosticMessageText(d.messageText, '\n')} at: ${text}`;
        });
      expect(errors('checks.ts')).toEqual([]);
      expect(errors('mismatch.ts').join('\n')).toMatch(/does not satisfy the constraint 'true'/);
      // The generated types are the document's: the answer of GET /orders/{orderId} is there.
      expect(dts).toContain('"/orders/{orderId}"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
