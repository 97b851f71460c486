import type { NotificationOutcome } from '../domain/notification.js';
import type { TransitionInput } from '../domain/transition.js';
import type { TransitionResult } from './order-records.js';

/** Every notification received, verified or not, with how it ended. */
export interface NotificationLog {
  recordNotification(input: NotificationInput): Promise<NotificationResult>;
  listNotifications(orderId?: string): Promise<StoredNotification[]>;
  /**
   * Records a notification that failed verification (`rejected`, unverified) and, in the same
   * transaction, deletes the oldest rejected ones beyond the newest `keep`.
   */
  recordRejectedNotification(input: RejectedNotificationInput): Promise<RejectedNotificationResult>;
}

export interface NotificationInput {
  orderId: string | null;
  dedupeKey: string | null;
  rawBody: string;
  verified: boolean;
  /** Used when there is no transition; otherwise the store derives it. */
  outcome: NotificationOutcome;
  reason: string | null;
  receivedAt: number;
  /** Applied in the same transaction as the notification row is written. */
  transition?: { orderId: string; input: TransitionInput };
}

export interface NotificationResult extends TransitionResult {
  id: number;
  outcome: NotificationOutcome;
}

/** A notification that failed verification: no order is touched. */
export interface RejectedNotificationInput {
  /** What is kept of the body: its first 8 KiB, or `''` when only a digest is kept (in `reason`). */
  rawBody: string;
  reason: string;
  receivedAt: number;
  /** Keep at most this many rejected notifications, the newest; older ones are deleted with this write. */
  keep: number;
}

export interface RejectedNotificationResult {
  id: number;
  /** Older rejected notifications deleted to stay within `keep`. */
  pruned: number;
}

export interface StoredNotification {
  id: number;
  orderId: string | null;
  dedupeKey: string | null;
  rawBody: string;
  verified: boolean;
  outcome: NotificationOutcome;
  reason: string | null;
  receivedAt: number;
}
