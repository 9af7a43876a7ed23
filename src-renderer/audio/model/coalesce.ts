/**
 * Bursts of events (a dock brings five devices at once; Chromium fires
 * 'devicechange' for each) run the handler once: after `quietMs` without a
 * new event, and never later than `maxWaitMs` after the first, so a switch
 * still lands within a second. An urgent event (the live microphone's track
 * ended: the customer hears nothing until it moves) shortens the wait of its
 * burst to `urgentMs`, still long enough to take in the events fired with it.
 * Timers are injectable for tests.
 */
export interface Timers { set(fn: () => void, ms: number): unknown; clear(h: unknown): void; now(): number }
const realTimers: Timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>), now: () => performance.now() };

export interface CoalesceOptions { quietMs?: number; maxWaitMs?: number; urgentMs?: number; timers?: Timers }

/** `fn` gets the time of the burst's first event (to log how long the whole reaction took). */
export function coalesce(fn: (firstAt: number) => void, o: CoalesceOptions = {}): { trigger(urgent?: boolean): void; cancel(): void } {
  const { quietMs = 120, maxWaitMs = 350, urgentMs = 30, timers = realTimers } = o;
  let handle: unknown = null;
  let first: number | null = null;
  let urgentBurst = false;
  const fire = () => { const at = first ?? timers.now(); handle = null; first = null; urgentBurst = false; fn(at); };
  return {
    trigger(urgent = false) {
      const now = timers.now();
      if (first === null) first = now;
      if (urgent) urgentBurst = true;
      if (handle !== null) timers.clear(handle);
      const quiet = urgentBurst ? Math.min(urgentMs, quietMs) : quietMs;
      handle = timers.set(fire, Math.max(0, Math.min(quiet, first + maxWaitMs - now)));
    },
    cancel() { if (handle !== null) timers.clear(handle); handle = null; first = null; urgentBurst = false; },
  };
}
