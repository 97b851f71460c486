/**
 * How long after its creation a pending order is first checked with payQuery, unless the
 * proxy is configured otherwise (`reconcileAfterMs`, `RECONCILE_AFTER`).
 */
export const FIRST_CHECK_AFTER_MS = 60_000;
