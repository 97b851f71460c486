/**
 * A failed call to the proxy, as a value with a stable `code`: the problem's `code` from an
 * `application/problem+json` answer, or one of the element's own codes (`network_error`,
 * `http_error` (an error answer without a problem body), `invalid_pay_url`,
 * `wallet_not_allowed`, `missing_item`, `missing_order`).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status?: number,
    /** The shopper's words from the proxy (the problem's `message`), in their language. */
    public say?: string,
    /** For the merchant, in the console: what was asked and how to fix it. */
    readonly detail?: string,
  ) {
    super(code);
  }

  /** No answer, a 5xx or a 429: it may pass, so asking again can help. */
  get passing(): boolean {
    const { status } = this;
    return status ? status == 429 || status > 499 : this.code == 'network_error';
  }
}
