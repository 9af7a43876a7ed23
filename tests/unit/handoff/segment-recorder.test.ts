/**
 * When this desk writes its segment of a case: a new call, a hand-off taken
 * over after the previous agent's segment, the sender who transferred away
 * (no wrap-up), hold counted during a consult, wrap-up ended by a disposition.
 */
import { describe, expect, it } from 'vitest';
import { createStore } from '../../../src-renderer/call/observable-store';
import { recordSegments, type SegmentSources } from '../../../src-renderer/handoff/segment-recorder';
import { CONSULT_IDLE, type ConsultState } from '../../../src-renderer/handoff/model/consult';
import type { CaseSegment, StoredEvent } from '../../../src-preload/contract/cases';

type Written = { caseId: number, event: Parameters<SegmentSources['append']>[1] };

function rig(segmentsOf: CaseSegment[] = []) {
  let t = 1_000_000;
  const call = { store: createStore<{ phase: string, held: boolean, endedReason: string | null }>({ phase: 'waiting', held: false, endedReason: null }) };
  const handoff = { store: createStore<{ receiving: { kind: 'warm' | 'cold' | 'consult', caseRef?: string } | null, receivedCase: 'none' | 'loading' | 'opened' | 'missing', consult: ConsultState, myStatus: 'available' | 'on_call' | 'wrap_up' | 'away' }>({ receiving: null, receivedCase: 'none', consult: CONSULT_IDLE, myStatus: 'available' }) };
  const cases = createStore<{ activeCaseId: number | null, view: { case: { id: number }, events: StoredEvent[] } | null }>({ activeCaseId: null, view: null });
  const written: Written[] = [];
  let n = 0;
  const stop = recordSegments({
    call, handoff, cases,
    append: async (caseId, event) => { written.push({ caseId, event }); },
    segments: async () => segmentsOf,
    now: () => t, newId: () => `seg-test-${++n}`,
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { call, handoff, cases, written, stop, settle, advance: (ms: number) => { t += ms; }, now: () => t };
}

describe('segment recorder', () => {
  it('a new call: started once the case is open; hold counted; wrap-up ends at the disposition, with its outcome', async () => {
    const r = rig();
    r.call.store.set({ phase: 'connected' });
    await r.settle();
    expect(r.written).toEqual([]); // no case open yet
    r.cases.set({ activeCaseId: 5 });
    await r.settle();
    expect(r.written).toEqual([{ caseId: 5, event: { type: 'segment_started', segmentId: 'seg-test-1', via: 'new' } }]);
    r.advance(60_000);
    r.call.store.set({ held: true });
    r.advance(20_000);
    r.call.store.set({ held: false });
    r.advance(40_000);
    r.call.store.set({ phase: 'ended', endedReason: 'agent_hangup' });
    await r.settle();
    expect(r.written).toHaveLength(1); // wrap-up runs
    r.advance(30_000);
    const disp = { seq: 9, caseId: 5, customerId: 1, at: r.now(), agentId: 'alice', body: { type: 'disposition', disposition: { outcome: 'resolved_remote', summary: '' } } } as StoredEvent;
    r.cases.set({ view: { case: { id: 5 }, events: [disp] } });
    await r.settle();
    expect(r.written[1]).toEqual({ caseId: 5, event: { type: 'segment_ended', segmentId: 'seg-test-1', talkSec: 100, holdSec: 20, acwSec: 30, outcome: 'resolved_remote' } });
    r.stop();
  });

  it('the receiver of a warm transfer waits for the case that came along, then follows the previous agent\'s segment', async () => {
    const alice: CaseSegment = { segmentId: 'seg-alice-1', caseId: 7, previousSegmentId: null, agentId: 'alice', via: 'new', queue: null, startedAt: 1, endedAt: null, talkSec: null, holdSec: null, acwSec: null, outcome: null };
    const r = rig([alice]);
    r.cases.set({ activeCaseId: 3 }); // some other case was open on Bob's desk
    r.handoff.store.set({ receiving: { kind: 'warm', caseRef: '12' }, receivedCase: 'loading' });
    r.call.store.set({ phase: 'connected' });
    await r.settle();
    expect(r.written).toEqual([]);
    r.cases.set({ activeCaseId: 7 });
    r.handoff.store.set({ receivedCase: 'opened' });
    await r.settle();
    expect(r.written).toEqual([{ caseId: 7, event: { type: 'segment_started', segmentId: 'seg-test-1', via: 'warm_transfer', previousSegmentId: 'seg-alice-1' } }]);
    r.stop();
  });

  it('the agent who transferred the customer away, and a consulted colleague, end their segment with the call and no wrap-up', async () => {
    const r = rig();
    r.cases.set({ activeCaseId: 5 });
    r.call.store.set({ phase: 'connected' });
    await r.settle();
    r.advance(10_000);
    r.call.store.set({ phase: 'ended', endedReason: 'transferred' });
    await r.settle();
    expect(r.written.map((w) => w.event)).toEqual([
      { type: 'segment_started', segmentId: 'seg-test-1', via: 'new' },
      { type: 'segment_ended', segmentId: 'seg-test-1', talkSec: 10, holdSec: 0, acwSec: 0 },
    ]);
    r.stop();

    const c = rig([]);
    c.cases.set({ activeCaseId: 8 });
    c.handoff.store.set({ receiving: { kind: 'consult' } });
    c.call.store.set({ phase: 'connected' });
    await c.settle();
    c.advance(15_000);
    c.call.store.set({ phase: 'ended', endedReason: 'consult_ended' });
    await c.settle();
    expect(c.written.map((w) => w.event.type + ':' + ('via' in w.event ? w.event.via : w.event.acwSec))).toEqual(['segment_started:consult', 'segment_ended:0']);
    c.stop();
  });

  it('the customer\'s wait during a consult is hold time; setting oneself available ends wrap-up', async () => {
    const r = rig();
    r.cases.set({ activeCaseId: 5 });
    r.call.store.set({ phase: 'connected' });
    await r.settle();
    r.advance(5_000);
    r.handoff.store.set({ consult: { phase: 'talking', answeredAt: r.now(), id: 'h1', colleagueId: 'bob', video: 'paused', note: '', requestedAt: r.now(), deadline: r.now() + 60_000 } as unknown as ConsultState });
    r.advance(25_000);
    r.handoff.store.set({ consult: CONSULT_IDLE });
    r.advance(5_000);
    r.handoff.store.set({ myStatus: 'wrap_up' });
    r.call.store.set({ phase: 'ended', endedReason: 'agent_hangup' });
    r.advance(12_000);
    r.handoff.store.set({ myStatus: 'available' });
    await r.settle();
    expect(r.written[1]?.event).toEqual({ type: 'segment_ended', segmentId: 'seg-test-1', talkSec: 10, holdSec: 25, acwSec: 12 });
    r.stop();
  });
});
