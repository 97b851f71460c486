/* global AbortSignal */
// The end state: every order as the gateway (the sandbox's control API) sees it against the
// proxy's own rows. Paid at the gateway ⇒ paid (or refunded by the same amount) at the proxy;
// never expired, failed or pending once the proxy has had its chance to reconcile.

const PAIDISH = new Set(['paid', 'partially_refunded', 'refunded']);

export async function gatewayOrders(sandboxUrl) {
  const res = await fetch(`${sandboxUrl}/__sandbox/orders`, {
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok) throw new Error(`GET /__sandbox/orders ${res.status}`);
  const { orders } = await res.json();
  return new Map(orders.map((o) => [o.partnerOrderNo, o]));
}

/**
 * @param {Map<string, any>} gateway partnerOrderNo → OrderView
 * @param {any[]} proxyRows orders table rows
 * @param {any[]} refundRows refunds table rows
 */
export function compare(gateway, proxyRows, refundRows, now = Date.now()) {
  const mismatches = [];
  const summary = {};
  const seen = new Set();
  const add = (kind, row, g, extra = {}) =>
    mismatches.push({
      kind,
      orderId: row?.order_id ?? g?.partnerOrderNo,
      proxy: row
        ? {
            status: row.status,
            refunded: Number(row.refunded_amount),
            created: new Date(Number(row.created_at)).toISOString(),
            expires: new Date(Number(row.expires_at)).toISOString(),
            updated: new Date(Number(row.updated_at)).toISOString(),
            checks: Number(row.checks),
            nextCheck:
              row.next_check_at == null ? null : new Date(Number(row.next_check_at)).toISOString(),
          }
        : null,
      gateway: g
        ? {
            state: g.state,
            refunded: g.refundedAmount,
            payTime: g.payTime ?? null,
            expiresAt: g.expiresAt,
          }
        : null,
      ...extra,
    });
  for (const row of proxyRows) {
    seen.add(row.order_id);
    const g = gateway.get(row.order_id);
    const status = row.status;
    const refunded = Number(row.refunded_amount);
    let gstate = g?.state ?? 'absent';
    if (gstate === 'pending' && Date.parse(g.expiresAt) <= now) gstate = 'expired';
    const key = `${gstate} → ${status}`;
    summary[key] = (summary[key] ?? 0) + 1;
    if (!g) {
      if (status !== 'failed') add(`${status} at the proxy, unknown at the gateway`, row, g);
      continue;
    }
    if (gstate === 'paid' || gstate === 'refunded') {
      const want =
        gstate === 'refunded' ? 'refunded' : g.refundedAmount > 0 ? 'partially_refunded' : 'paid';
      if (status !== want)
        add(
          `${gstate}${g.refundedAmount > 0 ? ` (refunded ${g.refundedAmount})` : ''} at the gateway, ${status} at the proxy`,
          row,
          g,
        );
      else if (refunded !== g.refundedAmount)
        add(`refunded ${g.refundedAmount} at the gateway, ${refunded} at the proxy`, row, g);
    } else if (PAIDISH.has(status)) {
      add(`${gstate} at the gateway, ${status} at the proxy`, row, g);
    }
  }
  for (const [id, g] of gateway) {
    if (!seen.has(id) && (g.state === 'paid' || g.state === 'refunded')) {
      add(`${g.state} at the gateway, no order at the proxy`, undefined, g);
    }
  }
  const pendingRefunds = refundRows.filter((r) => r.status === 'pending');
  for (const r of pendingRefunds) {
    mismatches.push({
      kind: 'refund still pending at the proxy',
      orderId: r.order_id,
      refundNo: r.refund_no,
      amount: Number(r.amount),
    });
  }
  return {
    checked: proxyRows.length,
    gatewayOrders: gateway.size,
    summary,
    mismatches,
    pendingRefunds,
  };
}

/** Whether waiting can still change a mismatch: the proxy reconciles only pending orders. */
export function stillMoving(mismatch) {
  return (
    mismatch.proxy?.status === 'pending' || mismatch.kind === 'refund still pending at the proxy'
  );
}
