/**
 * Fuzz of the client's answer handling (`createOrder`, `queryPayment`): generated gateway
 * answers, signed, then mutated byte by byte and structurally, served by an injected transport.
 * Whatever the client returns, or reports as a business error, must be exactly what a signed
 * text says, as an independent decoder reads it from the hashed bytes.
 * Seed and run count: see `fixtures/fuzz.ts` (`FUZZ_RUNS=200000` for a deep run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createClient,
  ScanForPayError,
  SignatureError,
  ValidationError,
  type ScanForPayClient,
} from '@scanforpay/protocol';
import { nodeSha256 } from '@scanforpay/protocol/node';
import { normalize } from '../src/client.js';
import {
  buildCase,
  casePlanArb,
  createBodyArb,
  fuzzParameters,
  fuzzTimeout,
  MAX_CALL_MS,
  PARTNER_NO,
  paymentBodyArb,
  referenceOpen,
  ReferenceRefusal,
  REPORT_FIELDS,
  sameJson,
  SIGN_KEY,
  Tally,
  withinLimits,
  type FuzzCase,
} from './fixtures/fuzz.js';

const RUNS = 1_000;

function clientServing(raw: string, nodeHash: boolean): ScanForPayClient {
  return createClient({
    apiUrl: 'https://gateway.test',
    partnerNo: PARTNER_NO,
    storeNo: '200000000000001',
    signKey: SIGN_KEY,
    transport: () => Promise.resolve({ status: 200, text: raw }),
    queryRetries: 0,
    ...(nodeHash ? { hash: nodeSha256 } : {}),
  });
}

/**
 * The bodies the signed texts of a case stand for, where the client could accept them. A text
 * with a duplicate name stands for nothing: `referenceOpen` refuses it.
 */
function signedBodies(c: FuzzCase): Record<string, unknown>[] {
  const bodies: Record<string, unknown>[] = [];
  for (const text of c.signed.keys()) {
    try {
      const { header, body } = referenceOpen(text);
      if (header.partnerNo === PARTNER_NO) bodies.push(normalize(body));
    } catch (error) {
      if (!(error instanceof ReferenceRefusal)) throw error;
    }
  }
  return bodies;
}

/** A successful answer must be, field for field, the body of a signed text with code 1. */
function expectSignedResult(c: FuzzCase, result: Record<string, unknown>): void {
  // Fields the client adds about the exchange, not read from the answer.
  const { exchange: _exchange, ...fields } = result;
  const match = signedBodies(c).find((body) => sameJson(fields, body));
  expect(match, `returned values no signed text carries: ${JSON.stringify(fields)}`).toBeDefined();
  for (const field of REPORT_FIELDS)
    expect(sameJson(fields[field], match?.[field]), field).toBe(true);
  expect(match?.code).toBe(1);
}

/** A business error must carry the code and msg of a signed text. */
function expectSignedBusinessError(c: FuzzCase, error: ScanForPayError): void {
  const match = signedBodies(c).find(
    (body) =>
      Object.is(error.code, typeof body.code === 'number' ? body.code : Number(body.code)) &&
      error.msg === (typeof body.msg === 'string' ? body.msg : ''),
  );
  expect(match, `business error no signed text carries: ${error.message}`).toBeDefined();
}

const OPERATIONS = {
  create: {
    bodies: createBodyArb,
    call: (client: ScanForPayClient) =>
      client.createOrder({
        partnerOrderNo: '240501100000123',
        wallet: 'AlipayHK',
        orderAmount: 1999,
        currency: 'HKD',
      }),
  },
  payQuery: {
    bodies: paymentBodyArb,
    call: (client: ScanForPayClient) => client.queryPayment({ partnerOrderNo: '240501100000123' }),
  },
} as const;

describe('client answers under fuzzing', () => {
  for (const [name, operation] of Object.entries(OPERATIONS)) {
    it(
      `${name}: returns nothing the signature does not cover, and throws only its own errors`,
      async () => {
        const tally = new Tally();
        await fc.assert(
          fc.asyncProperty(casePlanArb(operation.bodies), fc.boolean(), async (plan, nodeHash) => {
            const c = await buildCase(plan, nodeHash ? nodeSha256 : undefined);
            const client = clientServing(c.raw, nodeHash);
            const started = performance.now();
            let result: Record<string, unknown> | undefined;
            let error: unknown;
            try {
              result = { ...(await operation.call(client)) };
            } catch (caught) {
              error = caught;
            }
            const ms = performance.now() - started;
            expect(ms).toBeLessThan(MAX_CALL_MS);

            if (result) {
              expectSignedResult(c, result);
              tally.add(plan.rawMutations.length ? 'accepted after mutation' : 'accepted', ms);
              return;
            }
            if (error instanceof ScanForPayError) {
              expectSignedBusinessError(c, error);
              tally.add('ScanForPayError', ms);
              return;
            }
            if (!(error instanceof SignatureError) && !(error instanceof ValidationError)) {
              throw new Error(`undocumented error: ${String(error)}`, { cause: error });
            }
            if (c.pristine && withinLimits(plan, c.raw)) {
              throw new Error(`a valid answer was refused: ${error.message}`);
            }
            tally.add(
              error instanceof SignatureError
                ? `SignatureError ${error.reason}`
                : 'ValidationError',
              ms,
            );
          }),
          fuzzParameters(RUNS),
        );
        tally.report(`${name} answer fuzz`);
        expect(tally.get('accepted')).toBeGreaterThan(0);
        expect(tally.get('ScanForPayError')).toBeGreaterThan(0);
        expect(tally.get('SignatureError mismatch')).toBeGreaterThan(0);
      },
      fuzzTimeout(RUNS),
    );
  }
});
