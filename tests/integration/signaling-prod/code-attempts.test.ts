/**
 * Short-code guessing under concurrency: every attempt is counted
 * atomically before the code is looked up (in memory and in Redis), and an
 * address gets only a few attempts in flight at once. Forty parallel guesses
 * from one address reach the code lookup no more often than the limit.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../signaling-server/memory-store';
import { RedisCounterStore } from '../../../signaling-server/redis/index';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';
import type { CounterStore } from '../../../signaling-server/limits/index';
import { startRedis, type Running } from './servers';

let server: SignalingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

/** A store whose code lookup takes a while (as a Redis round trip under load does), counting lookups. */
class SlowCodeStore extends MemoryStore {
  lookups = 0;
  override async takeCode(code: string): Promise<string | undefined> {
    this.lookups++;
    await new Promise((r) => setTimeout(r, 30));
    return super.takeCode(code);
  }
}

async function fortyGuesses(counters?: CounterStore): Promise<{ lookups: number; statuses: number[] }> {
  const store = new SlowCodeStore();
  server = await startSignalingServer({
    secret: 'code-attempts-secret-0123456789', port: 0, heartbeatMs: 60_000, log: () => {}, store,
    abuse: { codes: { digits: 8, maxFailuresPerAddress: 5, lockoutSec: 600, globalFailuresPerWindow: 1000 } },
    ...(counters ? { abuseCounters: counters } : {}),
  });
  const s = server;
  const guesses = Array.from({ length: 40 }, (_, i) => String(10_000_000 + i));
  const res = await Promise.all(guesses.map((code) => fetch(`${s.url}/code`, { method: 'POST', body: new URLSearchParams({ code }) })));
  await Promise.all(res.map((r) => r.text()));
  return { lookups: store.lookups, statuses: res.map((r) => r.status) };
}

describe('short-code attempts under concurrency', () => {
  it('forty parallel guesses from one address get at most the limit of lookups (memory counters)', async () => {
    const { lookups, statuses } = await fortyGuesses();
    expect(lookups).toBeGreaterThan(0);
    expect(lookups).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 400)).toHaveLength(lookups);
    expect(statuses.filter((s) => s === 429)).toHaveLength(40 - lookups);
  });

  describe('with Redis counters shared by every node', () => {
    let redis: Running | undefined;
    let client: Redis | undefined;
    beforeAll(async () => { redis = await startRedis(); client = new Redis(redis.url); });
    afterAll(async () => { client?.disconnect(); await redis?.stop(); });

    it('forty parallel guesses from one address get at most the limit of lookups', async () => {
      const { lookups } = await fortyGuesses(new RedisCounterStore(client!, `t${process.pid}:`));
      expect(lookups).toBeGreaterThan(0);
      expect(lookups).toBeLessThanOrEqual(5);
      // the count is in Redis (seen by every node), taken before any lookup
      expect(Number(await client!.get(`t${process.pid}:lim:codeattempt:127.0.0.1`))).toBeGreaterThanOrEqual(lookups);
    });
  });
});
