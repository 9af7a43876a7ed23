/**
 * The pieces the pairing-path optimisations changed (see the Signaling
 * section of docs/PERFORMANCE.md): pooled random ids and tokens, one-shot
 * hashing, the per-socket frame queue with its synchronous fast path, lazily
 * held rate buckets, pre-labelled counters, and the store's hand-made copies.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { hashToken, logTag, logTagOfHash, newBearerToken, newId, randomBase64url } from '../../../signaling-server/tokens';
import { Conn, Hub } from '../../../signaling-server/hub/index';
import { resolveConfig } from '../../../signaling-server/config/index';
import { TokenBucket } from '../../../signaling-server/limits/index';
import { createSignalingMetrics } from '../../../signaling-server/metrics';
import { copyContext, MemoryStore } from '../../../signaling-server/memory-store';
import { ContextPacket } from '../../../signaling-server/protocol';

describe('pooled random ids and tokens', () => {
  it('hands out fresh, well-formed values across many pool refills, never the same twice', () => {
    const seen = new Set<string>();
    // 4 KiB pool: 2,000 tokens of 32 bytes and 2,000 ids of 9 bytes refill it ~20 times, at odd offsets
    for (let i = 0; i < 2000; i++) {
      const t = newBearerToken();
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const id = newId('m');
      expect(id).toMatch(/^m-[A-Za-z0-9_-]{12}$/);
      seen.add(t).add(id);
    }
    expect(seen.size).toBe(4000);
  });

  it('uses every bit: bytes drawn are spread over all values, not stuck at zero after the pool is wiped', () => {
    const counts = new Array<number>(256).fill(0);
    for (let i = 0; i < 2000; i++) for (const b of Buffer.from(randomBase64url(16), 'base64url')) counts[b]!++;
    // 32,000 bytes, 125 expected per value; a stuck or wiped pool would pile them on a few values
    expect(Math.min(...counts)).toBeGreaterThan(60);
    expect(Math.max(...counts)).toBeLessThan(200);
  });

  it('refuses requests larger than the pool instead of repeating bytes', () => {
    expect(() => randomBase64url(4097)).toThrow(RangeError);
  });

  it('hashes tokens exactly as sha256 hex, and tags logs from the hash without hashing again', () => {
    const t = newBearerToken();
    const h = createHash('sha256').update(t).digest('hex');
    expect(hashToken(t)).toBe(h);
    expect(logTagOfHash(h)).toBe(logTag(t));
    expect(logTag(t)).toHaveLength(10);
  });
});

/** A stand-in for the ws socket: Conn only pauses and resumes it. */
function fakeSocket(): WebSocket & { pauses: number, resumes: number } {
  const ws = Object.assign(new EventEmitter(), { pauses: 0, resumes: 0 }) as unknown as WebSocket & { pauses: number, resumes: number };
  (ws as unknown as { pause: () => void }).pause = () => { ws.pauses++; };
  (ws as unknown as { resume: () => void }).resume = () => { ws.resumes++; };
  return ws;
}

describe('per-socket frame queue', () => {
  it('runs frames in arrival order: a synchronous frame never overtakes one still waiting on the store', async () => {
    const conn = new Conn(1, fakeSocket(), {} as Hub);
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    conn.enqueue(() => { order.push('sync-1'); });
    conn.enqueue(async () => { order.push('join:start'); await gate; order.push('join:end'); });
    conn.enqueue(() => { order.push('signal'); });
    conn.enqueue(() => { order.push('close'); });
    expect(order).toEqual(['sync-1', 'join:start']);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['sync-1', 'join:start', 'join:end', 'signal', 'close']);
    // idle again: the next frame runs at once
    conn.enqueue(() => { order.push('later'); });
    expect(order.at(-1)).toBe('later');
  });

  it('a handler that throws or rejects does not wedge the frames behind it', async () => {
    const conn = new Conn(1, fakeSocket(), {} as Hub);
    const order: string[] = [];
    conn.enqueue(() => { throw new Error('boom'); });
    conn.enqueue(async () => { order.push('a'); throw new Error('async boom'); });
    conn.enqueue(() => { order.push('b'); });
    await new Promise((r) => setTimeout(r, 0));
    expect(order).toEqual(['a', 'b']);
  });

  it('pauses the socket while more than 64 frames wait, and resumes it once the backlog is down to 8', async () => {
    const ws = fakeSocket();
    const conn = new Conn(1, ws, {} as Hub);
    let release!: () => void;
    conn.enqueue(() => new Promise<void>((r) => { release = r; }));
    let ran = 0;
    for (let i = 0; i < 70; i++) conn.enqueue(() => { ran++; });
    expect(ws.pauses).toBe(1);
    expect(ws.resumes).toBe(0);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(ran).toBe(70);
    expect(ws.resumes).toBe(1);
  });
});

describe('heartbeat in slices', () => {
  /** A socket the hub can ping, terminate and close; it counts what was done to it. */
  function pingable() {
    const ws = Object.assign(new EventEmitter(), { OPEN: 1, readyState: 1, pings: 0, terminated: false, sent: [] as string[] });
    Object.assign(ws, {
      ping() { ws.pings++; },
      terminate() { ws.terminated = true; },
      close() {},
      send(text: string) { ws.sent.push(text); },
      pause() {},
      resume() {},
    });
    return ws as typeof ws & WebSocket;
  }
  const turn = () => new Promise((r) => setImmediate(r));

  it('pings every socket once per tick, at most 200 per event-loop turn, and drops those that never answered', async () => {
    const hub = new Hub(resolveConfig({ secret: 'unit-secret-0123456789', log: () => {} }), new MemoryStore());
    const socks = Array.from({ length: 1200 }, () => pingable());
    for (const ws of socks) hub.attach(ws, '127.0.0.1');
    hub.heartbeat();
    await turn();
    expect(socks.filter((w) => w.pings === 1)).toHaveLength(200); // the first slice, I/O may run before the next
    for (let k = 0; k < 8; k++) await turn();
    expect(socks.every((w) => w.pings === 1)).toBe(true);
    // all but the first ten answer; the next tick drops those ten and pings the rest again
    for (const ws of socks.slice(10)) ws.emit('pong');
    hub.heartbeat();
    for (let k = 0; k < 8; k++) await turn();
    expect(socks.filter((w) => w.terminated)).toHaveLength(10);
    expect(socks.slice(0, 10).every((w) => w.terminated)).toBe(true);
    expect(socks.slice(10).every((w) => w.pings === 2)).toBe(true);
  });
});

describe('message-rate buckets held only while needed', () => {
  it('says when a bucket has refilled (a fresh one would behave the same)', () => {
    const b = new TokenBucket(100, 1000, 0);
    expect(b.isFull(0)).toBe(true);
    for (let i = 0; i < 10; i++) b.take(0);
    expect(b.isFull(0)).toBe(false);
    expect(b.isFull(50)).toBe(false); // 5 of 10 tokens back
    expect(b.isFull(100)).toBe(true);
  });
});

describe('pre-labelled counters', () => {
  it('count into the same series as inc(labels)', () => {
    const m = createSignalingMetrics();
    const local = m.relayed.labelled({ path: 'local' });
    expect(m.registry.render()).toContain('signaling_relayed_messages_total 0'); // nothing counted yet: no series invented
    local.inc();
    local.inc();
    m.relayed.inc({ path: 'local' });
    expect(m.relayed.get({ path: 'local' })).toBe(3);
    expect(m.registry.render()).toContain('signaling_relayed_messages_total{path="local"} 3');
  });
});

describe('memory store copies', () => {
  // every field of a context packet, optional ones included: the store copies them one by one
  const ctx: ContextPacket = {
    browser: 'B', os: 'O', deviceClass: 'phone', screen: { width: 1, height: 2, dpr: 1 }, locale: 'en', timeZone: 'UTC',
    page: 'https://shop.example/bill', ref: 'case-9', ani: '+15550100', app: { plan: 'gold', n: 3, vip: true },
  };
  it('copies every field of a context packet (a field added to the protocol must be added to the copy)', () => {
    const keys = Object.keys(ContextPacket.shape).sort();
    expect(Object.keys(ctx).sort()).toEqual(keys);
    expect(JSON.parse(JSON.stringify(copyContext(ctx)))).toEqual(ctx);
  });


  it('keeps its own context packets: mutating what went in or what came out does not change the store', async () => {
    const s = new MemoryStore();
    const now = Date.now();
    await s.createRoom({ roomId: 'r1', agentId: 'ag', createdAt: now, seats: [{ memberId: 'a1', role: 'agent', online: true, joinedAt: now }] });
    await s.putInvite({ hash: 'h1', roomId: 'r1', agentId: 'ag', role: 'customer', createdAt: now, expiresAt: now + 60_000 });
    const given = structuredClone(ctx);
    const res = await s.redeemInvite('h1', now, { memberId: 'c1', role: 'customer', context: given, online: true, joinedAt: now }, 3);
    expect(res.ok).toBe(true);
    given.screen.width = 999;
    given.app!.plan = 'stolen';
    if (res.ok) {
      const out = res.room.seats.find((x) => x.memberId === 'c1')!;
      out.context!.screen.height = 777;
      out.context!.browser = 'changed';
    }
    const again = (await s.getRoom('r1'))!.seats.find((x) => x.memberId === 'c1')!;
    expect(again.context).toEqual(ctx);
    await s.close();
  });
});
