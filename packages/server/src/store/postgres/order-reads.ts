import type postgres from 'postgres';
import type { Order } from '../../domain/order.js';
import { toOrder } from '../sql/row-mappers.js';
import type { SqlRow } from '../sql/sql-driver.js';
import { withRetries } from './postgres-retry.js';

/** Most orders read by one statement. */
const MAX_KEYS = 256;

interface Waiting {
  orderId: string;
  resolve: (order: Order | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * `getOrder` on Postgres, coalesced: the reads asked for in one turn of the event loop are
 * answered by one `SELECT … WHERE order_id = ANY($1)` (one round trip instead of one each).
 * Each read sees the rows committed when its statement ran, as a lone read would.
 */
export function postgresOrderReads(sql: postgres.Sql) {
  let waiting: Waiting[] = [];
  let scheduled = false;

  async function read(batch: Waiting[]): Promise<void> {
    const ids = [...new Set(batch.map((w) => w.orderId))];
    try {
      const rows = await withRetries(() =>
        sql.unsafe<SqlRow[]>('SELECT * FROM orders WHERE order_id = ANY($1::text[])', [ids], {
          prepare: true,
        }),
      );
      const found = new Map<string, SqlRow>();
      for (const row of rows) found.set(String(row.order_id), row);
      for (const w of batch) {
        const row = found.get(w.orderId);
        w.resolve(row ? toOrder(row) : undefined);
      }
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  function flush(): void {
    scheduled = false;
    while (waiting.length > 0) {
      void read(waiting.slice(0, MAX_KEYS));
      waiting = waiting.slice(MAX_KEYS);
    }
  }

  return {
    getOrder(orderId: string): Promise<Order | undefined> {
      return new Promise((resolve, reject) => {
        waiting.push({ orderId, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
  };
}
