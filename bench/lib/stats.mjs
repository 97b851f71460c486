// Medians with their spread, and number formatting for the report.

/** @param {number[]} xs */
export function spread(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], n: s.length };
}

/** `8,912` */
export function int(x) {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '–';
}

/** `1.23` */
export function fixed(x, digits = 2) {
  return Number.isFinite(x) ? x.toFixed(digits) : '–';
}

/** `8,912 (8,700–9,050)` */
export function intSpread(s) {
  if (!s) return '–';
  return `${int(s.median)} (${int(s.min)}–${int(s.max)})`;
}

/** latency in ms: `3.0 (2.9–3.2)` */
export function msSpread(s) {
  if (!s) return '–';
  const d = s.median < 10 ? 1 : 0;
  return `${fixed(s.median, d)} (${fixed(s.min, d)}–${fixed(s.max, d)})`;
}

/** `12.3 kB` */
export function bytes(n) {
  if (!Number.isFinite(n)) return '–';
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KiB`;
}
