/**
 * `timeoutRule` on create: a positive whole number of minutes, hours or days, e.g. `90m`, `12h`.
 * No decimals (`1.5h` is refused by the gateway: write `90m`). The gateway's `c` (close at
 * midnight) is documented only for `it_b_pay` and is not accepted here.
 */
export const TIMEOUT_RULE = /^[1-9][0-9]*[mhd]$/;

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** The longest order lifetime the gateway accepts (`it_b_pay`: 1m–15d). */
export const MAX_TIMEOUT_MS = 15 * UNIT_MS.d;

/**
 * `30m` → 1 800 000. Throws a `RangeError` whose message starts with the rule in quotes
 * (`"1.5h": use minutes, hours or days, e.g. 30m`) for anything the gateway would refuse, so
 * callers can prefix the name of their option or field.
 */
export function parseTimeoutRule(rule: string): number {
  if (!TIMEOUT_RULE.test(rule)) {
    throw new RangeError(`"${rule}": use minutes, hours or days, e.g. 30m`);
  }
  const ms = lifetimeOf(rule);
  if (ms > MAX_TIMEOUT_MS) throw new RangeError(`"${rule}": at most 15d`);
  return ms;
}

/** Whether the gateway would accept `rule` as a create's `timeoutRule`. */
export function isTimeoutRule(rule: string): boolean {
  return TIMEOUT_RULE.test(rule) && lifetimeOf(rule) <= MAX_TIMEOUT_MS;
}

function lifetimeOf(rule: string): number {
  return Number(rule.slice(0, -1)) * UNIT_MS[rule.slice(-1) as keyof typeof UNIT_MS];
}
