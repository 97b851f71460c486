/** Fixed-window hit counts in the store, shared by every process or isolate that uses it. */
export interface RateCounter {
  /**
   * Counts one hit for `key` in the window that starts at `windowStart` (epoch ms) and returns
   * the window's hits so far, this one included. Windows that started before `forgetBefore`
   * are deleted in the same unit.
   */
  countHit(key: string, windowStart: number, forgetBefore: number): Promise<number>;
}
