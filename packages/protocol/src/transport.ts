export interface TransportRequest {
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  text: string;
}

/** Sends one HTTP request and reads the whole answer as text. Must honour `signal`. */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

/** The default transport: global `fetch`. */
export const fetchTransport: Transport = async (url, init) => {
  const response = await fetch(url, init);
  return { status: response.status, text: await response.text() };
};
