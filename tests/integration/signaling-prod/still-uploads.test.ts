/**
 * One behaviour, two stores of uploaded stills: this node's memory and Redis (a real
 * redis-server). The atomicity rules of signaling-server/stills/upload-store.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../../signaling-server/redis/index';
import { MemoryStillUploads } from '../../../signaling-server/stills/memory-uploads';
import { RedisStillUploads } from '../../../signaling-server/stills/redis-uploads';
import type { StillUploads, UploadRecord } from '../../../signaling-server/stills/upload-store';
import { startRedis, type Running } from './servers';

let redis: Running;
let n = 0;
const clients: Array<{ quit(): Promise<unknown> }> = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { for (const c of clients) await c.quit().catch(() => {}); await redis?.stop(); });

const rec = (id: string, bytes: number, over: Partial<UploadRecord> = {}): UploadRecord => ({
  id, roomId: 'r1', memberId: 'm1', createdAt: 0, sha256: 'a'.repeat(64), bytes, mime: 'image/jpeg', width: 10, height: 10, source: 'file', ...over,
});

const makers: Array<[string, () => StillUploads]> = [
  ['memory', () => new MemoryStillUploads()],
  ['redis', () => { const c = connectRedis(redis.url, 'uploads-test'); clients.push(c); return new RedisStillUploads(c, `u${++n}:`); }],
];

describe.each(makers)('%s still uploads', (_name, make) => {
  it('creates once, appends at the held offset only, and reads back the bytes', async () => {
    const s = make();
    expect(await s.create(rec('u1', 6), 60_000)).toBe(true);
    expect(await s.create(rec('u1', 6), 60_000)).toBe(false);
    expect(await s.append('u1', 0, Buffer.from('abc'))).toEqual({ ok: true, received: 3 });
    expect(await s.append('u1', 0, Buffer.from('abc'))).toEqual({ ok: false, reason: 'offset_mismatch', received: 3 });
    expect(await s.append('u1', 3, Buffer.from('defg'))).toEqual({ ok: false, reason: 'too_large', received: 3 });
    expect(await s.append('u1', 3, Buffer.from('def'))).toEqual({ ok: true, received: 6 });
    expect((await s.read('u1'))?.bytes.toString()).toBe('abcdef');
    expect((await s.status('u1'))?.received).toBe(6);
    expect(await s.append('nope', 0, Buffer.from('x'))).toMatchObject({ ok: false, reason: 'unknown' });
    await s.remove('u1');
    expect(await s.status('u1')).toBeUndefined();
  });

  it('of many PUTs racing for one offset exactly one lands', async () => {
    const s = make();
    await s.create(rec('race', 100), 60_000);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.append('race', 0, Buffer.alloc(10, i))));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect((await s.status('race'))?.received).toBe(10);
  });

  it('counts the open uploads of a seat (finished ones do not count)', async () => {
    const s = make();
    await s.create(rec('o1', 2), 60_000);
    await s.create(rec('o2', 2), 60_000);
    await s.create(rec('o3', 2, { memberId: 'm2' }), 60_000);
    await s.append('o2', 0, Buffer.from('zz'));
    expect(await s.openFor('r1', 'm1')).toBe(1);
    expect(await s.openFor('r1', 'm2')).toBe(1);
  });
});

describe('memory still uploads', () => {
  it('expire after their lifetime and hold the node to a total size', async () => {
    let t = 0;
    const s = new MemoryStillUploads(10, () => t);
    expect(await s.create(rec('a', 6), 1000)).toBe(true);
    expect(await s.create(rec('b', 6), 1000)).toBe(false);
    t = 1001;
    expect(await s.status('a')).toBeUndefined();
    expect(await s.create(rec('b', 6), 1000)).toBe(true);
  });
});
