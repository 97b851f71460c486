/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | null;

/** One statement with `?` placeholders (drivers for `$n` engines rewrite them once). */
export interface SqlStatement {
  sql: string;
  params: readonly SqlValue[];
}

export type SqlRow = Record<string, unknown>;

/**
 * The little an engine must do for `createSqlStore`: run statements and return their rows.
 * Several statements run as one atomic unit (a transaction, or a D1 batch), in order, each
 * seeing the effects of the ones before it. Nothing else is needed: every decision the store
 * makes inside a unit is written into the SQL itself, so engines without interactive
 * transactions (D1) keep the same guarantees as SQLite and Postgres.
 */
export interface SqlDriver {
  /** `sqlite`, `postgres`, `d1`. */
  readonly engine: string;
  /** Postgres locks claimed rows with `FOR UPDATE SKIP LOCKED`; the SQLite family writes one at a time. */
  readonly dialect: 'sqlite' | 'postgres';
  run(statements: readonly SqlStatement[]): Promise<SqlRow[][]>;
  close(): Promise<void>;
}

/**
 * The store cannot serve this call right now: another connection held the lock for longer
 * than the driver waits, a lock or statement timeout ran out (nothing of the unit was written),
 * or D1 failed transiently (a lost connection may hide a batch that committed). The caller may
 * repeat it with its idempotency key; the proxy answers 503 `store_unavailable` with
 * `Retry-After: retryAfterSeconds`.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  readonly code = 'store_unavailable';
  readonly retryAfterSeconds: number;

  constructor(message: string, options: { cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, { cause: options.cause });
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }
}

/** `?` → `$1, $2, …` for Postgres; the store's SQL never has a `?` inside a literal. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Postgres returns BIGINT as text; every engine's integers become numbers here. */
export function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function toNumberOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : toNumber(value);
}
