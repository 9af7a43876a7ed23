/**
 * Writes the visual session into the active case as it happens: when the
 * call connects (session_started + the customer's context packet) and when
 * it ends (session_ended with its duration, and the time from the link going
 * out to the first frame drawn, or why none came). If no case is open when the
 * call connects, the start is recorded as soon as one is. Each write is
 * retried and, if it still fails, shown to the agent (durable-write.ts).
 */
import type { ContextPacket } from '../../signaling-server/protocol';
import { call } from '../bridge/workstation';
import { durableWrite } from './durable-write';
import { casesStore } from './store';

export interface CallStateSource {
  store: {
    get(): { phase: string; customer: { memberId: string; context: ContextPacket | null } | null; endedReason: string | null; invite?: { roomId?: string; sentAt?: number } | null; firstFrameAt?: number | null };
    subscribe(fn: () => void): () => void;
  };
}

export function recordSessions(source: CallStateSource): () => void {
  let session: { id: string; startedAt: number; caseId: number | null; context: ContextPacket | null; roomId?: string; linkSentAt?: number } | null = null;

  const start = (caseId: number) => {
    if (!session || session.caseId !== null) return;
    session.caseId = caseId;
    const s = session;
    const context = s.context;
    const writeContext = () => { if (context) void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event: { type: 'context_packet', context } })); };
    // The device context follows the start (the timeline reads in that order), also when the start lands only on a later retry.
    void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event: { type: 'session_started', sessionId: s.id, media: 'camera', ...(s.roomId ? { roomId: s.roomId } : {}), ...(s.linkSentAt ? { linkSentAt: s.linkSentAt } : {}) } }), writeContext)
      .then((r) => { if (r.ok) writeContext(); });
  };

  // a link that went out while a case was open, until a customer joins from it
  let pending: { roomId: string; sentAt: number; caseId: number } | null = null;

  const onCall = () => {
    const st = source.store.get();
    const active = casesStore.get().activeCaseId;
    if (st.invite?.roomId && st.invite.sentAt && !st.customer && active !== null && pending?.roomId !== st.invite.roomId) {
      pending = { roomId: st.invite.roomId, sentAt: Math.round(st.invite.sentAt), caseId: active };
    }
    if (st.customer) pending = null;
    if (st.phase === 'ended' && !session && pending) {
      // the customer never joined from the link (not opened, consent declined, expired): a session with no frame, and why it ended
      const p = pending;
      pending = null;
      const id = `link-${p.roomId}`.slice(0, 128);
      const ended = { type: 'session_ended' as const, sessionId: id, reason: (st.endedReason ?? 'ended').slice(0, 200), durationSec: 0, noFrameCause: `not_joined:${st.endedReason ?? 'ended'}`.slice(0, 40) };
      const writeEnd = () => { void durableWrite('session', p.caseId, () => call('cases:appendEvent', { caseId: p.caseId, event: ended })); };
      void durableWrite('session', p.caseId, () => call('cases:appendEvent', { caseId: p.caseId, event: { type: 'session_started', sessionId: id, roomId: p.roomId, linkSentAt: p.sentAt } }), writeEnd)
        .then((r) => { if (r.ok) writeEnd(); });
    }
    if (st.phase === 'connected' && st.customer && (!session || session.id !== st.customer.memberId)) {
      session = { id: st.customer.memberId, startedAt: Date.now(), caseId: null, context: st.customer.context, ...(st.invite?.roomId ? { roomId: st.invite.roomId } : {}), ...(st.invite?.sentAt ? { linkSentAt: Math.round(st.invite.sentAt) } : {}) };
      const active = casesStore.get().activeCaseId;
      if (active !== null) start(active);
    }
    if (st.phase === 'ended' && session) {
      const s = session;
      session = null;
      if (s.caseId !== null) {
        const caseId = s.caseId;
        // link sent -> first frame drawn, for the visual-session KPI; a session that never drew one says why it ended
        const frame = st.firstFrameAt != null && s.linkSentAt !== undefined ? { firstFrameMs: Math.max(0, Math.round(st.firstFrameAt - s.linkSentAt)) } : { noFrameCause: (st.endedReason ?? 'unknown').slice(0, 40) };
        // Measured once, at the end: a retry writes the same duration, not one that grew while it waited.
        const event = { type: 'session_ended' as const, sessionId: s.id, reason: (st.endedReason ?? 'ended').slice(0, 200), durationSec: Math.round((Date.now() - s.startedAt) / 1000), ...frame };
        void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event }));
      }
    }
  };

  const onCases = () => {
    const active = casesStore.get().activeCaseId;
    if (active !== null && session && session.caseId === null) start(active);
  };

  const offCall = source.store.subscribe(onCall);
  const offCases = casesStore.subscribe(onCases);
  onCall();
  return () => { offCall(); offCases(); };
}
