import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src-main/outbox/backoff';

describe('outbox backoff', () => {
  const opts = { baseMs: 100, maxMs: 10_000 };
  it('grows exponentially up to the cap, with jitter below it', () => {
    expect(backoffDelay(0, opts, () => 0.999)).toBe(99);
    expect(backoffDelay(3, opts, () => 0.999)).toBe(799);
    expect(backoffDelay(20, opts, () => 0.999)).toBe(9_990);
  });
  it('never retries immediately, even with zero jitter', () => {
    expect(backoffDelay(5, opts, () => 0)).toBe(50);
    expect(Number.isInteger(backoffDelay(1, { baseMs: 15, maxMs: 100 }, () => 0))).toBe(true);
  });
  it('spreads retries of many clients', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(6, opts)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
