/** Merchant events waiting for delivery, and the webhook endpoints they go to. */
export interface EventOutbox {
  /**
   * Claims up to `limit` due events for delivery: each claimed event's `nextAttemptAt` moves to
   * `now + leaseMs`, so another process (or this one after a crash) takes it again only once the
   * lease has passed. Race-free across processes sharing the database.
   */
  claimEvents(query: { now: number; limit: number; leaseMs: number }): Promise<ClaimedEvent[]>;
  /** Settles a claimed delivery; false when the claim was lost (the lease passed and another took it). */
  settleEvent(eventId: string, claim: string, settlement: EventSettlement): Promise<boolean>;
  listEvents(orderId?: string): Promise<OutboxRecord[]>;
  /** One event by its id (`webhook-id`). */
  getEvent(eventId: string): Promise<OutboxRecord | undefined>;
  /** The newest `limit` events of every order, newest first. */
  recentEvents(limit: number): Promise<OutboxRecord[]>;
  /** What waits for delivery (neither delivered nor given up), and what was given up. */
  outboxBacklog(): Promise<OutboxBacklog>;
  /**
   * The events waiting for delivery (neither delivered nor given up): how many, and when the
   * oldest was created. One read of the due-events index, cheap enough for every metrics scrape.
   */
  outboxWaiting(): Promise<{ waiting: number; oldestCreatedAt: number | null }>;
  /**
   * Sends one event again: delivered, given up or waiting, it becomes due at `now` (an event
   * past its 72-hour window gets one more attempt), its last error cleared. False when there is
   * no such event or a delivery holds it.
   */
  resendEvent(eventId: string, now: number): Promise<boolean>;
  /**
   * Makes every undelivered, unclaimed event due at `now` (e.g. when a disabled endpoint is
   * enabled again); returns how many. Events held by a claim keep it.
   */
  retryEventsNow(now: number): Promise<number>;
  /** A webhook endpoint that answered 410 Gone stays disabled until re-enabled. */
  getEndpoint(url: string): Promise<EndpointState | undefined>;
  setEndpoint(url: string, disabled: { at: number; reason: string } | null): Promise<void>;
}

export interface OutboxBacklog {
  /** Events neither delivered nor given up. */
  waiting: number;
  /** When the oldest of them was created (epoch ms); null when none waits. */
  oldestCreatedAt: number | null;
  givenUp: number;
}

export interface OutboxRecord {
  eventId: string;
  type: string;
  orderId: string | null;
  /** JSON text: the Standard Webhooks payload `{type, timestamp, data}`. */
  payload: string;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  deliveredAt: number | null;
  /** Set when delivery gave up (72 hours of failures). */
  givenUpAt: number | null;
  lastError: string | null;
}

export interface ClaimedEvent extends OutboxRecord {
  /** Fences the settlement: only the holder of the latest claim can settle. */
  claim: string;
}

export type EventSettlement =
  | { outcome: 'delivered'; at: number }
  | { outcome: 'retry'; at: number; nextAttemptAt: number; error: string }
  | { outcome: 'given_up'; at: number; error: string }
  /** Put back untouched (not counted as an attempt), e.g. while the endpoint is disabled. */
  | { outcome: 'released'; nextAttemptAt: number };

export interface EndpointState {
  url: string;
  disabledAt: number | null;
  reason: string | null;
}
