/**
 * The Redis approval store on a real redis-server keeps the rules of
 * approval-store.ts, also between two connections (two nodes): one decision
 * per request, one expiry per request, the open limits across both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { connectRedis } from '../../../signaling-server/redis/index';
import { RedisApprovalStore } from '../../../signaling-server/approvals/redis-approvals';
import { startRedis, type Running } from '../signaling-prod/servers';
import { approvalStoreContract, req, T0 } from '../../unit/signaling/approvals/approval-store-contract';

let redis: Running;
const clients: Redis[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  for (const c of clients) await c.quit().catch(() => {});
  await redis?.stop();
});

let n = 0;
function client(): Redis {
  const c = connectRedis(redis.url, `approvals-test-${clients.length}`);
  clients.push(c);
  return c;
}

describe('RedisApprovalStore', () => {
  approvalStoreContract(async (opts) => new RedisApprovalStore(client(), `as${++n}:`, opts));

  it('two nodes (two connections): one decision among racers on both, one expiry among sweeps on both, limits shared', async () => {
    const prefix = `as${++n}:`;
    const a = new RedisApprovalStore(client(), prefix);
    const b = new RedisApprovalStore(client(), prefix);
    const limits = { maxOpenPerAgent: 3, maxOpen: 50 };
    const rs = Array.from({ length: 10 }, (_, i) => req(`agent-${i}`));
    for (const [i, r] of rs.entries()) expect(await (i % 2 ? a : b).open(r, limits, T0)).toEqual({ ok: true });
    // ten requests, each decided at the same instant through both nodes: ten winners, never two for one
    const takes = await Promise.all(rs.flatMap((r) => [a.take(r.requestId, 'approved', 'sam', T0 + 1), b.take(r.requestId, 'declined', 'eve', T0 + 1)]));
    expect(takes.filter((t) => t.ok)).toHaveLength(10);
    for (const r of rs) expect(takes.filter((t) => t.ok && t.request.requestId === r.requestId)).toHaveLength(1);
    // the per-agent limit counts what both nodes opened
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).open(req('zed', { ttlMs: 1000 }), limits, T0)));
    expect(racing.filter((r) => r.ok)).toHaveLength(3);
    expect(racing.filter((r) => !r.ok)).toEqual(Array(3).fill({ ok: false, over: 'agent' }));
    const swept = await Promise.all([a.expireDue(T0 + 1000), b.expireDue(T0 + 1000), a.expireDue(T0 + 1000), b.expireDue(T0 + 1000)]);
    expect(swept.flat()).toHaveLength(3);
    expect(new Set(swept.flat().map((r) => r.requestId)).size).toBe(3);
  });

  it('outcomes expire from Redis after the retention', async () => {
    const s = new RedisApprovalStore(client(), `as${++n}:`, { closedRetentionMs: 300 });
    const r = req('alice');
    await s.open(r, { maxOpenPerAgent: 5, maxOpen: 5 }, T0);
    expect(await s.take(r.requestId, 'approved', 'sam', T0 + 1)).toMatchObject({ ok: true });
    expect(await s.closed(r.requestId, T0 + 1)).toMatchObject({ outcome: 'approved', by: 'sam', agentSub: 'alice' });
    const end = Date.now() + 10_000;
    while (await s.closed(r.requestId, T0 + 1) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    expect(await s.closed(r.requestId, T0 + 1)).toBeUndefined();
    expect(await s.take(r.requestId, 'approved', 'eve', T0 + 2)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('a kept grant leaves Redis when it expires (the outcome stays for the retention)', async () => {
    const c = client();
    const prefix = `as${++n}:`;
    const s = new RedisApprovalStore(c, prefix);
    const r = req('alice');
    await s.open(r, { maxOpenPerAgent: 5, maxOpen: 5 }, T0);
    // a grant with 300 ms left at the take
    expect(await s.take(r.requestId, 'approved', 'sam', T0, { byName: 'Sam', grant: { token: 'h.p.s', expiresAt: T0 + 300 } })).toMatchObject({ ok: true });
    expect(await c.pttl(`${prefix}apr:grant:${r.requestId}`)).toBeGreaterThan(0);
    expect(await c.pttl(`${prefix}apr:grant:${r.requestId}`)).toBeLessThanOrEqual(300);
    const end = Date.now() + 10_000;
    while (await c.exists(`${prefix}apr:grant:${r.requestId}`) && Date.now() < end) await new Promise((res) => setTimeout(res, 50));
    expect(await c.exists(`${prefix}apr:grant:${r.requestId}`)).toBe(0);
    // even read with a clock that says it is still valid: gone with its key
    const kept = await s.closed(r.requestId, T0 + 1);
    expect(kept).toMatchObject({ outcome: 'approved', by: 'sam', byName: 'Sam' });
    expect(kept!.grant).toBeUndefined();
  });
});
