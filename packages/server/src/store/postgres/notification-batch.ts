import type postgres from 'postgres';
import type { NotificationOutcome } from '../../domain/notification.js';
import { ALLOWED_FROM } from '../../domain/order.js';
import type { NotificationInput, NotificationResult } from '../notification-log.js';
import { newId } from '../sql/new-id.js';
import { toOrder } from '../sql/row-mappers.js';
import { toNumber, type SqlRow } from '../sql/sql-driver.js';
import { postgresGroupCommit } from './group-commit.js';
import { withRetries } from './postgres-retry.js';

/**
 * Verified notifications of many requests, and the transitions and events they carry, written
 * by ONE statement (one round trip, one commit): each request's unit is a row of the arrays it
 * binds. Per unit it does what `sqlNotificationLog` does with three statements in a
 * transaction: the order's compare-and-set update stamped with the unit's transition id, the
 * event written only if that update applied, and the notification row whose outcome is decided
 * from what the update did. The orders are first locked in key order (`FOR UPDATE`, which also
 * reads their latest committed version), so two batches never deadlock and every outcome is
 * decided on what the unit's own update saw. A batch holds at most one transition per order;
 * another for the same order waits for a later batch.
 */
const BATCH_SQL = `
WITH input AS MATERIALIZED (
  SELECT u.*, nextval(pg_get_serial_sequence('notifications', 'id')) AS nid
  FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[], $7::bigint[],
              $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[],
              $14::text[], $15::bigint[], $16::text[], $17::text[], $18::bigint[], $19::text[],
              $20::text[])
    WITH ORDINALITY AS u(n_order, n_dedupe, n_raw, n_verified, n_outcome, n_reason, n_received,
      t_order, t_id, t_to, t_from, t_at, t_paid_at, t_gw, t_refunded, t_fail_code, t_fail_msg,
      t_expect_refunded, e_type, e_payload, i)
),
locked AS MATERIALIZED (
  SELECT * FROM orders WHERE order_id IN (SELECT t_order FROM input WHERE t_order IS NOT NULL)
  ORDER BY order_id FOR UPDATE
),
upd AS (
  UPDATE orders o SET status = u.t_to, updated_at = u.t_at, transition_id = u.t_id,
    paid_at = COALESCE(o.paid_at, u.t_paid_at),
    gateway_order_no = COALESCE(o.gateway_order_no, u.t_gw),
    refunded_amount = COALESCE(u.t_refunded, o.refunded_amount),
    failure_code = COALESCE(u.t_fail_code, o.failure_code),
    failure_message = COALESCE(u.t_fail_msg, o.failure_message)
  FROM input u JOIN locked l ON l.order_id = u.t_order
  WHERE o.order_id = u.t_order
    AND o.status = ANY (string_to_array(u.t_from, ','))
    AND (u.t_expect_refunded IS NULL OR o.refunded_amount = u.t_expect_refunded)
  RETURNING o.*
),
decided AS MATERIALIZED (
  SELECT u.i, u.nid, u.n_order, u.n_dedupe, u.n_raw, u.n_verified, u.n_reason, u.n_received,
    u.t_order,
    CASE
      WHEN u.t_id IS NULL THEN u.n_outcome
      WHEN EXISTS (SELECT 1 FROM upd WHERE upd.transition_id = u.t_id) THEN 'applied'
      WHEN NOT EXISTS (SELECT 1 FROM locked l WHERE l.order_id = u.t_order) THEN 'unknown_order'
      WHEN EXISTS (SELECT 1 FROM locked l WHERE l.order_id = u.t_order AND l.status = u.t_to)
        THEN 'duplicate'
      ELSE 'ignored'
    END AS outcome
  FROM input u
),
ins AS (
  INSERT INTO notifications (id, order_id, dedupe_key, raw_body, verified, outcome, reason, received_at)
  OVERRIDING SYSTEM VALUE
  SELECT nid, n_order, n_dedupe, n_raw, n_verified, outcome, n_reason, n_received FROM decided
),
ev AS (
  INSERT INTO outbox (event_id, type, order_id, payload, created_at, next_attempt_at)
  SELECT u.t_id, u.e_type, upd.order_id, u.e_payload, u.t_at, u.t_at
  FROM upd JOIN input u ON u.t_id = upd.transition_id
  WHERE u.e_type IS NOT NULL
)
SELECT d.i AS batch_index, d.nid AS batch_id, d.outcome AS batch_outcome, o.*
FROM decided d
LEFT JOIN (
  SELECT * FROM upd
  UNION ALL
  SELECT * FROM locked l WHERE NOT EXISTS (SELECT 1 FROM upd WHERE upd.order_id = l.order_id)
) o ON o.order_id = d.t_order
ORDER BY d.i`;

/** The columns of one unit, in the order of the statement's arrays. */
type Unit = readonly (string | number | null)[];

/** A notification as its row of the statement's arrays (see `BATCH_COLUMNS`). */
function toUnit(input: NotificationInput): Unit {
  const change = input.transition?.input;
  const from = change ? ALLOWED_FROM[change.to] : [];
  if (change && from.length === 0) throw new Error(`no transition leads to ${change.to}`);
  return [
    input.orderId,
    input.dedupeKey,
    input.rawBody,
    input.verified ? 1 : 0,
    input.outcome,
    input.reason,
    input.receivedAt,
    input.transition?.orderId ?? null,
    change ? (change.event?.eventId ?? newId()) : null,
    change?.to ?? null,
    change ? from.join(',') : null,
    change?.at ?? null,
    change ? (change.paidAt ?? (change.to === 'paid' ? change.at : null)) : null,
    change?.gatewayOrderNo ?? null,
    change?.refundedAmount ?? null,
    change?.failureCode ?? null,
    change?.failureMessage ?? null,
    change?.expectRefundedAmount ?? null,
    change?.event?.type ?? null,
    change?.event?.payload ?? null,
  ];
}

/** Column 7 of a unit: the order its transition is for (null without one). */
const TRANSITION_ORDER = 7;

function toResult(row: SqlRow): NotificationResult {
  const outcome = row.batch_outcome as NotificationOutcome;
  return {
    id: toNumber(row.batch_id),
    outcome,
    applied: outcome === 'applied',
    order: row.order_id === null || row.order_id === undefined ? undefined : toOrder(row),
  };
}

/**
 * `recordNotification` on Postgres, group-committed as one statement per group: requests
 * queued while `groups` statements are in flight share the next one, each answered after its
 * commit (a statement is its own transaction).
 */
export function postgresNotificationBatch(
  sql: postgres.Sql,
  options: { groups: number; maxUnits?: number },
) {
  async function runBatch(units: readonly Unit[]): Promise<NotificationResult[]> {
    const columns = BATCH_COLUMNS.map((_, c) => units.map((unit) => unit[c] ?? null));
    const rows = await sql.unsafe<SqlRow[]>(
      BATCH_SQL,
      columns as unknown as postgres.ParameterOrJSON<never>[],
      { prepare: true },
    );
    if (rows.length !== units.length) {
      throw new Error(`notification batch: ${rows.length} rows for ${units.length} units`);
    }
    return Array.from(rows, toResult);
  }

  const group = postgresGroupCommit<Unit, NotificationResult>({
    runGroup: runBatch,
    runAlone: (unit) => withRetries(async () => (await runBatch([unit]))[0]!),
    maxInFlight: options.groups,
    maxUnits: options.maxUnits ?? 64,
    // At most one transition per order in a statement: its outcome depends on the one before.
    fits: (batch, unit) =>
      unit[TRANSITION_ORDER] === null ||
      !batch.some((other) => other[TRANSITION_ORDER] === unit[TRANSITION_ORDER]),
  });

  return {
    recordNotification: (input: NotificationInput) => group.write(toUnit(input)),
    drained: () => group.drained(),
  };
}

/** The arrays' names, for their count; the statement binds them as `$1`…`$20`. */
const BATCH_COLUMNS = [
  'n_order',
  'n_dedupe',
  'n_raw',
  'n_verified',
  'n_outcome',
  'n_reason',
  'n_received',
  't_order',
  't_id',
  't_to',
  't_from',
  't_at',
  't_paid_at',
  't_gw',
  't_refunded',
  't_fail_code',
  't_fail_msg',
  't_expect_refunded',
  'e_type',
  'e_payload',
] as const;
