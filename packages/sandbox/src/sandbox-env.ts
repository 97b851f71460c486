import type { Chaos } from './chaos.js';
import type { Partner } from './partner.js';

/** Hono context variables the sandbox's routes share. */
export interface SandboxEnv {
  Variables: {
    /** The verified partner of a gateway call, once known. */
    partner?: Partner;
    /** The `header.partnerNo` a gateway call claims, before it is known. */
    claimedPartnerNo?: string;
    /** The api* chaos applying to this gateway call. */
    apiChaos?: Chaos;
  };
}
