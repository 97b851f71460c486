import {
  assertValid,
  CreateOrderBodySchema,
  PayQueryBodySchema,
  RefundBodySchema,
  ValidationError,
} from '@scanforpay/protocol';
import { Hono, type Context } from 'hono';
import type { OrderEndpoint } from './order-book.js';
import { describeIssue, readGatewayRequest } from './read-gateway-request.js';
import { RESULT_CODES } from './result-codes.js';
import { invalidField, SandboxError, unknownOrder, unknownStore } from './sandbox-error.js';
import type { SandboxEnv } from './sandbox-env.js';
import type { Sandbox } from './sandbox.js';
import { JSON_HEADERS, signedAnswer } from './signed-answer.js';

/** Fields each endpoint requires, checked first so a missing one gets a plain message. */
const REQUIRED = {
  create: ['storeNo', 'partnerOrderNo', 'wallet', 'currency', 'orderAmount'],
  refund: ['partnerOrderNo', 'refundNo', 'orderAmount'],
} as const;

/**
 * The gateway API: `POST /api/online/create`, `/api/offline/qrcode`, `/api/common/payQuery`,
 * `/api/common/refund`. Every answer, errors included, is a signed envelope at HTTP 200
 * (errors are thrown as `SandboxError` and signed by the app's `onError`).
 */
export function gatewayRoutes(sandbox: Sandbox): Hono<SandboxEnv> {
  const app = new Hono<SandboxEnv>();

  app.use('/api/*', async function apiChaos(c, next) {
    const chaos = sandbox.takeApiChaos();
    if (chaos?.apiStatus !== undefined) {
      const status = chaos.apiStatus as 500;
      // These statuses carry no body.
      if ([204, 205, 304].includes(status)) return c.body(null, status);
      return c.text(`sandbox chaos: HTTP ${status}`, status);
    }
    if (chaos) c.set('apiChaos', chaos);
    await next();
    if (chaos?.apiHangMs) await sandbox.timers.sleep(chaos.apiHangMs);
  });

  const create = (endpoint: OrderEndpoint) =>
    async function createOrder(c: Context<SandboxEnv>) {
      const { partner, body } = await read(c);
      requireFields(body, REQUIRED.create);
      const input = validate(() => assertValid(CreateOrderBodySchema, body, 'create'));
      const { order } = sandbox.createOrder(partner, endpoint, input, new URL(c.req.url).origin);
      return answer(c, {
        code: RESULT_CODES.success,
        msg: 'success',
        payUrl: order.payUrl,
        orderNo: order.orderNo,
        partnerOrderNo: order.partnerOrderNo,
      });
    };

  app.post('/api/online/create', create('online'));
  app.post('/api/offline/qrcode', create('qrcode'));

  app.post('/api/common/payQuery', async function payQuery(c) {
    const { partner, body } = await read(c);
    const input = validate(() => assertValid(PayQueryBodySchema, body, 'payQuery'));
    if (input.storeNo && input.storeNo !== partner.storeNo) throw unknownStore(input.storeNo);
    // orderNo wins when both are given, as documented.
    const order = input.orderNo
      ? sandbox.orders.byOrderNo(partner.partnerNo, input.orderNo)
      : sandbox.orders.byPartnerOrderNo(partner.partnerNo, input.partnerOrderNo ?? '');
    if (!order) {
      throw unknownOrder(input.orderNo ? `orderNo ${input.orderNo}` : `${input.partnerOrderNo}`);
    }
    return answer(c, {
      code: RESULT_CODES.success,
      msg: 'success',
      ...sandbox.paymentFields(order),
    });
  });

  app.post('/api/common/refund', async function refund(c) {
    const { partner, body } = await read(c);
    requireFields(body, REQUIRED.refund);
    const input = validate(() => assertValid(RefundBodySchema, body, 'refund'));
    const order = sandbox.orders.byPartnerOrderNo(partner.partnerNo, input.partnerOrderNo);
    if (!order) throw unknownOrder(input.partnerOrderNo);
    const { refund } = sandbox.refund(order, input.refundNo, input.orderAmount);
    return answer(c, {
      code: RESULT_CODES.success,
      msg: 'success',
      refundNo: refund.refundNo,
      orderNo: order.orderNo,
      partnerOrderNo: order.partnerOrderNo,
      orderAmount: refund.amount,
      status: 1,
      currency: order.currency,
    });
  });

  app.post('/api/*', async function unsupported(c) {
    await read(c);
    throw new SandboxError(
      RESULT_CODES.unsupportedEndpoint,
      `${c.req.path} is not simulated; use /api/online/create or /api/offline/qrcode`,
      404,
    );
  });

  async function read(c: Context<SandboxEnv>) {
    const request = await readGatewayRequest(sandbox, await c.req.text(), c);
    const chaos = c.get('apiChaos');
    if (chaos?.apiCode !== undefined) {
      throw new SandboxError(chaos.apiCode, chaos.apiMsg ?? `sandbox chaos: code ${chaos.apiCode}`);
    }
    return request;
  }

  async function answer(c: Context<SandboxEnv>, body: Record<string, unknown>) {
    const partner = c.get('partner') ?? sandbox.defaultPartner;
    const text = await signedAnswer(sandbox, partner.partnerNo, partner.signKey, body);
    return c.body(text, 200, JSON_HEADERS);
  }

  return app;
}

function requireFields(body: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    const value = body[field];
    if (value === undefined || value === null || value === '') {
      throw invalidField(`missing field body.${field}`);
    }
  }
}

/** Runs a schema check, turning its `ValidationError` into a 1004 answer. */
function validate<T>(check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ValidationError) throw invalidField(describeIssue(error));
    throw error;
  }
}
