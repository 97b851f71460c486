import { DEFAULT_PARTNER } from '@scanforpay/sandbox';

/** Secrets used anywhere in the suite; none may ever appear in a response or a log line. */
export const TOKEN_SECRET = 'test-checkout-token-secret-0123456789abcdef';
export const SECRETS: readonly string[] = [DEFAULT_PARTNER.signKey, TOKEN_SECRET];

/** Every log line and every response (status line, headers, body) seen by this test file. */
export const traffic: string[] = [];

export function captureLine(line: string): void {
  traffic.push(line);
}

/** Records a response's headers and body, returning it still readable. */
export async function captureResponse(response: Response): Promise<Response> {
  const body = await response.clone().text();
  const headers: string[] = [];
  response.headers.forEach((value, key) => headers.push(`${key}: ${value}`));
  traffic.push(`HTTP ${response.status}\n${headers.join('\n')}\n\n${body}`);
  return response;
}
