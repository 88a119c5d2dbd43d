// A fixed-window counter per key (IP, account, address), for what an attacker can repeat. Kept per process:
// with several nodes each enforces its own window, so the effective limit is the limit times the node count.
import type { Clock } from '../clock.ts';

export interface RateLimiter {
  /** Counts one attempt; false when the key is over its limit in the current window. */
  hit(key: string): boolean;
  reset(key: string): void;
}

export function createRateLimiter(clock: Clock, opts: { limit: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit(key) {
      const now = clock.now().getTime();
      const w = windows.get(key);
      if (!w || now - w.start >= opts.windowMs) {
        if (windows.size >= (opts.maxKeys ?? 100_000)) {
          for (const [k, v] of windows) if (now - v.start >= opts.windowMs) windows.delete(k);
        }
        windows.set(key, { start: now, count: 1 });
        return true;
      }
      w.count++;
      return w.count <= opts.limit;
    },
    reset: (key) => void windows.delete(key),
  };
}
