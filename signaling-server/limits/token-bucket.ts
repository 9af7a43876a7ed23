/**
 * Token bucket: `ratePerSec` tokens refill continuously up to `burst`. One
 * message costs one token. Lazy refill (no timers) keeps it O(1) per call and
 * free for idle sockets, which matters at 10,000 sockets per node.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(private readonly ratePerSec: number, private readonly burst: number, now = Date.now()) {
    this.tokens = burst;
    this.last = now;
  }
  /** Take `cost` tokens; false (and nothing taken) when not enough are left. */
  take(now = Date.now(), cost = 1): boolean {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSec);
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }
  /** Refilled to the brim by `now` (a fresh bucket would behave the same, so the caller may drop this one). */
  isFull(now = Date.now()): boolean {
    return this.tokens + (Math.max(0, now - this.last) / 1000) * this.ratePerSec >= this.burst;
  }
  /** Milliseconds until `cost` tokens are available. */
  retryAfterMs(cost = 1): number {
    return this.tokens >= cost ? 0 : Math.ceil(((cost - this.tokens) / this.ratePerSec) * 1000);
  }
}

/**
 * One bucket per key (e.g. remote address), with a hard cap on the number of
 * keys so a flood of distinct addresses cannot grow memory without bound:
 * the least recently used key is evicted (Map keeps insertion order).
 */
export class KeyedRateLimiter {
  private buckets = new Map<string, TokenBucket>();
  constructor(private readonly ratePerSec: number, private readonly burst: number, private readonly maxKeys = 100_000) {}
  take(key: string, now = Date.now()): { ok: true } | { ok: false, retryAfterMs: number } {
    let b = this.buckets.get(key);
    if (b) this.buckets.delete(key);
    else {
      b = new TokenBucket(this.ratePerSec, this.burst, now);
      if (this.buckets.size >= this.maxKeys) {
        const oldest = this.buckets.keys().next().value;
        if (oldest !== undefined) this.buckets.delete(oldest);
      }
    }
    this.buckets.set(key, b);
    return b.take(now) ? { ok: true } : { ok: false, retryAfterMs: b.retryAfterMs() };
  }
  get size(): number { return this.buckets.size; }
}
