/** The code-attempt counters on Redis, so the per-address and global budgets hold across every node. */
import type { Redis } from 'ioredis';
import type { CounterStore } from '../limits/codes';
import { DECR_IF_EXISTS, INCR_WINDOW } from './scripts';

export class RedisCounterStore implements CounterStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    redis.defineCommand('sigIncrWindow', { numberOfKeys: 1, lua: INCR_WINDOW });
    redis.defineCommand('sigDecrIfExists', { numberOfKeys: 1, lua: DECR_IF_EXISTS });
  }
  async decr(key: string): Promise<void> {
    await (this.redis as unknown as { sigDecrIfExists(k: string): Promise<number> }).sigDecrIfExists(this.prefix + 'lim:' + key);
  }
  async incr(key: string, ttlSec: number): Promise<number> {
    return (this.redis as unknown as { sigIncrWindow(k: string, ttl: number): Promise<number> }).sigIncrWindow(this.prefix + 'lim:' + key, ttlSec);
  }
  async get(key: string): Promise<number> {
    return Number((await this.redis.get(this.prefix + 'lim:' + key)) ?? 0);
  }
  async setFlag(key: string, ttlSec: number): Promise<void> {
    await this.redis.set(this.prefix + 'flag:' + key, '1', 'EX', Math.max(1, Math.ceil(ttlSec)));
  }
  async flagTtlMs(key: string): Promise<number> {
    const t = await this.redis.pttl(this.prefix + 'flag:' + key);
    return t > 0 ? t : 0;
  }
}
