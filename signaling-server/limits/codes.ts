/**
 * Limits on short numeric invite codes. A code has only log2(10^digits) bits
 * (26.6 for 8 digits), so what makes guessing hopeless is how many wrong
 * guesses the system lets anyone make while codes are live (the math is in
 * docs/OPERATIONS.md, "Short codes"):
 *  - per code: single use, short life (`codeTtlSec`), so each code is exposed briefly;
 *  - per address: `maxFailuresPerAddress` wrong codes in `windowSec`, then locked out `lockoutSec`;
 *  - globally (the whole cluster when the counters live in Redis): at most
 *    `globalFailuresPerWindow` wrong codes per `windowSec`; then code entry
 *    pauses for everyone, and every further trip of the budget within a day
 *    doubles the pause up to 24 h. A sustained attack therefore gets about
 *    `globalFailuresPerWindow` guesses per day, whatever number of addresses it
 *    owns. Invite links (128 bits) keep working throughout.
 */
export interface CodeLimitConfig {
  digits: number;
  codeTtlSec: number;
  maxFailuresPerAddress: number;
  windowSec: number;
  lockoutSec: number;
  globalFailuresPerWindow: number;
  /** Attempts one address may have in flight on this node at once (the rest wait their turn: 429). */
  maxConcurrentPerAddress?: number;
}

/** Windowed counters with expiry; memory here, Redis in signaling-server/redis/. */
export interface CounterStore {
  /** Increment `key` atomically, (re)arming its expiry on first increment; returns the new value. */
  incr(key: string, ttlSec: number): Promise<number>;
  /** Decrement `key` if it still exists (an attempt given back); never creates it. */
  decr(key: string): Promise<void>;
  get(key: string): Promise<number>;
  /** Set a flag with expiry (lockouts). */
  setFlag(key: string, ttlSec: number): Promise<void>;
  /** Remaining ms of a flag, 0 when absent. */
  flagTtlMs(key: string): Promise<number>;
}

export class MemoryCounterStore implements CounterStore {
  private counters = new Map<string, { n: number, until: number }>();
  private flags = new Map<string, number>();
  constructor(private readonly now: () => number = Date.now, private readonly maxKeys = 100_000) {}
  async incr(key: string, ttlSec: number): Promise<number> {
    const t = this.now();
    const c = this.counters.get(key);
    if (!c || c.until <= t) {
      if (this.counters.size >= this.maxKeys) this.sweep(t);
      this.counters.set(key, { n: 1, until: t + ttlSec * 1000 });
      return 1;
    }
    c.n++;
    return c.n;
  }
  async decr(key: string): Promise<void> {
    const c = this.counters.get(key);
    if (c && c.until > this.now() && c.n > 0) c.n--;
  }
  async get(key: string): Promise<number> {
    const c = this.counters.get(key);
    return c && c.until > this.now() ? c.n : 0;
  }
  async setFlag(key: string, ttlSec: number): Promise<void> { this.flags.set(key, this.now() + ttlSec * 1000); }
  async flagTtlMs(key: string): Promise<number> {
    const until = this.flags.get(key);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left <= 0) { this.flags.delete(key); return 0; }
    return left;
  }
  private sweep(t: number): void {
    for (const [k, c] of this.counters) if (c.until <= t) this.counters.delete(k);
    // Still full of live keys: drop the oldest; an attacker cycling addresses gains nothing the global budget does not cap.
    while (this.counters.size >= this.maxKeys) { const k = this.counters.keys().next().value; if (k === undefined) break; this.counters.delete(k); }
  }
}

export type CodeGate = { ok: true } | { ok: false, reason: 'address_locked' | 'global_paused' | 'address_busy', retryAfterMs: number };
/** A counted attempt: call `done` once the lookup has answered. */
export type CodeAttempt = { ok: true, done(right: boolean): Promise<void> } | Exclude<CodeGate, { ok: true }>;

export const DEFAULT_MAX_CONCURRENT_PER_ADDRESS = 2;

/**
 * Attempts are counted before the code is looked up, with one atomic
 * increment per counter (INCR in Redis): a burst of parallel guesses cannot
 * all pass a check made before any of them failed. A right code gives its
 * attempt back. Concurrent attempts per address are capped on this node.
 */
export class CodeAttemptGuard {
  private readonly inflight = new Map<string, number>();
  constructor(private readonly cfg: CodeLimitConfig, private readonly store: CounterStore) {}

  /** Cheap pre-check (flags only) before reading a request body; `begin` is what counts. */
  async check(address: string): Promise<CodeGate> {
    const locked = await this.store.flagTtlMs(`codelock:${address}`);
    if (locked > 0) return { ok: false, reason: 'address_locked', retryAfterMs: locked };
    const paused = await this.store.flagTtlMs('codepause');
    if (paused > 0) return { ok: false, reason: 'global_paused', retryAfterMs: paused };
    return { ok: true };
  }

  /** Count one attempt for `address` before its lookup; refused when over a budget or too many are in flight. */
  async begin(address: string): Promise<CodeAttempt> {
    // Taken synchronously, before any await, so parallel requests on this node see each other.
    const busy = this.inflight.get(address) ?? 0;
    if (busy >= (this.cfg.maxConcurrentPerAddress ?? DEFAULT_MAX_CONCURRENT_PER_ADDRESS)) return { ok: false, reason: 'address_busy', retryAfterMs: 1000 };
    this.inflight.set(address, busy + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const n = (this.inflight.get(address) ?? 1) - 1;
      if (n <= 0) this.inflight.delete(address); else this.inflight.set(address, n);
    };
    try {
      const gate = await this.check(address);
      if (!gate.ok) { release(); return gate; }
      const n = await this.store.incr(`codeattempt:${address}`, this.cfg.windowSec);
      if (n > this.cfg.maxFailuresPerAddress) {
        await this.store.setFlag(`codelock:${address}`, this.cfg.lockoutSec);
        release();
        return { ok: false, reason: 'address_locked', retryAfterMs: this.cfg.lockoutSec * 1000 };
      }
      const g = await this.store.incr('codeattempt:*', this.cfg.windowSec);
      if (g > this.cfg.globalFailuresPerWindow) {
        await this.store.decr(`codeattempt:${address}`);
        release();
        return { ok: false, reason: 'global_paused', retryAfterMs: await this.pause() };
      }
      return {
        ok: true,
        done: async (right) => {
          release();
          // A right code was not a guess: give the attempt back to both budgets.
          if (right) { await Promise.all([this.store.decr(`codeattempt:${address}`), this.store.decr('codeattempt:*')]); return; }
          // A wrong one that spent the last of a budget closes it now, so the next request is refused before its body is read.
          if (n >= this.cfg.maxFailuresPerAddress) await this.store.setFlag(`codelock:${address}`, this.cfg.lockoutSec);
          if (g >= this.cfg.globalFailuresPerWindow) await this.pause();
        },
      };
    } catch (err) {
      release();
      throw err;
    }
  }

  /** Pause code entry for everyone (once per trip: a pause already running is left as it is); returns the time left. */
  private async pause(): Promise<number> {
    const left = await this.store.flagTtlMs('codepause');
    if (left > 0) return left;
    const level = await this.store.incr('codepause:level', 24 * 3600);
    const sec = pauseSec(this.cfg.windowSec, level);
    await this.store.setFlag('codepause', sec);
    return sec * 1000;
  }

  /** One wrong attempt, counted and finished (tests and tools). */
  async fail(address: string): Promise<CodeGate> {
    const a = await this.begin(address);
    if (!a.ok) return a;
    await a.done(false);
    return this.check(address);
  }
}

/** Pause after the n-th trip of the global budget within a day: window, 2x, 4x ... capped at 24 h. */
export function pauseSec(windowSec: number, level: number): number {
  return Math.min(24 * 3600, windowSec * 2 ** Math.max(0, Math.min(level - 1, 30)));
}

/**
 * Upper bound on the chance an attacker redeems any live code, given the
 * limits: every wrong guess the global budget allows during `horizonSec`,
 * each hitting one of `liveCodes` codes out of 10^digits. Used by the docs
 * and asserted in tests so the docs cannot drift from the code.
 */
export function guessSuccessBound(cfg: CodeLimitConfig, liveCodes: number, horizonSec: number): number {
  return Math.min(1, (maxWrongGuesses(cfg, horizonSec) * liveCodes) / 10 ** cfg.digits);
}

/** Wrong guesses the global budget admits in `horizonSec` under a sustained attack (escalating pauses). */
export function maxWrongGuesses(cfg: CodeLimitConfig, horizonSec: number): number {
  let t = 0, guesses = 0, level = 0, levelSince = 0;
  while (t < horizonSec) {
    // The level counter lives 24 h from its first trip, then escalation starts over.
    if (t - levelSince >= 24 * 3600) { level = 0; levelSince = t; }
    guesses += cfg.globalFailuresPerWindow; // spent at once, at the start of a window
    level++;
    t += Math.max(cfg.windowSec, pauseSec(cfg.windowSec, level));
  }
  return guesses;
}
