/**
 * Fuzz of `openNotification` (and the `openSigned` under it): generated notifications, signed,
 * then mutated byte by byte and structurally. Whatever is accepted must carry exactly the values
 * of a text that was signed, as an independent decoder reads them from the hashed bytes.
 * Seed and run count: see `fixtures/fuzz.ts` (`FUZZ_RUNS=200000` for a deep run).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  openNotification,
  openSigned,
  sign,
  SignatureError,
  ValidationError,
} from '@scanforpay/protocol';
import { nodeSha256 } from '@scanforpay/protocol/node';
import {
  buildCase,
  casePlanArb,
  fuzzParameters,
  fuzzTimeout,
  MAX_CALL_MS,
  PARTNER_NO,
  paymentBodyArb,
  referenceOpen,
  REPORT_FIELDS,
  sameJson,
  SIGN_KEY,
  Tally,
  withinLimits,
  type FuzzCase,
} from './fixtures/fuzz.js';

const RUNS = 2_000;

async function settle<T>(
  run: () => Promise<T>,
): Promise<{ value?: T; error?: unknown; ms: number }> {
  const started = performance.now();
  try {
    const value = await run();
    return { value, ms: performance.now() - started };
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
}

/** An accepted text must be one that was signed, and mean what the reference reads. */
function expectCovered(c: FuzzCase, signedText: string, header: unknown, body: unknown) {
  if (c.duplicateSigned) {
    expect(signedText, 'a signed text with a duplicate name was accepted').not.toBe(c.text);
  }
  expect(c.signed.has(signedText), 'accepted text is not byte-identical to a signed one').toBe(
    true,
  );
  const reference = referenceOpen(signedText);
  expect(sameJson(header, reference.header), 'header differs from the signed bytes').toBe(true);
  expect(sameJson(body, reference.body), 'body differs from the signed bytes').toBe(true);
  const fields = body as Record<string, unknown>;
  for (const field of REPORT_FIELDS) {
    expect(sameJson(fields[field], reference.body[field]), field).toBe(true);
  }
  return reference;
}

describe('openNotification under fuzzing', () => {
  it(
    'accepts nothing the signature does not cover, and throws only its own errors',
    async () => {
      const tally = new Tally();
      await fc.assert(
        fc.asyncProperty(
          casePlanArb(paymentBodyArb),
          fc.boolean(),
          fc.boolean(),
          async (plan, nodeHash, checkPartner) => {
            const hash = nodeHash ? nodeSha256 : undefined;
            const c = await buildCase(plan, hash);
            const options = {
              ...(checkPartner ? { partnerNo: PARTNER_NO } : {}),
              ...(hash ? { hash } : {}),
            };
            const note = await settle(() => openNotification(c.raw, SIGN_KEY, options));
            const opened = await settle(() => openSigned(c.raw, SIGN_KEY, hash));
            expect(note.ms).toBeLessThan(MAX_CALL_MS);
            expect(opened.ms).toBeLessThan(MAX_CALL_MS);

            if (opened.value) {
              const { signedText, signature, header, body } = opened.value;
              expectCovered(c, signedText, header, body);
              expect(signature.toLowerCase()).toBe(c.signed.get(signedText));
            } else {
              expect(opened.error).toBeInstanceOf(SignatureError);
            }

            if (note.value) {
              const reference = expectCovered(
                c,
                note.value.signedText,
                note.value.header,
                note.value.body,
              );
              if (checkPartner) expect(reference.header.partnerNo).toBe(PARTNER_NO);
              expect(opened.value, 'openSigned refused what openNotification took').toBeDefined();
              tally.add(plan.rawMutations.length ? 'accepted after mutation' : 'accepted', note.ms);
              return;
            }
            const error = note.error;
            if (!(error instanceof SignatureError) && !(error instanceof ValidationError)) {
              throw new Error(`undocumented error: ${String(error)}`, { cause: error });
            }
            if (c.pristine && withinLimits(plan, c.raw)) {
              throw new Error(`a valid notification was refused: ${error.message}`);
            }
            tally.add(
              error instanceof SignatureError
                ? `SignatureError ${error.reason}`
                : 'ValidationError',
              note.ms,
            );
          },
        ),
        fuzzParameters(RUNS),
      );
      tally.report('openNotification fuzz');
      expect(tally.get('accepted')).toBeGreaterThan(0);
      expect(tally.get('SignatureError mismatch')).toBeGreaterThan(0);
      expect(tally.get('SignatureError duplicate_member')).toBeGreaterThan(0);
    },
    fuzzTimeout(RUNS),
  );

  it('handles worst-case inputs at the size limit in bounded time', async () => {
    const limit = 64 * 1024;
    const fill = (unit: string, prefix = '', suffix = '') =>
      prefix +
      unit.repeat(Math.floor((limit - prefix.length - suffix.length) / unit.length)) +
      suffix;
    const note = '{"header":{"partnerNo":"1"},"body":{"code":1}}';
    const signature = await sign(note, SIGN_KEY);
    const inputs = [
      fill('['),
      fill('{"a":', '{"response":'),
      fill('\\u0041', '{"response":{"header":{},"body":{"x":"', '"}}}'),
      fill('1,', '{"response":{"header":{},"body":{"x":[', '1]}}}'),
      fill('9', '{"response":{"header":{},"body":{"x":', '}}}'),
      fill('\\', '{"response":"'),
      fill('\\u', '{"response":"'),
      fill(' ', '{"response"'),
      fill(`"a":1,`, '{"response":{"header":{},"body":{', `"a":2}}}`),
      fill(`${note},`, '{"response":[', `${note}]}`),
      fill('\ud800'),
      fill(
        '\ufffd',
        `{"signature":"${signature}","response":{"header":{"partnerNo":"1"},"body":{"code":1,"x":"`,
        '"}}}',
      ),
    ];
    for (const input of inputs) {
      expect(input.length).toBeLessThanOrEqual(limit);
      const outcome = await settle(() => openNotification(input, SIGN_KEY));
      expect(outcome.ms, input.slice(0, 40)).toBeLessThan(MAX_CALL_MS);
      expect(outcome.error).toBeInstanceOf(SignatureError);
    }
  });
});
