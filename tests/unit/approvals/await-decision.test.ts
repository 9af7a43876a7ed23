/**
 * The agent's wait for a supervisor (src-renderer/approvals/await-decision.ts):
 * the decision comes live or, after the socket was down, from approvals:status;
 * whichever way and however often it arrives, one credit is asked for and no
 * error is shown.
 */
import { describe, expect, it } from 'vitest';
import { awaitDecision, type Settled } from '../../../src-renderer/approvals/await-decision';
import type { ExtraFrame } from '../../../src-renderer/agent/agent-call';
import type { ApprovalStatus } from '../../../src-preload/contract/approvals';
import type { Result } from '../../../src-preload/contract/types';

let seq = 0;

/** A fake feed and IPC the test steers: status and credit answers resolve when the test says so. */
function rig(o: { requestId?: string } = {}) {
  const requestId = o.requestId ?? `apr-test-${++seq}`;
  const frameFns = new Set<(m: ExtraFrame) => void>();
  const backFns = new Set<() => void>();
  const statusCalls: Array<(r: Result<ApprovalStatus>) => void> = [];
  const credits: Array<{ grant: string, answer: (r: Result<{ state: string }>) => void }> = [];
  const settled: Array<Settled<{ state: string }>> = [];
  const stop = awaitDecision<{ state: string }>({
    requestId,
    onFrame: (fn) => { frameFns.add(fn); return () => { frameFns.delete(fn); }; },
    onSignalingBack: (fn) => { backFns.add(fn); return () => { backFns.delete(fn); }; },
    status: () => new Promise((res) => { statusCalls.push(res); }),
    issueCredit: (grant) => new Promise((res) => { credits.push({ grant, answer: res }); }),
    settled: (s) => { settled.push(s); },
  });
  const frame = (m: Partial<Extract<ExtraFrame, { type: 'approval_decided' }>>) => {
    for (const fn of [...frameFns]) fn({ type: 'approval_decided', requestId, outcome: 'approved', ...m } as ExtraFrame);
  };
  const back = () => { for (const fn of [...backFns]) fn(); };
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { requestId, frame, back, statusCalls, credits, settled, stop, tick, listeners: () => frameFns.size + backFns.size };
}

const approver = { sub: 'sam', name: 'Sam Supervisor' };

describe('waiting for a supervisor\'s decision', () => {
  it('the socket comes back: status carries the grant and the credit is asked for once; the live frame arriving too changes nothing', async () => {
    const t = rig();
    t.back();
    expect(t.statusCalls).toHaveLength(1);
    t.statusCalls[0]!({ ok: true, value: { state: 'approved', grant: 'h.p.s', approver } });
    await t.tick();
    expect(t.credits.map((c) => c.grant)).toEqual(['h.p.s']);
    // the same decision live (a frame that was queued), and another reconnect: nothing more
    t.frame({ grant: 'h.p.s', approver });
    t.back();
    expect(t.credits).toHaveLength(1);
    expect(t.statusCalls).toHaveLength(1);
    t.credits[0]!.answer({ ok: true, value: { state: 'approved' } });
    await t.tick();
    expect(t.settled).toEqual([{ kind: 'credited', result: { state: 'approved' }, by: 'Sam Supervisor' }]);
    expect(t.listeners()).toBe(0);
  });

  it('the live frame first, a status answer for the same request later: one credit, no error', async () => {
    const t = rig();
    t.back();
    t.frame({ grant: 'h.p.s', approver });
    expect(t.credits).toHaveLength(1);
    // the status asked before the frame answers after it
    t.statusCalls[0]!({ ok: true, value: { state: 'approved', grant: 'h.p.s', approver } });
    await t.tick();
    expect(t.credits).toHaveLength(1);
    t.credits[0]!.answer({ ok: true, value: { state: 'approved' } });
    await t.tick();
    expect(t.settled).toHaveLength(1);
    expect(t.settled[0]!.kind).toBe('credited');
  });

  it('still open, or the server unreachable: keeps waiting, and the next decision is acted on', async () => {
    const t = rig();
    t.back();
    t.statusCalls[0]!({ ok: true, value: { state: 'open' } });
    t.back();
    t.statusCalls[1]!({ ok: false, error: { code: 'unavailable', message: 'the signaling server cannot be reached' } });
    await t.tick();
    expect(t.settled).toEqual([]);
    expect(t.credits).toEqual([]);
    t.frame({ outcome: 'declined', approver });
    expect(t.settled).toEqual([{ kind: 'declined' }]);
    expect(t.credits).toEqual([]);
  });

  it('declined, expired, and approved after the grant\'s lifetime (no grant) are told without a credit', async () => {
    const d = rig();
    d.back();
    d.statusCalls[0]!({ ok: true, value: { state: 'declined', approver } });
    const e = rig();
    e.frame({ outcome: 'expired' });
    const l = rig();
    l.back();
    l.statusCalls[0]!({ ok: true, value: { state: 'approved', approver } });
    await d.tick();
    expect([d.settled, e.settled, l.settled]).toEqual([[{ kind: 'declined' }], [{ kind: 'expired' }], [{ kind: 'lapsed' }]]);
    expect([...d.credits, ...e.credits, ...l.credits]).toEqual([]);
  });

  it('a refused credit is told once; frames for other requests are ignored', async () => {
    const t = rig();
    t.frame({ requestId: 'apr-someone-else', grant: 'x.y.z' });
    expect(t.credits).toEqual([]);
    t.frame({ grant: 'h.p.s', approver });
    t.credits[0]!.answer({ ok: false, error: { code: 'approval_expired', message: 'this approval has expired' } });
    await t.tick();
    expect(t.settled).toEqual([{ kind: 'credit_failed', error: { code: 'approval_expired', message: 'this approval has expired' } }]);
  });

  it('two watchers of one request make one credit; a stopped watcher does nothing', async () => {
    const a = rig();
    a.back();
    expect(a.statusCalls).toHaveLength(1);
    a.stop();
    a.statusCalls[0]!({ ok: true, value: { state: 'approved', grant: 'h.p.s', approver } });
    await a.tick();
    expect(a.credits).toEqual([]);
    expect(a.listeners()).toBe(0);
    // the old form's watcher and the new one both hear of the same request: one credit
    const b = rig({ requestId: a.requestId });
    b.back();
    const c = rig({ requestId: a.requestId });
    c.frame({ grant: 'h.p.s', approver });
    b.statusCalls[0]!({ ok: true, value: { state: 'approved', grant: 'h.p.s', approver } });
    await b.tick();
    expect(b.credits.length + c.credits.length).toBe(1);
    expect(b.settled).toEqual([]);
  });
});
