export interface TransportRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /**
   * Aborts the request. The client passes one unless the transport keeps its own deadline
   * (`handlesTimeout`), and then passes `timeoutMs` instead.
   */
  signal?: AbortSignal;
  /** For a transport with `handlesTimeout`: fail the request after this many ms. */
  timeoutMs?: number;
}

export interface TransportResponse {
  status: number;
  text: string;
}

/**
 * Sends one HTTP request and reads the whole answer as text. Must honour `signal`. A transport
 * that sets `handlesTimeout` also honours `timeoutMs`, failing with an error named
 * `TimeoutError`; the client then makes no `AbortController` and timer of its own per call.
 */
export type Transport = ((url: string, init: TransportRequest) => Promise<TransportResponse>) & {
  readonly handlesTimeout?: boolean;
};

/** The default transport: global `fetch`. */
export const fetchTransport: Transport = async (url, init) => {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
};
