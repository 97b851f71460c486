import { formatTime, sign, signResponse, type HashFn } from '@scanforpay/protocol';
import type { Order } from './order-book.js';
import type { Outgoing } from './notifier.js';
import { paymentFields } from './payment-fields.js';

type Notice = NonNullable<Order['notice']>;

/** Signs a paid order's notification once: its `response` text and signature. */
export async function signPaymentNotice(
  order: Order,
  signKey: string,
  hash: HashFn,
  random: (bytes: number) => string,
): Promise<Notice> {
  const header = {
    partnerNo: order.partnerNo,
    respTime: formatTime(order.payTime as Date),
    signType: 'SHA256',
    version: '1.0',
    reqMsgId: uuid(random(16)),
  };
  const body = { code: 1, msg: 'success', ...paymentFields(order, 1) };
  const signed = await signResponse({ header, body }, signKey, hash);
  return { text: signed.text, signature: signed.signature };
}

/** The delivery of a signed notice; `wrongKey` re-signs it so the merchant must refuse it. */
export async function noticeDelivery(
  order: Order,
  notice: Notice,
  wrongKey: { signKey: string; hash: HashFn } | undefined,
): Promise<Outgoing> {
  const signature = wrongKey
    ? await sign(notice.text, `wrong-${wrongKey.signKey}`, wrongKey.hash)
    : notice.signature;
  return {
    partnerNo: order.partnerNo,
    partnerOrderNo: order.partnerOrderNo,
    orderNo: order.orderNo,
    url: order.notifyUrl,
    body: `{"response":${notice.text},"signature":"${signature}"}`,
  };
}

function uuid(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
