/**
 * Writes this agent's segment of the active case (issue 13): `segment_started`
 * when the call connects (via a new call, or the kind of hand-off this desk
 * accepted, after the previous agent's segment), `segment_ended` with talk,
 * hold and after-contact-work seconds. Hold counts the agent's own hold and
 * the customer's wait during a consult. An agent who transferred the customer
 * away, or a consulted colleague who leaves, has no wrap-up: the segment ends
 * with the call. Otherwise wrap-up ends at the first of: a disposition saved
 * on the case, the agent setting themselves available or away, the next call.
 * Main writes the events as the signed-in agent and keeps the segment rules
 * (cases/data/writer.ts); this file only decides when.
 */
import type { CaseSegment, SegmentVia, StoredEvent } from '../../src-preload/contract/cases';
import { customerOnHoldForConsult, type ConsultState } from './model/consult';
import type { PresenceStatus, HandoffOffer } from '../../signaling-server/protocol';

export interface SegmentSources {
  call: { store: Sub<{ phase: string; held?: boolean; endedReason: string | null }> };
  handoff: { store: Sub<{ receiving: { kind: HandoffOffer['kind']; caseRef?: string } | null; receivedCase: 'none' | 'loading' | 'opened' | 'missing'; consult: ConsultState; myStatus: PresenceStatus }> };
  cases: Sub<{ activeCaseId: number | null; view: { case: { id: number }; events: StoredEvent[] } | null }>;
  append(caseId: number, event: { type: 'segment_started'; segmentId: string; previousSegmentId?: string; via: SegmentVia } | { type: 'segment_ended'; segmentId: string; talkSec: number; holdSec: number; acwSec: number; outcome?: 'resolved_remote' | 'technician_dispatch' | 'escalated_fraud' }): Promise<void>;
  segments(caseId: number): Promise<CaseSegment[]>;
  now?: () => number;
  newId?: () => string;
}
interface Sub<T> { get(): T; subscribe(fn: () => void): () => void }

const VIA: Record<HandoffOffer['kind'], SegmentVia> = { warm: 'warm_transfer', cold: 'cold_transfer', consult: 'consult' };
/** Ended this way, the agent has no after-contact work on this case. */
const NO_WRAP_UP = /^(transferred|consult_ended|handoff_)/;

interface Open { id: string; via: SegmentVia; awaitsCase: boolean; caseId: number | null; startedAt: number; heldMs: number; heldSince: number | null; starting: boolean }
interface WrapUp { id: string; caseId: number; talkSec: number; holdSec: number; endedAt: number; statusAtEnd: PresenceStatus }

export function recordSegments(src: SegmentSources): () => void {
  const now = src.now ?? Date.now;
  const newId = src.newId ?? (() => `seg-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
  let seg: Open | null = null;
  let wrap: WrapUp | null = null;
  const secs = (ms: number) => Math.max(0, Math.round(ms / 1000));
  const write = (caseId: number, e: Parameters<SegmentSources['append']>[1]) => src.append(caseId, e).catch((err: unknown) => console.warn(`${e.type} not written`, err));

  const onHold = () => !!src.call.store.get().held || customerOnHoldForConsult(src.handoff.store.get().consult);

  const tryStart = () => {
    const s = seg;
    if (!s || s.caseId !== null || s.starting) return;
    const h = src.handoff.store.get();
    // a hand-off's receiver waits for the case that came with it (imported and opened), unless none came
    if (s.awaitsCase && h.receivedCase !== 'opened' && h.receivedCase !== 'missing') return;
    const caseId = src.cases.get().activeCaseId;
    if (caseId === null) return;
    s.starting = true;
    void (async () => {
      let previous: string | undefined;
      if (s.via !== 'new') {
        // the case arrived with the previous agents' segments; the newest is the one we follow
        const all = await src.segments(caseId).catch(() => [] as CaseSegment[]);
        previous = all[all.length - 1]?.segmentId;
      }
      s.caseId = caseId;
      await write(caseId, { type: 'segment_started', segmentId: s.id, via: s.via, ...(previous ? { previousSegmentId: previous } : {}) });
      if (seg !== s) endOpen(s); // the call ended while we were starting
    })();
  };

  const endOpen = (s: Open) => {
    if (s.caseId === null) return; // never started on a case: nothing to close
    if (s.heldSince !== null) { s.heldMs += now() - s.heldSince; s.heldSince = null; }
    const ended = now();
    const talkSec = secs(ended - s.startedAt - s.heldMs);
    const holdSec = secs(s.heldMs);
    const reason = src.call.store.get().endedReason ?? '';
    if (s.via === 'consult' || NO_WRAP_UP.test(reason)) {
      void write(s.caseId, { type: 'segment_ended', segmentId: s.id, talkSec, holdSec, acwSec: 0 });
      return;
    }
    wrap = { id: s.id, caseId: s.caseId, talkSec, holdSec, endedAt: ended, statusAtEnd: src.handoff.store.get().myStatus };
  };

  const finishWrap = () => {
    const w = wrap;
    if (!w) return;
    wrap = null;
    const v = src.cases.get().view;
    const disp = v && v.case.id === w.caseId ? v.events.find((e) => e.body.type === 'disposition' && e.at >= w.endedAt - 60 * 60_000) : undefined;
    const outcome = disp && disp.body.type === 'disposition' ? disp.body.disposition.outcome : undefined;
    void write(w.caseId, { type: 'segment_ended', segmentId: w.id, talkSec: w.talkSec, holdSec: w.holdSec, acwSec: secs(now() - w.endedAt), ...(outcome ? { outcome } : {}) });
  };

  const onCall = () => {
    const st = src.call.store.get();
    if (st.phase === 'connected' && !seg) {
      finishWrap(); // the next call ends the last one's wrap-up
      const r = src.handoff.store.get().receiving;
      seg = { id: newId(), via: r ? VIA[r.kind] : 'new', awaitsCase: !!r?.caseRef, caseId: null, startedAt: now(), heldMs: 0, heldSince: null, starting: false };
      tryStart();
    }
    const s = seg;
    if (s) {
      const held = onHold();
      if (held && s.heldSince === null) s.heldSince = now();
      else if (!held && s.heldSince !== null) { s.heldMs += now() - s.heldSince; s.heldSince = null; }
    }
    if (st.phase === 'ended' && s) {
      seg = null;
      if (!s.starting || s.caseId !== null) endOpen(s);
    }
  };

  const onHandoff = () => {
    onCall(); // consult hold and the received case
    tryStart();
    const w = wrap;
    if (w) {
      const status = src.handoff.store.get().myStatus;
      if (status !== w.statusAtEnd && (status === 'available' || status === 'away')) finishWrap();
    }
  };

  const onCases = () => {
    tryStart();
    const w = wrap;
    const v = src.cases.get().view;
    if (w && v && v.case.id === w.caseId && v.events.some((e) => e.body.type === 'disposition' && e.at >= w.endedAt)) finishWrap();
  };

  const offs = [src.call.store.subscribe(onCall), src.handoff.store.subscribe(onHandoff), src.cases.subscribe(onCases)];
  onCall();
  return () => { for (const off of offs) off(); };
}
