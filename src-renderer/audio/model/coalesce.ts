/**
 * Bursts of events (a dock brings five devices at once; Chromium fires
 * 'devicechange' for each) run the handler once: after `quietMs` without a
 * new event, and never later than `maxWaitMs` after the first, so a switch
 * still lands within a second. Timers are injectable for tests.
 */
export interface Timers { set(fn: () => void, ms: number): unknown; clear(h: unknown): void; now(): number }
const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>), now: () => performance.now() };

export function coalesce(fn: () => void, quietMs = 120, maxWaitMs = 350, timers: Timers = realTimers): { trigger(): void; cancel(): void } {
  let handle: unknown = null;
  let first: number | null = null;
  const fire = () => { handle = null; first = null; fn(); };
  return {
    trigger() {
      const now = timers.now();
      if (first === null) first = now;
      if (handle !== null) timers.clear(handle);
      handle = timers.set(fire, Math.max(0, Math.min(quietMs, first + maxWaitMs - now)));
    },
    cancel() { if (handle !== null) timers.clear(handle); handle = null; first = null; },
  };
}
