/**
 * PHP `json_encode` (no flags) compatible JSON: compact, keys in insertion order, `/` written
 * `\/`, every non-ASCII UTF-16 unit written as lowercase `\uXXXX` (so a character outside the
 * BMP becomes a surrogate pair of two escapes). This is the byte format the production
 * ScanForPay clients sign, so it is the one we sign too.
 *
 * `JSON.stringify` already writes compact JSON, keeps insertion order and escapes `"`, `\` and
 * control characters exactly as PHP does (`\n`, `\u001f`, lowercase hex). What it leaves raw,
 * `/` and non-ASCII, can only occur inside strings, so one pass over its output finishes the job.
 *
 * Note that JavaScript objects list integer-like keys (`"1"`, `"42"`) before other keys whatever
 * the insertion order; ScanForPay field names never look like that.
 */
export function encodeJson(value: unknown): string {
  const json = JSON.stringify(value, rejectNonFinite);
  if (json === undefined) throw new TypeError('encodeJson: value is not JSON-serializable');
  return NEEDS_ESCAPE.test(json) ? json.replace(ESCAPE_ALL, escapeChar) : json;
}

const NEEDS_ESCAPE = /[/\u0080-\uffff]/;
const ESCAPE_ALL = /[/\u0080-\uffff]/g;

function escapeChar(char: string): string {
  if (char === '/') return '\\/';
  return '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0');
}

function rejectNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`encodeJson: ${value} cannot be encoded (PHP json_encode fails on it too)`);
  }
  return value;
}
