/**
 * The step boundaries where a crash can leave the store and the gateway apart, in the order a
 * payment meets them. Crash tests stop the process at one of them (see `faultHook`).
 */
export const FAULT_STEPS = [
  /** `POST /orders`: the order and its idempotency key are written; the gateway is not yet asked. */
  'create:reserved',
  /** The gateway answered the create call; its answer is not yet recorded. */
  'create:answered',
  /** The answer is recorded; the HTTP answer is not yet sent. */
  'create:recorded',
  /** `POST /notify`: the signature checked; nothing committed. */
  'notify:verified',
  /** The notification and its transition committed; `success` not yet answered. */
  'notify:committed',
  /** A payQuery (`/return`, a read past expiry, reconciliation) answered; nothing applied. */
  'check:queried',
  /** A refund is reserved in the store; the gateway is not yet asked. */
  'refund:reserved',
  /** The gateway answered the refund; its outcome is not yet settled. */
  'refund:answered',
  /** The merchant took a merchant event (2xx, or `onEvent` returned); the delivery is not yet settled. */
  'webhook:sent',
] as const;

export type FaultStep = (typeof FAULT_STEPS)[number];

/**
 * Called, and awaited, at each step boundary: for crash tests only (a hook that never resolves
 * holds the process exactly there until it is killed). Not for production.
 */
export type FaultHook = (step: FaultStep) => void | Promise<void>;
