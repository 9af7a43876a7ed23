/** Pub/sub routing between two nodes through a real redis-server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { RedisBus, type Envelope } from '../../../signaling-server/redis/index';
import { startRedis, type Running } from './servers';

let redis: Running;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

function collector(bus: RedisBus): Envelope[] {
  const got: Envelope[] = [];
  bus.onEnvelope((e) => got.push(e));
  return got;
}
const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) { if (Date.now() > end) throw new Error('condition not met'); await new Promise((r) => setTimeout(r, 10)); }
};
const signal = { type: 'signal' as const, from: 'm-a', data: { type: 'offer' as const, sdp: 'v=0' } };

describe('redis bus', () => {
  it('delivers room frames only to nodes holding that room, never back to the sender', async () => {
    const a = new RedisBus({ url: redis.url, prefix: 'b1:', nodeId: 'a' });
    const b = new RedisBus({ url: redis.url, prefix: 'b1:', nodeId: 'b' });
    const c = new RedisBus({ url: redis.url, prefix: 'b1:', nodeId: 'c' });
    const [ga, gb, gc] = [collector(a), collector(b), collector(c)];
    await a.hold(a.roomChannel('r1'));
    await b.hold(b.roomChannel('r1'));
    await c.hold(c.roomChannel('r2'));
    expect(await a.toRoom({ kind: 'deliver', roomId: 'r1', to: 'm-b', msg: signal, origin: 'a', sentAt: Date.now() })).toBe(2);
    await until(() => gb.length === 1);
    expect(gb[0]).toMatchObject({ kind: 'deliver', to: 'm-b', msg: signal });
    await new Promise((r) => setTimeout(r, 100));
    expect(ga).toHaveLength(0);
    expect(gc).toHaveLength(0);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it('counts holds, so a room stays subscribed until its last local socket leaves', async () => {
    const a = new RedisBus({ url: redis.url, prefix: 'b2:', nodeId: 'a' });
    const b = new RedisBus({ url: redis.url, prefix: 'b2:', nodeId: 'b' });
    const gb = collector(b);
    const ch = b.roomChannel('r');
    await b.hold(ch); await b.hold(ch);
    await b.release(ch);
    await a.toRoom({ kind: 'evict', roomId: 'r', memberId: 'x', origin: 'a' });
    await until(() => gb.length === 1);
    await b.release(ch);
    expect(b.holding(ch)).toBe(false);
    expect(await a.toRoom({ kind: 'evict', roomId: 'r', memberId: 'y', origin: 'a' })).toBe(0);
    await Promise.all([a.close(), b.close()]);
  });

  it('drops foreign or malformed publications on a shared redis', async () => {
    const b = new RedisBus({ url: redis.url, prefix: 'b3:', nodeId: 'b' });
    const gb = collector(b);
    await b.hold(b.roomChannel('r'));
    const raw = new Redis(redis.url);
    await raw.publish(b.roomChannel('r'), 'not json');
    await raw.publish(b.roomChannel('r'), JSON.stringify({ kind: 'deliver', roomId: 'r', msg: { type: 'nonsense' }, origin: 'z', sentAt: 1 }));
    await until(() => b.dropped === 2);
    expect(gb).toHaveLength(0);
    raw.disconnect();
    await b.close();
  });
});
