/**
 * A failed call to the proxy, as a value with a stable `code`: the problem's `code` from an
 * `application/problem+json` answer, or one of the element's own codes (`network_error`,
 * `http_error` (an error answer without a problem body), `invalid_pay_url`, `wallet_not_allowed`, `amount_out_of_range`, `missing_order`).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status?: number,
  ) {
    super(code);
  }
}
