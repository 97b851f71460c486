/** Wrong tokens tolerated before each attempt has to wait. */
export const FREE_ATTEMPTS = 10;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;
/** Clients remembered at once; the longest-quiet one is forgotten first. */
const MAX_CLIENTS = 10_000;

export interface SignInBackoff {
  /** 0 when the client may try now, else how long it must still wait (ms). */
  waitMs(client: string): number;
  failed(client: string): void;
  succeeded(client: string): void;
}

/**
 * Slows guessing of the admin token: after `FREE_ATTEMPTS` wrong tokens from one client, each
 * further attempt must wait 1 s, 2 s, 4 s… (at most 15 minutes) after the last wrong one, and
 * an attempt made too early is refused without being checked. The state is this process's (an
 * isolate's on Workers); the token's length is the real defence, this is the brake.
 */
export function signInBackoff(clock: () => number): SignInBackoff {
  const clients = new Map<string, { failures: number; lastAt: number }>();
  const delay = (failures: number) =>
    failures < FREE_ATTEMPTS
      ? 0
      : Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_ATTEMPTS));
  return {
    waitMs(client) {
      const state = clients.get(client);
      if (!state) return 0;
      return Math.max(0, state.lastAt + delay(state.failures) - clock());
    },
    failed(client) {
      const state = clients.get(client) ?? { failures: 0, lastAt: 0 };
      clients.delete(client);
      clients.set(client, { failures: state.failures + 1, lastAt: clock() });
      if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    },
    succeeded(client) {
      clients.delete(client);
    },
  };
}
