import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from '../problem.js';

export interface BodySizeLimitOptions {
  maxBytes: number;
}

/**
 * Refuses bodies over `maxBytes` with a 413 problem. A declared `Content-Length` is checked
 * without touching the body (so Node keeps its fast body path); only bodies of unknown
 * length are counted as they stream in.
 */
export function bodySizeLimit(options: BodySizeLimitOptions): MiddlewareHandler {
  const tooLarge = (): never => {
    throw new ProblemError(
      'payload_too_large',
      `the body is larger than ${options.maxBytes} bytes`,
    );
  };
  const streaming = bodyLimit({ maxSize: options.maxBytes, onError: tooLarge });
  return async function bodySizeLimit(c, next) {
    const method = c.req.method;
    if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return next();
    const length = c.req.header('content-length');
    if (length !== undefined && c.req.header('transfer-encoding') === undefined) {
      if (!/^\d+$/.test(length) || Number(length) > options.maxBytes) tooLarge();
      return next();
    }
    return streaming(c, next);
  };
}
