const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const RULE = /^([1-9][0-9]{0,8})([mhd])$/;

/** The documented default order lifetime. */
export const DEFAULT_TIMEOUT_RULE = '12h';
/** Longest lifetime accepted, as for `it_b_pay` (1m–15d). */
export const MAX_TIMEOUT_MS = 15 * UNIT_MS.d;

/**
 * Parses a `timeoutRule` such as `90m`, `12h` or `3d` into milliseconds.
 * Returns `undefined` for anything else (decimals such as `1.5h` are refused, as documented).
 */
export function parseTimeoutRule(rule: string): number | undefined {
  const match = RULE.exec(rule);
  if (!match) return undefined;
  const unit = match[2] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}
