/**
 * What a shopper is told when the gateway refuses an order: our words for its code, never the
 * gateway's own `msg` (which can carry anything; it goes to the log and the admin view only).
 * The codes are those the sandbox documents; the real gateway publishes none.
 */
const GATEWAY_MESSAGES: Readonly<Record<number, string>> = {
  1000: 'the payment gateway had an internal error; please try again shortly',
  1001: 'the payment gateway did not accept the shop’s credentials',
  1002: 'the payment gateway does not know this shop’s account',
  1003: 'the payment gateway does not know this shop’s store',
  1004: 'the payment gateway found the order invalid',
  1005: 'the payment gateway already has an order with this number',
  1009: 'the order expired before the payment gateway accepted it',
  1010: 'the payment gateway does not accept this currency for this shop',
  1012: 'the payment gateway does not offer this way of paying',
};

export function gatewayMessage(code: number): string {
  return GATEWAY_MESSAGES[code] ?? `the payment gateway refused the order (code ${code})`;
}
