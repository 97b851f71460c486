/** How a notification ended: applied, a duplicate, or refused and why. */
export const NOTIFICATION_OUTCOMES = [
  'applied',
  'duplicate',
  'ignored',
  'rejected',
  'mismatch',
  'unknown_order',
] as const;
export type NotificationOutcome = (typeof NOTIFICATION_OUTCOMES)[number];
