/**
 * One behaviour, two stores: the in-memory default and the Redis store pass
 * the same tests (against a real redis-server), so a deployment can switch
 * without the server noticing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../../signaling-server/memory-store';
import { RedisStore } from '../../../signaling-server/redis/index';
import type { InviteRecord, RoomRecord, SeatRecord, SignalingStore } from '../../../signaling-server/store';
import { startRedis, type Running } from './servers';

let redis: Running;
let n = 0;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

const NOW = Date.now();
const ctx = { browser: 'Chrome', os: 'Android', deviceClass: 'phone' as const, screen: { width: 1, height: 2, dpr: 2.625 }, locale: 'ja-JP', timeZone: 'Asia/Tokyo', app: { '1': 'x', empty: '' }, page: 'ページ "quoted" \\ back' };

function room(id: string, agent = 'agent-1'): RoomRecord {
  return { roomId: id, agentId: agent, createdAt: NOW, seats: [{ memberId: `a-${id}`, role: 'agent', online: true, joinedAt: NOW }] };
}
function invite(hash: string, roomId: string, over: Partial<InviteRecord> = {}): InviteRecord {
  return { hash, roomId, agentId: 'agent-1', role: 'customer', createdAt: NOW, expiresAt: NOW + 60_000, ...over };
}
function seat(memberId: string, over: Partial<SeatRecord> = {}): SeatRecord {
  return { memberId, role: 'customer', online: true, joinedAt: NOW, resumeHash: `rh-${memberId}`, context: ctx, ...over };
}

const makers: Array<[string, () => SignalingStore]> = [
  ['memory', () => new MemoryStore()],
  ['redis', () => new RedisStore({ url: redis.url, nodeId: 'n1', prefix: `t${++n}:` })],
];

describe.each(makers)('%s store', (_name, make) => {
  it('redeems an invite once, and says used / expired / unknown afterwards', async () => {
    const s = make();
    await s.createRoom(room('r1'));
    await s.putInvite(invite('h1', 'r1'));
    await s.putInvite(invite('h2', 'r1', { expiresAt: NOW - 1 }));
    const ok = await s.redeemInvite('h1', NOW, seat('m1'), 3);
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.room.seats.map((x) => x.memberId)).toEqual(['a-r1', 'm1']);
    expect(ok.room.seats[1]!.context).toEqual(ctx);
    expect(ok.invite.usedAt).toBe(NOW);
    expect(await s.redeemInvite('h1', NOW, seat('m2'), 3)).toEqual({ ok: false, reason: 'invite_used' });
    expect(await s.redeemInvite('h2', NOW, seat('m3'), 3)).toEqual({ ok: false, reason: 'invite_expired' });
    expect(await s.redeemInvite('nope', NOW, seat('m4'), 3)).toEqual({ ok: false, reason: 'invite_unknown' });
    expect((await s.getInvite('h1'))?.usedAt).toBe(NOW);
    await s.close();
  });

  it('gives exactly one seat to many racing redemptions of one invite', async () => {
    const s = make();
    await s.createRoom(room('race'));
    await s.putInvite(invite('hr', 'race'));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => s.redeemInvite('hr', NOW, seat(`c${i}`), 3)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.reason === 'invite_used')).toHaveLength(19);
    await s.close();
  });

  it('a technician seat takes its name from the agent\'s invite, never from the seat it asked for', async () => {
    const s = make();
    await s.createRoom(room('named'));
    await s.putInvite(invite('tn', 'named', { role: 'technician', name: 'Tess' }));
    const r = await s.redeemInvite('tn', NOW, seat('tech', { name: 'Forged Name' }), 3);
    expect(r.ok && r.room.seats.find((x) => x.memberId === 'tech')).toMatchObject({ role: 'technician', name: 'Tess' });
    expect((await s.getRoom('named'))?.seats.find((x) => x.memberId === 'tech')?.name).toBe('Tess');
  });

  it('caps the room and replaces only an offline seat of the same role', async () => {
    const s = make();
    await s.createRoom(room('cap'));
    await s.putInvite(invite('c1', 'cap'));
    await s.putInvite(invite('c2', 'cap'));
    await s.putInvite(invite('t1', 'cap', { role: 'technician' }));
    await s.putInvite(invite('t2', 'cap', { role: 'technician' }));
    expect((await s.redeemInvite('c1', NOW, seat('cust'), 3)).ok).toBe(true);
    expect(await s.redeemInvite('c2', NOW, seat('cust2'), 3)).toEqual({ ok: false, reason: 'room_full' });
    expect((await s.redeemInvite('t1', NOW, seat('tech', { role: 'technician' }), 3)).ok).toBe(true);
    await s.setSeatOnline('cap', 'cust', false, NOW + 5);
    const rep = await s.redeemInvite('c2', NOW + 10, seat('cust2'), 3);
    expect(rep.ok && rep.replaced?.memberId).toBe('cust');
    expect(await s.findSeatByResume('rh-cust')).toBeUndefined();
    expect((await s.findSeatByResume('rh-cust2'))?.seat.memberId).toBe('cust2');
    // max members 2: a technician cannot be a third member
    await s.createRoom(room('two'));
    await s.putInvite(invite('x1', 'two'));
    await s.putInvite(invite('x2', 'two', { role: 'technician' }));
    expect((await s.redeemInvite('x1', NOW, seat('c'), 2)).ok).toBe(true);
    expect(await s.redeemInvite('x2', NOW, seat('t', { role: 'technician' }), 2)).toEqual({ ok: false, reason: 'room_full' });
    await s.close();
  });

  it('tracks online state, resume, agent room, removal and ending', async () => {
    const s = make();
    await s.createRoom(room('life', 'agent-9'));
    expect((await s.findOpenRoomForAgent('agent-9'))?.roomId).toBe('life');
    await s.putInvite(invite('l1', 'life'));
    await s.putInvite(invite('l2', 'life'));
    await s.redeemInvite('l1', NOW, seat('cu'), 3);
    let r = await s.setSeatOnline('life', 'cu', false, NOW + 1);
    expect(r?.seats.find((x) => x.memberId === 'cu')?.online).toBe(false);
    expect(r?.emptySince).toBeUndefined(); // agent still online
    r = await s.setSeatOnline('life', 'a-life', false, NOW + 2);
    expect(r?.emptySince).toBe(NOW + 2);
    r = await s.setSeatOnline('life', 'cu', true, NOW + 3, { ...ctx, locale: 'en-GB' });
    expect(r?.emptySince).toBeUndefined();
    expect(r?.seats.find((x) => x.memberId === 'cu')?.context?.locale).toBe('en-GB');
    expect(await s.setSeatOnline('life', 'ghost', true, NOW)).toBeUndefined();
    const found = await s.findSeatByResume('rh-cu');
    expect(found?.room.roomId).toBe('life');
    r = await s.removeSeat('life', 'cu', NOW + 4);
    expect(r?.seats.map((x) => x.memberId)).toEqual(['a-life']);
    expect(await s.findSeatByResume('rh-cu')).toBeUndefined();
    const ended = await s.endRoom('life');
    expect(ended?.roomId).toBe('life');
    expect(await s.getRoom('life')).toBeUndefined();
    expect(await s.findOpenRoomForAgent('agent-9')).toBeUndefined();
    expect((await s.getInvite('l2'))?.revoked).toBe(true); // unused invite of an ended room
    expect(await s.redeemInvite('l2', NOW, seat('late'), 3)).toEqual({ ok: false, reason: 'invite_expired' });
    expect(await s.endRoom('life')).toBeUndefined();
    await s.close();
  });

  it('reissues a valid invite once under a new hash (short code exchange), so link and code cannot both be used', async () => {
    const s = make();
    await s.createRoom(room('re'));
    await s.putInvite(invite('orig', 're'));
    const r = await s.reissueInvite('orig', 'fresh', NOW);
    expect(r.ok && r.invite.hash).toBe('fresh');
    expect(await s.reissueInvite('orig', 'again', NOW)).toEqual({ ok: false, reason: 'invite_used' });
    expect(await s.redeemInvite('orig', NOW, seat('by-link'), 3)).toEqual({ ok: false, reason: 'invite_used' });
    expect((await s.redeemInvite('fresh', NOW, seat('by-code'), 3)).ok).toBe(true);
    expect(await s.reissueInvite('nope', 'x', NOW)).toEqual({ ok: false, reason: 'invite_unknown' });
    await s.putInvite(invite('old', 're', { expiresAt: NOW - 1 }));
    expect(await s.reissueInvite('old', 'y', NOW)).toEqual({ ok: false, reason: 'invite_expired' });
    // codes are single use
    expect(await s.putCode('1234567890', 'fresh', 60_000)).toBe(true);
    expect(await s.putCode('1234567890', 'other', 60_000)).toBe(false);
    expect(await s.takeCode('1234567890')).toBe('fresh');
    expect(await s.takeCode('1234567890')).toBeUndefined();
    await s.close();
  });

  it('returns copies: mutating a result does not change the store', async () => {
    const s = make();
    await s.createRoom(room('copy'));
    const r = (await s.getRoom('copy'))!;
    r.seats.push(seat('intruder'));
    expect((await s.getRoom('copy'))!.seats).toHaveLength(1);
    await s.close();
  });

  it('sweeps rooms empty for longer than the idle time, and only those', async () => {
    const s = make();
    const t0 = NOW + 1_000_000;
    await s.createRoom(room('idle'));
    await s.createRoom(room('busy'));
    await s.setSeatOnline('idle', 'a-idle', false, t0);
    const early = await s.sweep(t0 + 500, { roomIdleMs: 1000, inviteRetentionMs: 10_000 });
    expect(early.endedRooms.map((x) => x.roomId)).not.toContain('idle');
    const late = await s.sweep(t0 + 1500, { roomIdleMs: 1000, inviteRetentionMs: 10_000 });
    expect(late.endedRooms.map((x) => x.roomId)).toContain('idle');
    expect(late.endedRooms.map((x) => x.roomId)).not.toContain('busy');
    expect(await s.getRoom('busy')).toBeDefined();
    await s.close();
  });
});

describe('redis store across nodes', () => {
  it('shares invites and rooms between two nodes, and reaps the seats of a dead node', async () => {
    const prefix = `x${++n}:`;
    const a = new RedisStore({ url: redis.url, nodeId: 'node-a', prefix, nodeTtlMs: 300 });
    const b = new RedisStore({ url: redis.url, nodeId: 'node-b', prefix, nodeTtlMs: 300 });
    await a.startPresence();
    await b.startPresence();
    await a.createRoom(room('shared'));
    await a.putInvite(invite('sh', 'shared'));
    const j = await b.redeemInvite('sh', NOW, seat('cust-b'), 3);
    expect(j.ok).toBe(true);
    expect(await a.seatNode('shared', 'cust-b')).toBe('node-b');
    expect(await a.seatNode('shared', 'a-shared')).toBe('node-a');
    expect(await a.reapDeadNodes(NOW)).toEqual([]); // b is alive
    await b.close(); // node b dies: its liveness key lapses
    await new Promise((r) => setTimeout(r, 450));
    const reaped = await a.reapDeadNodes(NOW + 1);
    expect(reaped.map((x) => [x.memberId, x.role])).toEqual([['cust-b', 'customer']]);
    expect((await a.getRoom('shared'))!.seats.find((x) => x.memberId === 'cust-b')!.online).toBe(false);
    // the customer resumes on node a: same seat, now held by a
    const found = await a.findSeatByResume('rh-cust-b');
    expect(found?.seat.memberId).toBe('cust-b');
    await a.setSeatOnline('shared', 'cust-b', true, NOW + 2);
    expect(await a.seatNode('shared', 'cust-b')).toBe('node-a');
    expect(await a.reapDeadNodes(NOW + 3)).toEqual([]);
    await a.close();
  });

  it('keeps short codes single use', async () => {
    const s = new RedisStore({ url: redis.url, nodeId: 'n', prefix: `c${++n}:` });
    expect(await s.putCode('0123456789', 'hash-1', 60_000)).toBe(true);
    expect(await s.putCode('0123456789', 'hash-2', 60_000)).toBe(false);
    const both = await Promise.all([s.takeCode('0123456789'), s.takeCode('0123456789')]);
    expect(both.filter(Boolean)).toEqual(['hash-1']);
    await s.close();
  });
});
