import { describe, expect, it } from 'vitest';
import { Counter } from '../../../signaling-server/metrics';
import {
  AbuseLimits, CodeAttemptGuard, DEFAULT_ABUSE_LIMITS, guessSuccessBound, KeyedRateLimiter, LivenessMonitor, MemoryCounterStore, maxWrongGuesses, pauseSec, TokenBucket,
} from '../../../signaling-server/limits/index';

describe('token bucket', () => {
  it('allows a burst, then the refill rate', () => {
    const b = new TokenBucket(10, 5, 0);
    for (let i = 0; i < 5; i++) expect(b.take(0)).toBe(true);
    expect(b.take(0)).toBe(false);
    expect(b.retryAfterMs()).toBe(100);
    expect(b.take(100)).toBe(true);
    expect(b.take(100)).toBe(false);
    expect(b.take(10_000)).toBe(true); // refilled, but never above the burst
    for (let i = 0; i < 4; i++) expect(b.take(10_000)).toBe(true);
    expect(b.take(10_000)).toBe(false);
  });

  it('per key, with bounded memory under an address flood', () => {
    const l = new KeyedRateLimiter(1, 2, 100);
    expect(l.take('a', 0).ok).toBe(true);
    expect(l.take('a', 0).ok).toBe(true);
    expect(l.take('a', 0).ok).toBe(false);
    expect(l.take('b', 0).ok).toBe(true);
    for (let i = 0; i < 10_000; i++) l.take(`flood-${i}`, 0);
    expect(l.size).toBeLessThanOrEqual(100);
  });
});

describe('limits', () => {
  it('answer each hit with a typed code and count it by limit', () => {
    const counter = new Counter('hits', 'h');
    const limits = new AbuseLimits({ ...DEFAULT_ABUSE_LIMITS, maxFrameBytes: 100, messagesPerSec: 1, messageBurst: 1, connectionsPerMinPerAddress: 60, connectionBurstPerAddress: 1 }, counter);
    expect(limits.frame(100)).toBeNull();
    expect(limits.frame(101)).toMatchObject({ limit: 'frame_size', code: 'too_large' });
    const bucket = limits.messageBucket(0);
    expect(limits.message(bucket, 0)).toBeNull();
    expect(limits.message(bucket, 0)).toMatchObject({ limit: 'message_rate', code: 'rate_limited', retryAfterMs: 1000 });
    expect(limits.connection('1.2.3.4', 0)).toBeNull();
    expect(limits.connection('1.2.3.4', 0)).toMatchObject({ limit: 'connection_rate', code: 'rate_limited' });
    expect(limits.connection('5.6.7.8', 0)).toBeNull();
    expect(limits.roomMembers(2)).toBeNull();
    expect(limits.roomMembers(3)).toMatchObject({ limit: 'room_members', code: 'room_full' });
    expect(limits.timeout('idle_timeout')).toMatchObject({ code: 'timeout' });
    expect(counter.get({ limit: 'frame_size' })).toBe(1);
    expect(counter.get({ limit: 'message_rate' })).toBe(1);
    expect(counter.get({ limit: 'connection_rate' })).toBe(1);
    expect(counter.get({ limit: 'room_members' })).toBe(1);
    expect(counter.get({ limit: 'idle_timeout' })).toBe(1);
  });
});

describe('short code attempts', () => {
  const cfg = { digits: 8, codeTtlSec: 600, maxFailuresPerAddress: 3, windowSec: 60, lockoutSec: 900, globalFailuresPerWindow: 10 };

  it('lock an address out after its failures, without touching other addresses', async () => {
    let now = 0;
    const g = new CodeAttemptGuard(cfg, new MemoryCounterStore(() => now));
    expect((await g.check('a')).ok).toBe(true);
    await g.fail('a');
    await g.fail('a');
    expect((await g.fail('a')).ok).toBe(false);
    expect(await g.check('a')).toMatchObject({ ok: false, reason: 'address_locked' });
    expect((await g.check('b')).ok).toBe(true);
    now = 901_000;
    expect((await g.check('a')).ok).toBe(true);
  });

  it('pause code entry for everyone when the global budget is spent, longer each time', async () => {
    let now = 0;
    const g = new CodeAttemptGuard(cfg, new MemoryCounterStore(() => now));
    for (let i = 0; i < 10; i++) await g.fail(`addr-${i}`); // a botnet: one guess per address
    expect(await g.check('fresh')).toMatchObject({ ok: false, reason: 'global_paused' });
    now += 61_000;
    expect((await g.check('fresh')).ok).toBe(true);
    for (let i = 0; i < 10; i++) await g.fail(`addr2-${i}`);
    const second = await g.check('fresh');
    expect(second).toMatchObject({ ok: false, reason: 'global_paused' });
    expect(second.ok === false && second.retryAfterMs).toBeGreaterThan(100_000); // doubled
    expect(pauseSec(60, 1)).toBe(60);
    expect(pauseSec(60, 2)).toBe(120);
    expect(pauseSec(60, 40)).toBe(86_400);
  });

  it('bound an attacker to a hopeless chance with the defaults (the figures in docs/OPERATIONS.md)', () => {
    const c = DEFAULT_ABUSE_LIMITS.codes;
    const year = 365 * 86_400;
    expect(maxWrongGuesses(c, 86_400)).toBe(220);
    // 1,000 codes live at every moment, attacked non-stop for a year:
    expect(guessSuccessBound(c, 1000, year)).toBeLessThan(0.01);
    // the same limits with 8 digits would not be enough, which is why the default is 10
    expect(guessSuccessBound({ ...c, digits: 8 }, 1000, year)).toBeGreaterThan(0.5);
  });
});

describe('liveness', () => {
  it('closes sockets that miss a heartbeat and those idle too long, with one sweep for all', () => {
    let now = 0;
    const mon = new LivenessMonitor({ heartbeatIntervalMs: 1000, idleTimeoutMs: 5000 }, () => now);
    const events: string[] = [];
    const sock = (name: string) => ({ ping: () => events.push(`ping ${name}`), expire: (r: string) => events.push(`${r} ${name}`) });
    const a = sock('a'), b = sock('b'), c = sock('c');
    mon.add(a); mon.add(b); mon.add(c);
    mon.sweep(); // pings everyone
    mon.pong(a);
    mon.activity(c);
    now = 1000;
    mon.sweep(); // b never answered
    expect(events).toContain('heartbeat_timeout b');
    expect(mon.size).toBe(2);
    now = 4000; mon.pong(a); mon.pong(c); mon.sweep();
    now = 5500; mon.pong(a); mon.activity(c); mon.sweep(); // a only pongs: idle since 0
    expect(events).toContain('idle_timeout a');
    expect(events).not.toContain('idle_timeout c');
  });
});
