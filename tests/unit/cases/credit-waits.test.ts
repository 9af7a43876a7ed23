/**
 * The workstation's credit waits (src-renderer/cases/credit-waits.ts): the agent asks for a
 * supervisor's approval on one case and moves on; the decision lands the credit in that case
 * whatever the agent has open, once, and the case's form shows the outcome when shown again.
 */
import { describe, expect, it } from 'vitest';
import { createCreditWaits, type CreditAnswer, type CreditAsk } from '../../../src-renderer/cases/credit-waits';
import type { ExtraFrame } from '../../../src-renderer/agent/agent-call';
import type { Result } from '../../../src-preload/contract/types';

let seq = 0;
const approver = { sub: 'sam', name: 'Sam Supervisor' };
const tick = () => new Promise((r) => setTimeout(r, 0));

function rig() {
  const frameFns = new Set<(m: ExtraFrame) => void>();
  const credits: Array<{ caseId: number, ask: CreditAsk, grant: string }> = [];
  const credited: number[] = [];
  let changes = 0;
  const waits = createCreditWaits({
    onFrame: (fn) => { frameFns.add(fn); return () => { frameFns.delete(fn); }; },
    onSignalingBack: () => () => {},
    status: async () => ({ ok: true, value: { state: 'open' } }),
    issueCredit: async (caseId, ask, grant): Promise<Result<CreditAnswer>> => {
      credits.push({ caseId, ask, grant });
      return { ok: true, value: { state: 'approved', audited: true, auditThresholdMinor: 500_00 } };
    },
    credited: (caseId) => { credited.push(caseId); },
  });
  waits.subscribe(() => { changes++; });
  const decide = (requestId: string, m: Partial<Extract<ExtraFrame, { type: 'approval_decided' }>> = {}) => {
    for (const fn of [...frameFns]) fn({ type: 'approval_decided', requestId, outcome: 'approved', grant: `grant-${requestId}`, approver, ...m } as ExtraFrame);
  };
  return { waits, decide, credits, credited, changes: () => changes, listeners: () => frameFns.size };
}

describe("the workstation's credit waits", () => {
  it('approved while the agent works on other cases: the credit lands in the case it was asked for, once, and its form shows it once', async () => {
    const t = rig();
    const requestId = `apr-w-${++seq}`;
    t.waits.start(7, { requestId, amount: 600_00, reason: 'outage week' });
    expect(t.waits.get(7)).toMatchObject({ kind: 'waiting', amount: 600_00 });
    // no form of case 7 is shown now; the decision comes, twice (a queued frame)
    t.decide(requestId);
    t.decide(requestId);
    await tick();
    expect(t.credits).toEqual([{ caseId: 7, ask: { requestId, amount: 600_00, reason: 'outage week' }, grant: `grant-${requestId}` }]);
    expect(t.credited).toEqual([7]);
    expect(t.listeners()).toBe(0);
    // the form of case 7 shown again: the outcome, then seen, then nothing
    expect(t.waits.get(7)).toMatchObject({ kind: 'settled', settled: { kind: 'credited', by: 'Sam Supervisor' } });
    t.waits.seen(7, requestId);
    expect(t.waits.get(7)).toBeUndefined();
  });

  it('waits of two cases are kept apart; a decline credits nothing', async () => {
    const t = rig();
    const a = `apr-w-${++seq}`, b = `apr-w-${++seq}`;
    t.waits.start(1, { requestId: a, amount: 700_00, reason: 'a' });
    t.waits.start(2, { requestId: b, amount: 800_00, reason: 'b' });
    t.decide(b, { outcome: 'declined', grant: undefined });
    await tick();
    expect(t.credits).toEqual([]);
    expect(t.waits.get(1)).toMatchObject({ kind: 'waiting', requestId: a });
    expect(t.waits.get(2)).toMatchObject({ kind: 'settled', settled: { kind: 'declined' } });
    t.decide(a);
    await tick();
    expect(t.credits.map((c) => c.caseId)).toEqual([1]);
    expect(t.changes()).toBeGreaterThanOrEqual(4);
  });

  it("a newer request for the same case replaces the older one's wait", async () => {
    const t = rig();
    const old = `apr-w-${++seq}`, next = `apr-w-${++seq}`;
    t.waits.start(3, { requestId: old, amount: 600_00, reason: 'first' });
    t.waits.start(3, { requestId: next, amount: 650_00, reason: 'second' });
    expect(t.listeners()).toBe(1);
    t.decide(old);
    await tick();
    expect(t.credits).toEqual([]);
    expect(t.waits.get(3)).toMatchObject({ kind: 'waiting', requestId: next });
  });
});
