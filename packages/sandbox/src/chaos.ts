import { SandboxError } from './sandbox-error.js';
import { RESULT_CODES } from './result-codes.js';

/**
 * Misbehaviour to inject, set through `POST /__sandbox/chaos`. Each setting replaces the
 * previous one as a whole; `{}` clears everything.
 */
export interface Chaos {
  /** Send each later notification this many extra times (independent deliveries). */
  duplicate?: number;
  /** Wait this long before the first attempt of each later notification. */
  delayMs?: number;
  /** Drop (record but do not send) the next N delivery attempts; each drop counts as a failure. */
  dropFirst?: number;
  /** Hold later notifications for `reorderWindowMs` and deliver them newest first. */
  reorder?: boolean;
  /** Sign later notifications with a wrong key. */
  wrongKey?: boolean;
  /** Answer API calls with this (signed) business code instead of processing them. */
  apiCode?: number;
  /** The `msg` sent with `apiCode`. */
  apiMsg?: string;
  /** Answer API calls with this HTTP status and a plain-text body, without processing them. */
  apiStatus?: number;
  /** Process API calls, then hold the answer this long. */
  apiHangMs?: number;
  /** Apply the api* settings to the next N API calls only (default: until cleared). */
  apiTimes?: number;
}

const LIMITS = {
  duplicate: [0, 100],
  delayMs: [0, 600_000],
  dropFirst: [0, 1000],
  apiCode: [-99_999, 99_999],
  apiStatus: [200, 599],
  apiHangMs: [0, 600_000],
  apiTimes: [1, 1_000_000],
} as const;

const FLAGS = ['reorder', 'wrongKey'] as const;

/** Checks a chaos request body; throws `SandboxError` (HTTP 400) naming the bad key. */
export function parseChaos(input: unknown): Chaos {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw invalid('send a JSON object, e.g. {"duplicate":1}');
  }
  const chaos: Chaos = {};
  for (const [key, value] of Object.entries(input)) {
    if (key in LIMITS) {
      const [min, max] = LIMITS[key as keyof typeof LIMITS];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        throw invalid(`${key}: an integer from ${min} to ${max}`);
      }
      if (key === 'apiCode' && value === RESULT_CODES.success) {
        throw invalid('apiCode: 1 means success; choose a failure code such as 1099');
      }
      chaos[key as keyof typeof LIMITS] = value;
    } else if ((FLAGS as readonly string[]).includes(key)) {
      if (typeof value !== 'boolean') throw invalid(`${key}: true or false`);
      chaos[key as (typeof FLAGS)[number]] = value;
    } else if (key === 'apiMsg') {
      if (typeof value !== 'string' || value.length > 100)
        throw invalid('apiMsg: up to 100 characters');
      chaos.apiMsg = value;
    } else {
      throw invalid(`unknown chaos option "${key}"`);
    }
  }
  return chaos;
}

/** Whether any api* setting is active. */
export function hasApiChaos(chaos: Chaos): boolean {
  return (
    chaos.apiCode !== undefined || chaos.apiStatus !== undefined || chaos.apiHangMs !== undefined
  );
}

/**
 * The api* chaos for one API call, if any, and the settings left after it: `apiTimes` counts
 * down, and the api* settings end with its last call.
 */
export function takeApiChaos(chaos: Chaos): { taken: Chaos | undefined; rest: Chaos } {
  if (!hasApiChaos(chaos)) return { taken: undefined, rest: chaos };
  if (chaos.apiTimes === undefined) return { taken: chaos, rest: chaos };
  const left = chaos.apiTimes - 1;
  const rest: Chaos = { ...chaos };
  if (left > 0) rest.apiTimes = left;
  else {
    delete rest.apiCode;
    delete rest.apiMsg;
    delete rest.apiStatus;
    delete rest.apiHangMs;
    delete rest.apiTimes;
  }
  return { taken: chaos, rest };
}

function invalid(message: string): SandboxError {
  return new SandboxError(RESULT_CODES.invalidField, `chaos: ${message}`, 400);
}
