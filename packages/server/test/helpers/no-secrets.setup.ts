import { afterAll, expect } from 'vitest';
import { SECRETS, traffic } from './traffic.js';

// Runs after every test file: the sign key and the token secret appear in no response body,
// no header and no log line that the file produced.
afterAll(() => {
  for (const secret of SECRETS) {
    const leaks = traffic.filter((entry) => entry.includes(secret));
    expect(leaks, `secret leaked into ${leaks.length} captured lines`).toEqual([]);
  }
});
