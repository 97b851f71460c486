import type { LogFields } from '../logging/create-logger.js';

/** The proxy's Hono environment: what the middleware sets on each request's context. */
export interface ProxyEnv {
  Variables: {
    requestId: string;
    /** Extra fields for this request's single log line. */
    logFields: LogFields;
    /** Render errors as an HTML page (the no-JavaScript form route). */
    htmlErrors: boolean;
  };
}
