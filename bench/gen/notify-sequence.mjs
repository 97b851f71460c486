// Body generator for the load worker: signed notifications, each for its own order, with a
// share of exact duplicates (a byte-identical resend of one already sent) mixed in.
// kind: `new` (first notification of an order), `dup` (a resend), `reused` (the unique bodies ran
// out, so this is a resend too, counted apart so the report can tell).
import { readFileSync } from 'node:fs';

/** @param {{file: string, dupRatio: number, seed?: number, offset?: number}} options */
export default function notifySequence(options) {
  /** @type {string[]} offset: skip the orders an earlier run already notified */
  const unique = JSON.parse(readFileSync(options.file, 'utf8')).slice(options.offset ?? 0);
  let state = options.seed ?? 42;
  const random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let sent = 0;
  return () => {
    if (sent > 0 && random() < options.dupRatio) {
      // A resend of one of the last 1,000 sent, as a gateway retrying would.
      const i = sent - 1 - Math.floor(random() * Math.min(sent, 1000));
      return { body: unique[i], kind: 'dup' };
    }
    if (sent >= unique.length) {
      return { body: unique[Math.floor(random() * unique.length)], kind: 'reused' };
    }
    return { body: unique[sent++], kind: 'new' };
  };
}
