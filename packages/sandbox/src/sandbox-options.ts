import type { HashFn, Transport } from '@scanforpay/protocol';
import type { PartnerConfig } from './partner.js';

export interface SandboxOptions {
  /** Known partners; default: the one documented sandbox partner (`DEFAULT_PARTNER`). */
  partners?: readonly PartnerConfig[];
  /** Base URL that `payUrl`s point at; default: the origin of each create request. */
  publicUrl?: string;
  /** Serve the control API under `/__sandbox/`. Default false. */
  control?: boolean;
  /** Delay before each notify attempt, in ms; its length is the number of tries. */
  notifySchedule?: readonly number[];
  /** Time allowed to each notify attempt. Default 5000 ms. */
  notifyTimeoutMs?: number;
  /** How long `chaos.reorder` holds notifications before releasing them newest first. Default 200 ms. */
  reorderWindowMs?: number;
  now?: () => Date;
  /** Sends notifications. Default: global `fetch`. */
  transport?: Transport;
  hash?: HashFn;
  /** `2n` random lowercase hex characters; used for tokens, message ids and buyer ids. */
  randomHex?: (bytes: number) => string;
  /** Where unexpected errors are reported. Default `console.error`. */
  log?: (message: string) => void;
}

/** Six tries within about 40 s, the first retry after 1 s. */
export const DEFAULT_NOTIFY_SCHEDULE: readonly number[] = [0, 1000, 2000, 5000, 10_000, 20_000];
export const DEFAULT_NOTIFY_TIMEOUT_MS = 5000;
export const DEFAULT_REORDER_WINDOW_MS = 200;
/** The lifetime of an order created without a `timeoutRule`. */
export const DEFAULT_TIMEOUT_RULE = '12h';

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** `publicUrl` without its trailing slashes; throws a `TypeError` unless absolute http(s). */
export function checkPublicUrl(text: string): string {
  if (!isHttpUrl(text)) throw new TypeError(`publicUrl: an absolute http(s) URL, got "${text}"`);
  return text.replace(/\/+$/, '');
}

export function checkSchedule(schedule: readonly number[]): readonly number[] {
  if (
    schedule.length === 0 ||
    schedule.some((ms) => !Number.isInteger(ms) || ms < 0 || ms > 86_400_000)
  ) {
    throw new TypeError(
      'notifySchedule: one or more whole numbers of milliseconds, e.g. [0, 1000]',
    );
  }
  return [...schedule];
}
