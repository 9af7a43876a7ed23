/**
 * The hand-off part of the store contract, on both stores (the Redis one
 * against a real redis-server): agent seats added and handed over
 * atomically, hand-off records put once and moved by compare-and-set (one
 * winner among racing takers), presence with its time to live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../signaling-server/memory-store';
import { RedisStore } from '../../../signaling-server/redis/index';
import type { HandoffRecord } from '../../../signaling-server/handoff/records';
import type { RoomRecord, SignalingStore } from '../../../signaling-server/store';
import { startRedis, type Running } from '../signaling-prod/servers';

let redis: Running;
let n = 0;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

const NOW = Date.now();
const room = (id: string): RoomRecord => ({
  roomId: id, agentId: 'alice', createdAt: NOW,
  seats: [{ memberId: 'a1', role: 'agent', online: true, joinedAt: NOW }, { memberId: 'c1', role: 'customer', online: true, joinedAt: NOW, resumeHash: 'rh1' }],
});
const rec = (id: string, over: Partial<HandoffRecord> = {}): HandoffRecord => ({
  id, kind: 'warm', roomId: 'r1', fromAgentId: 'alice', fromMemberId: 'a1', to: { queue: 'billing' }, note: 'n', state: 'offered', createdAt: NOW, expiresAt: NOW + 30_000, ...over,
});

const makers: Array<[string, () => SignalingStore]> = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore({ url: redis.url, nodeId: 'n1', prefix: `ho${++n}:` })],
];

describe.each(makers)('%s store: hand-offs', (_name, make) => {
  it('adds a second agent seat up to the limit, then hands the room over', async () => {
    const s = make();
    await s.createRoom(room('r1'));
    const two = await s.addAgentSeat('r1', { memberId: 'b1', role: 'agent', agentId: 'bob', name: 'Bob', online: true, joinedAt: NOW }, 3);
    expect(two?.seats.map((x) => [x.memberId, x.agentId, x.name])).toEqual([['a1', undefined, undefined], ['c1', undefined, undefined], ['b1', 'bob', 'Bob']]);
    expect(await s.addAgentSeat('r1', { memberId: 'x1', role: 'agent', agentId: 'x', online: true, joinedAt: NOW }, 3)).toBeUndefined();
    expect(await s.addAgentSeat('nope', { memberId: 'x1', role: 'agent', online: true, joinedAt: NOW }, 9)).toBeUndefined();
    const handed = await s.handRoom('r1', 'bob', 'a1', NOW);
    expect(handed?.agentId).toBe('bob');
    expect(handed?.seats.map((x) => x.memberId)).toEqual(['c1', 'b1']);
    expect((await s.findOpenRoomForAgent('bob'))?.roomId).toBe('r1');
    expect(await s.findOpenRoomForAgent('alice')).toBeUndefined();
    expect((await s.getRoom('r1'))?.seats.find((x) => x.role === 'customer')).toMatchObject({ memberId: 'c1', resumeHash: 'rh1', online: true });
    await s.close();
  });

  it('puts a hand-off once (idempotent) and moves it by compare-and-set', async () => {
    const s = make();
    expect(await s.putHandoff(rec('h1'), 60_000)).toEqual({ created: true, rec: rec('h1') });
    const again = await s.putHandoff(rec('h1', { note: 'other' }), 60_000);
    expect(again.created).toBe(false);
    expect(again.rec.note).toBe('n');
    const ok = await s.updateHandoff('h1', ['offered'], { state: 'accepted', acceptedBy: 'bob', acceptedMemberId: 'b1' });
    expect(ok).toMatchObject({ ok: true, rec: { state: 'accepted', acceptedBy: 'bob' } });
    expect(await s.updateHandoff('h1', ['offered'], { state: 'declined' })).toMatchObject({ ok: false, rec: { state: 'accepted' } });
    expect(await s.updateHandoff('missing', ['offered'], { state: 'declined' })).toEqual({ ok: false });
    expect((await s.openHandoffs()).map((h) => h.id)).toEqual(['h1']);
    await s.updateHandoff('h1', ['accepted'], { state: 'completed' });
    expect(await s.openHandoffs()).toEqual([]);
    expect((await s.getHandoff('h1'))?.state).toBe('completed');
    await s.close();
  });

  it('gives a queue offer to exactly one of many racing takers', async () => {
    const s = make();
    await s.putHandoff(rec('race'), 60_000);
    const takers = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    const results = await Promise.all(takers.map((a) => s.updateHandoff('race', ['offered'], { state: 'accepted', acceptedBy: a })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const winner = results.find((r) => r.ok)!;
    expect((await s.getHandoff('race'))?.acceptedBy).toBe(winner.ok ? winner.rec.acceptedBy : 'none');
    await s.close();
  });

  it('lists presence refreshed within its time to live', async () => {
    const s = make();
    await s.putPresence({ id: 'bob', name: 'Bob', roles: ['agent'], status: 'available', skills: ['billing'], queues: ['billing'], updatedAt: NOW }, 10_000);
    await s.putPresence({ id: 'old', roles: ['agent'], status: 'away', skills: [], queues: [], updatedAt: NOW - 20_000 }, 10_000);
    expect(await s.listPresence(NOW)).toEqual([{ id: 'bob', name: 'Bob', roles: ['agent'], status: 'available', skills: ['billing'], queues: ['billing'], updatedAt: NOW }]);
    await s.removePresence('bob');
    expect(await s.listPresence(NOW)).toEqual([]);
    await s.close();
  });
});
