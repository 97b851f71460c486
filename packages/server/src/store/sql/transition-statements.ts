import { ALLOWED_FROM } from '../../domain/order.js';
import type { OutboxEvent, TransitionInput } from '../../domain/transition.js';
import type { TransitionResult } from '../order-records.js';
import { newId } from './new-id.js';
import { toOrder } from './row-mappers.js';
import type { SqlRow, SqlStatement, SqlValue } from './sql-driver.js';
import type { SqlRunner } from './sql-runner.js';

/** A further condition on a transition's compare-and-set, e.g. `expires_at <= ?`. */
export interface TransitionGuard {
  where: string;
  params: SqlValue[];
}

export function selectOrder(orderId: string): SqlStatement {
  return { sql: 'SELECT * FROM orders WHERE order_id = ?', params: [orderId] };
}

/**
 * The statements of a compare-and-set transition, its event, and the order read back. The
 * update stamps `transitionId` on the row: the read-back shows whether this unit applied it.
 * With `returning`, the update itself returns the row it changed (`UPDATE … RETURNING *`,
 * its first statement) and there is no read-back: one statement fewer on the hot paths; the
 * caller reads the order itself when nothing was returned (`returnedResult`).
 */
export function transitionStatements(
  orderId: string,
  input: TransitionInput,
  transitionId: string,
  extra?: TransitionGuard,
  returning = false,
): SqlStatement[] {
  const from = ALLOWED_FROM[input.to];
  if (from.length === 0) throw new Error(`no transition leads to ${input.to}`);
  const where = [`order_id = ?`, `status IN (${from.map((s) => `'${s}'`).join(', ')})`];
  const whereParams: SqlValue[] = [orderId];
  if (input.expectRefundedAmount !== undefined) {
    where.push('refunded_amount = ?');
    whereParams.push(input.expectRefundedAmount);
  }
  if (extra) {
    where.push(extra.where);
    whereParams.push(...extra.params);
  }
  const statements: SqlStatement[] = [
    {
      sql: `UPDATE orders SET status = ?, updated_at = ?, transition_id = ?,
              paid_at = COALESCE(paid_at, ?),
              gateway_order_no = COALESCE(gateway_order_no, ?),
              refunded_amount = COALESCE(?, refunded_amount),
              failure_code = COALESCE(?, failure_code),
              failure_message = COALESCE(?, failure_message)
            WHERE ${where.join(' AND ')}${returning ? ' RETURNING *' : ''}`,
      params: [
        input.to,
        input.at,
        transitionId,
        input.paidAt ?? (input.to === 'paid' ? input.at : null),
        input.gatewayOrderNo ?? null,
        input.refundedAmount ?? null,
        input.failureCode ?? null,
        input.failureMessage ?? null,
        ...whereParams,
      ],
    },
  ];
  if (input.event) statements.push(eventStatement(orderId, input.event, input.at, transitionId));
  if (!returning) statements.push(selectOrder(orderId));
  return statements;
}

/**
 * The result of an `UPDATE … RETURNING *` (its rows: `rows`): applied with the row it returned,
 * or not applied and the order as it stands, read after the unit (a compare-and-set that did
 * not match is the rare path: a duplicate racing another, a late answer).
 */
export async function returnedResult(
  db: SqlRunner,
  orderId: string,
  rows: SqlRow[],
): Promise<TransitionResult> {
  const row = rows[0];
  if (row) return { applied: true, order: toOrder(row) };
  const [current] = await db.one(selectOrder(orderId).sql, [orderId]);
  return { applied: false, order: current ? toOrder(current) : undefined };
}

/** Reads the order read back by `transitionStatements` (its rows: `rows`). */
export function transitionResult(rows: SqlRow[], transitionId: string): TransitionResult {
  const row = rows[0];
  return {
    applied: row !== undefined && row.transition_id === transitionId,
    order: row ? toOrder(row) : undefined,
  };
}

/** A transition on its own, as one unit. */
export async function runTransition(
  db: SqlRunner,
  orderId: string,
  input: TransitionInput,
  extra?: TransitionGuard,
): Promise<TransitionResult> {
  const id = input.event?.eventId ?? newId();
  const results = await db.run(transitionStatements(orderId, input, id, extra));
  return transitionResult(results.at(-1)!, id);
}

/** The event is written only if the order carries this unit's transition id. */
function eventStatement(
  orderId: string,
  event: OutboxEvent,
  at: number,
  transitionId: string,
): SqlStatement {
  return {
    sql: `INSERT INTO outbox (event_id, type, order_id, payload, created_at, next_attempt_at)
          SELECT CAST(? AS TEXT), CAST(? AS TEXT), order_id, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
          FROM orders WHERE order_id = ? AND transition_id = ?`,
    params: [event.eventId, event.type, event.payload, at, at, orderId, transitionId],
  };
}
