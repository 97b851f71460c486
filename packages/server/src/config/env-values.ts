import { parseTimeoutRule } from '@scanforpay/protocol';

/**
 * Readers of one variable's trimmed text. Each returns the option's value or throws
 * `InvalidValue` with a phrase that follows the variable's name; `readEnvTable` adds the name.
 */

/** A variable's text is wrong; the message follows its name (`RATE_LIMIT: …`). */
export class InvalidValue extends Error {
  override readonly name = 'InvalidValue';
}

export type ValueReader<T> = (raw: string) => T;

/** A whole number in `[min, max]`. */
export function wholeNumber(min: number, max: number): ValueReader<number> {
  return (raw) => {
    if (!/^[0-9]+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new InvalidValue(`a whole number from ${min} to ${max}`);
    }
    return Number(raw);
  };
}

/** The text as it is, when `problem` (a check from `checks.ts`) finds nothing wrong. */
export function checkedBy(problem: (raw: string) => string | undefined): ValueReader<string> {
  return (raw) => {
    const found = problem(raw);
    if (found !== undefined) throw new InvalidValue(found);
    return raw;
  };
}

/** At most `max` characters. */
export function atMost(max: number): ValueReader<string> {
  return checkedBy((raw) => (raw.length > max ? `at most ${max} characters` : undefined));
}

/** One of `values`, exactly. */
export function oneOf<T extends string>(values: readonly T[]): ValueReader<T> {
  return (raw) => {
    if (!(values as readonly string[]).includes(raw)) {
      throw new InvalidValue(`one of ${values.join(', ')}`);
    }
    return raw as T;
  };
}

/** An absolute http(s) URL, kept as written. */
export function httpUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    // Reported below.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new InvalidValue('must be an absolute http(s) URL');
  }
  return raw;
}

/** Comma-separated origins like `https://shop.example`, each without a path. */
export function origins(raw: string): string[] {
  return raw.split(',').map((part) => {
    const origin = part.trim();
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      throw new InvalidValue(`"${origin}" is not an origin like https://shop.example`);
    }
    if (
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.origin !== origin.replace(/\/$/, '')
    ) {
      throw new InvalidValue(`"${origin}" is not an origin like https://shop.example (no path)`);
    }
    return url.origin;
  });
}

/** Comma-separated host names, lower-cased; empty entries dropped. */
export function hosts(raw: string): string[] {
  return raw
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
}

/** `false`/`0`, `true` (one hop), or the number of proxy hops up to 10. */
export function trustProxy(raw: string): boolean | number {
  if (raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  return wholeNumber(0, 10)(raw);
}

/** A `timeoutRule` the gateway accepts (`30m`, `2h`, `1d`; up to 15 days), kept as written. */
export function timeoutRule(raw: string): string {
  try {
    parseTimeoutRule(raw);
  } catch (error) {
    throw new InvalidValue((error as Error).message);
  }
  return raw;
}

const DURATION_UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** A duration such as `60s` or `2m`, in ms, from 10 s to 1 h. */
export function reconcileDelay(raw: string): number {
  const match = /^([0-9]+)([smh])$/.exec(raw);
  const ms = match
    ? Number(match[1]) * DURATION_UNIT_MS[match[2] as keyof typeof DURATION_UNIT_MS]
    : NaN;
  if (!(ms >= 10_000 && ms <= 3_600_000)) {
    throw new InvalidValue(`"${raw}": from 10s to 1h, e.g. 60s or 2m`);
  }
  return ms;
}

/** Whole days from 1 to 36500, or `0` / `off` (keep everything, read as 0). */
export function retentionDays(raw: string): number {
  if (raw.toLowerCase() === 'off') return 0;
  if (!/^[0-9]{1,5}$/.test(raw) || Number(raw) > 36_500) {
    throw new InvalidValue(`"${raw}": whole days from 1 to 36500, or 0 or off to keep everything`);
  }
  return Number(raw);
}
