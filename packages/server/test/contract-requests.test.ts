// The routes that validated by hand now validate with the contract's valibot schemas: the same
// inputs pass, and the same inputs fail with the same 400 `detail` as before.
import { describe, expect, it } from 'vitest';
import { AdminOrdersQuerySchema, parseRefundBody } from '../src/contract/admin-shapes.js';
import { IdempotencyKeySchema, ItemQuerySchema, readInput } from '../src/contract/requests.js';
import { parseOrderForm } from '../src/orders/parse-order-request.js';
import { ProblemError } from '../src/problem.js';

/** The problem's code and detail, or the value when it passes. */
function outcome(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ProblemError)) throw error;
    return `${error.code}: ${error.detail}`;
  }
}

const refund = (text: string, type = 'application/json') =>
  outcome(() => parseRefundBody(text, type));

describe('the refund body', () => {
  it('takes an empty body, and the three fields', () => {
    expect(refund('', 'text/plain')).toEqual({});
    expect(refund('{"amount":150,"refundNo":"r-1_A","reason":"damaged"}')).toEqual({
      amount: 150,
      refundNo: 'r-1_A',
      reason: 'damaged',
    });
    expect(refund('{}')).toEqual({});
  });

  it('refuses each wrong field with its sentence, an unknown field first', () => {
    const cases: [string, string][] = [
      ['{"amount":0}', 'amount: a positive integer in minor units'],
      ['{"amount":1.5}', 'amount: a positive integer in minor units'],
      ['{"amount":"5"}', 'amount: a positive integer in minor units'],
      ['{"amount":null}', 'amount: a positive integer in minor units'],
      ['{"refundNo":"a b"}', 'refundNo: 1-32 of A-Z a-z 0-9 _ -'],
      [`{"refundNo":"${'x'.repeat(33)}"}`, 'refundNo: 1-32 of A-Z a-z 0-9 _ -'],
      ['{"refundNo":7}', 'refundNo: 1-32 of A-Z a-z 0-9 _ -'],
      [`{"reason":"${'x'.repeat(201)}"}`, 'reason: text of at most 200 characters'],
      ['{"amount":0,"note":"x"}', 'note: unknown field (amount, refundNo, reason)'],
      ['{"amount":0,"refundNo":"a b"}', 'amount: a positive integer in minor units'],
      ['[]', 'the body must be a JSON object'],
      ['null', 'the body must be a JSON object'],
      ['"x"', 'the body must be a JSON object'],
      ['{', 'the body is not valid JSON'],
    ];
    for (const [body, detail] of cases)
      expect(refund(body), body).toBe(`invalid_request: ${detail}`);
    expect(refund('{}', 'text/plain')).toBe(
      'unsupported_media_type: send the refund as application/json',
    );
  });
});

describe('the admin list query', () => {
  const query = (q: Record<string, string>) => outcome(() => readInput(AdminOrdersQuerySchema, q));

  it('takes 1 to 200 in at most three digits, a status and an order id', () => {
    for (const limit of ['1', '50', '007', '099', '200']) {
      expect(query({ limit }), limit).toEqual({ limit });
    }
    expect(query({ status: 'paid', before: '01JD8S3G5X', other: 'x' })).toEqual({
      status: 'paid',
      before: '01JD8S3G5X',
    });
  });

  it('refuses the rest with the same sentence, in the order status, limit, before', () => {
    for (const limit of ['0', '000', '201', '999', '1000', '0007', '', '1e2', ' 5', 'abc']) {
      expect(query({ limit }), limit).toBe('invalid_request: limit: a whole number from 1 to 200');
    }
    expect(query({ status: 'done', limit: '0' })).toBe(
      'invalid_request: status: one of pending, paid, failed, expired, refunded, partially_refunded',
    );
    expect(query({ before: 'a b', limit: '0' })).toBe(
      'invalid_request: limit: a whole number from 1 to 200',
    );
    expect(query({ before: 'a b' })).toBe('invalid_request: before: an order id');
  });
});

describe('the item query and Idempotency-Key', () => {
  const item = (q: Record<string, string>) => outcome(() => readInput(ItemQuerySchema, q));

  it('reads an empty context as none, and checks context before lang', () => {
    expect(item({ context: '', lang: 'zh-HK' })).toEqual({ context: '', lang: 'zh-HK' });
    expect(item({ context: 'tv', lang: 'fr' })).toBe(
      'invalid_request: context: desktop, mobile, wechat, alipay or social',
    );
    expect(item({ lang: '' })).toBe('invalid_request: lang: en, zh-HK or zh-CN');
  });

  it('takes 1-255 visible ASCII characters as a key', () => {
    expect(outcome(() => readInput(IdempotencyKeySchema, 'k'.repeat(255)))).toBe('k'.repeat(255));
    for (const key of ['', 'a b', 'k'.repeat(256), 'clé']) {
      expect(outcome(() => readInput(IdempotencyKeySchema, key))).toBe(
        'invalid_request: Idempotency-Key: 1-255 visible ASCII characters',
      );
    }
  });
});

describe('the no-script form', () => {
  const form = (fields: Record<string, unknown>) => outcome(() => parseOrderForm(fields));

  it('reads whole numbers around blanks, keeps text as typed, ignores blanks and files', () => {
    expect(
      form({
        item: 'tee-red',
        wallet: ' AlipayHK',
        quantity: ' 2 ',
        amount: '',
        token: new Blob(),
      }),
    ).toEqual({ item: 'tee-red', wallet: ' AlipayHK', quantity: 2 });
    expect(form({ item: 'x', reference: '' })).toEqual({ item: 'x' });
  });

  it('refuses a number that is not whole, quantity first', () => {
    expect(form({ quantity: '1.5', amount: 'x' })).toBe(
      'invalid_request: quantity: a whole number',
    );
    expect(form({ amount: '-5' })).toBe('invalid_request: amount: a whole number');
    expect(form({ amount: '1'.repeat(16) })).toBe('invalid_request: amount: a whole number');
  });
});
