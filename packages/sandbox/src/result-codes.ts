/**
 * The sandbox's business result codes. `1` is ScanForPay's documented success; the real failure
 * codes are not published, so these are invented, stable, and documented in the README.
 */
export const RESULT_CODES = {
  success: 1,
  internalError: 1000,
  badSign: 1001,
  unknownPartner: 1002,
  unknownStore: 1003,
  invalidField: 1004,
  duplicateOrder: 1005,
  unknownOrder: 1006,
  overRefund: 1007,
  notRefundable: 1008,
  orderExpired: 1009,
  currencyNotSupported: 1010,
  duplicateRefund: 1011,
  unsupportedEndpoint: 1012,
  chaos: 1099,
} as const;

export type ResultCode = (typeof RESULT_CODES)[keyof typeof RESULT_CODES];
