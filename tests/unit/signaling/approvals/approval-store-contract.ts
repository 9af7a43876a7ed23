/**
 * The rules of signaling-server/approvals/approval-store.ts as tests, run
 * against each implementation: the memory store here (unit), the Redis one
 * on a real redis-server (tests/integration/approvals/redis-store.test.ts).
 */
import { expect, it } from 'vitest';
import type { ApprovalStore } from '../../../../signaling-server/approvals/approval-store';
import type { ApprovalRequest } from '../../../../signaling-server/protocol/index';

const T0 = 1_765_000_000_000;
let n = 0;

export function req(agent: string, o: { at?: number, ttlMs?: number, amountMinor?: number, caseId?: number } = {}): ApprovalRequest {
  const at = o.at ?? T0;
  return {
    requestId: `apr-${++n}-${Math.random().toString(36).slice(2, 8)}`, caseId: o.caseId ?? 7, installId: 'inst-1', customerName: 'Grace Hopper',
    amountMinor: o.amountMinor ?? 600_00, currency: 'USD', reason: 'outage week', agent: { sub: agent, name: `${agent} (name)` },
    requestedAt: at, expiresAt: at + (o.ttlMs ?? 300_000),
  };
}

const LIMITS = { maxOpenPerAgent: 2, maxOpen: 3 };

/** `make(opts)` gives a fresh, empty store; `closedRetentionMs` as given. */
export function approvalStoreContract(make: (opts?: { closedRetentionMs?: number }) => Promise<ApprovalStore>): void {
  it('keeps a request whole (large integers exact), lists open ones oldest first, and returns copies', async () => {
    const s = await make();
    const big = req('alice', { at: T0 + 10, amountMinor: Number.MAX_SAFE_INTEGER, caseId: 2 ** 52 + 1 });
    const old = req('bob', { at: T0 });
    expect(await s.open(big, LIMITS, T0)).toEqual({ ok: true });
    expect(await s.open(old, LIMITS, T0)).toEqual({ ok: true });
    expect(await s.get(big.requestId)).toEqual(big);
    expect((await s.list(T0 + 20)).map((r) => r.requestId)).toEqual([old.requestId, big.requestId]);
    const got = await s.get(old.requestId);
    got!.amountMinor = 1;
    expect((await s.get(old.requestId))!.amountMinor).toBe(600_00);
  });

  it('enforces the per-agent and total open limits, counting only requests not yet due', async () => {
    const s = await make();
    expect(await s.open(req('alice'), LIMITS, T0)).toEqual({ ok: true });
    expect(await s.open(req('alice', { ttlMs: 1000 }), LIMITS, T0)).toEqual({ ok: true });
    expect(await s.open(req('alice'), LIMITS, T0)).toEqual({ ok: false, over: 'agent' });
    expect(await s.open(req('bob'), LIMITS, T0)).toEqual({ ok: true });
    expect(await s.open(req('carol'), LIMITS, T0)).toEqual({ ok: false, over: 'total' });
    // once alice's short one is due it no longer counts, for her or in total
    expect(await s.open(req('alice', { at: T0 + 1000 }), LIMITS, T0 + 1000)).toEqual({ ok: true });
  });

  it('take: exactly one decider wins; the others hear how it was closed; an unknown id is not_found', async () => {
    const s = await make();
    const r = req('alice');
    await s.open(r, LIMITS, T0);
    const results = await Promise.all(['sam', 'eve', 'max', 'ann'].map((by, i) => s.take(r.requestId, i % 2 ? 'declined' : 'approved', by, T0 + 5)));
    const winners = results.filter((x) => x.ok);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toEqual({ ok: true, request: r });
    const losers = results.filter((x) => !x.ok);
    expect(losers).toHaveLength(3);
    for (const l of losers) expect(l).toMatchObject({ ok: false, reason: 'closed', closed: { agentSub: 'alice', at: T0 + 5 } });
    const closed = await s.closed(r.requestId, T0 + 6);
    expect(closed).toMatchObject({ outcome: expect.stringMatching(/^(approved|declined)$/), agentSub: 'alice', at: T0 + 5 });
    expect(['sam', 'eve', 'max', 'ann']).toContain(closed!.by);
    expect(await s.get(r.requestId)).toBeUndefined();
    expect(await s.list(T0 + 6)).toEqual([]);
    expect(await s.take('apr-nobody', 'approved', 'sam', T0)).toEqual({ ok: false, reason: 'not_found' });
  });

  it('a request already due is never decided: the take that finds it closes it as expired, once', async () => {
    const s = await make();
    const r = req('alice', { ttlMs: 1000 });
    await s.open(r, LIMITS, T0);
    expect(await s.list(T0 + 1000)).toEqual([]);
    expect(await s.take(r.requestId, 'approved', 'sam', T0 + 1000)).toEqual({ ok: false, reason: 'expired_now', request: r });
    expect(await s.take(r.requestId, 'approved', 'sam', T0 + 1001)).toMatchObject({ ok: false, reason: 'closed', closed: { outcome: 'expired' } });
    expect(await s.expireDue(T0 + 2000)).toEqual([]);
  });

  it('expireDue closes each due request once, across concurrent sweeps, and leaves the others open', async () => {
    const s = await make();
    const due = Array.from({ length: 7 }, () => req('alice', { ttlMs: 1000 }));
    const later = req('bob', { ttlMs: 5000 });
    for (const r of [...due, later]) await s.open(r, { maxOpenPerAgent: 100, maxOpen: 100 }, T0);
    const sweeps = await Promise.all([s.expireDue(T0 + 1000), s.expireDue(T0 + 1000), s.expireDue(T0 + 1000)]);
    const ids = sweeps.flat().map((r) => r.requestId).sort();
    expect(ids).toEqual(due.map((r) => r.requestId).sort());
    for (const r of due) expect(await s.closed(r.requestId, T0 + 1000)).toMatchObject({ outcome: 'expired', agentSub: 'alice' });
    expect((await s.list(T0 + 1000)).map((r) => r.requestId)).toEqual([later.requestId]);
    expect(await s.take(due[0]!.requestId, 'approved', 'sam', T0 + 1000)).toMatchObject({ ok: false, reason: 'closed', closed: { outcome: 'expired' } });
  });

  it('the winning approval keeps its grant and the approver\'s name for the grant\'s lifetime only; a losing or expiring take keeps none', async () => {
    const s = await make();
    const r = req('alice');
    await s.open(r, LIMITS, T0);
    const grant = { token: 'h.p.s-winner', expiresAt: T0 + 300_000 };
    const [first, second] = await Promise.all([
      s.take(r.requestId, 'approved', 'sam', T0 + 5, { byName: 'Sam Supervisor', grant }),
      s.take(r.requestId, 'approved', 'eve', T0 + 5, { byName: 'Eve', grant: { token: 'h.p.s-loser', expiresAt: T0 + 300_000 } }),
    ]);
    const winner = first.ok ? 'sam' : 'eve';
    const loser = first.ok ? second : first;
    // how it was closed, as a late decider hears it: never the grant
    expect(loser).toMatchObject({ ok: false, reason: 'closed' });
    expect((loser as { closed: { grant?: unknown } }).closed.grant).toBeUndefined();
    const c = await s.closed(r.requestId, T0 + 10);
    expect(c).toMatchObject({ outcome: 'approved', agentSub: 'alice', by: winner, byName: winner === 'sam' ? 'Sam Supervisor' : 'Eve' });
    expect(c!.grant).toEqual(winner === 'sam' ? grant : { token: 'h.p.s-loser', expiresAt: T0 + 300_000 });
    // asked twice, the same grant (its nonce is used once, by the workstation)
    expect((await s.closed(r.requestId, T0 + 299_999))!.grant?.token).toBe(c!.grant!.token);
    // from its exp on: the outcome without the grant
    const after = await s.closed(r.requestId, T0 + 300_000);
    expect(after).toMatchObject({ outcome: 'approved', by: winner });
    expect(after!.grant).toBeUndefined();

    // a request already due when approved: expired, no grant kept
    const due = req('bob', { ttlMs: 1000 });
    await s.open(due, LIMITS, T0);
    expect(await s.take(due.requestId, 'approved', 'sam', T0 + 1000, { byName: 'Sam', grant: { token: 'h.p.s-late', expiresAt: T0 + 301_000 } })).toMatchObject({ reason: 'expired_now' });
    const e = await s.closed(due.requestId, T0 + 1001);
    expect(e).toMatchObject({ outcome: 'expired' });
    expect(e!.grant).toBeUndefined();
    expect(e!.byName).toBeUndefined();

    // a decline keeps its decider, no grant
    const d = req('carol');
    await s.open(d, LIMITS, T0);
    expect(await s.take(d.requestId, 'declined', 'sam', T0 + 2, { byName: 'Sam' })).toMatchObject({ ok: true });
    const dc = await s.closed(d.requestId, T0 + 3);
    expect(dc).toMatchObject({ outcome: 'declined', by: 'sam', byName: 'Sam' });
    expect(dc!.grant).toBeUndefined();
  });
}

export { T0 };
