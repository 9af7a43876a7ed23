/**
 * Writes the visual session into the active case as it happens: when the
 * call connects (session_started + the customer's context packet) and when
 * it ends (session_ended with its duration). If no case is open when the
 * call connects, the start is recorded as soon as one is. Each write is
 * retried and, if it still fails, shown to the agent (durable-write.ts).
 */
import type { ContextPacket } from '../../signaling-server/protocol';
import { call } from '../bridge/workstation';
import { durableWrite } from './durable-write';
import { casesStore } from './store';

export interface CallStateSource {
  store: {
    get(): { phase: string; customer: { memberId: string; context: ContextPacket | null } | null; endedReason: string | null };
    subscribe(fn: () => void): () => void;
  };
}

export function recordSessions(source: CallStateSource): () => void {
  let session: { id: string; startedAt: number; caseId: number | null; context: ContextPacket | null } | null = null;

  const start = (caseId: number) => {
    if (!session || session.caseId !== null) return;
    session.caseId = caseId;
    const s = session;
    const context = s.context;
    const writeContext = () => { if (context) void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event: { type: 'context_packet', context } })); };
    // The device context follows the start (the timeline reads in that order), also when the start lands only on a later retry.
    void durableWrite('session', caseId, () => call('cases:appendEvent', { caseId, event: { type: 'session_started', sessionId: s.id, media: 'camera' } }), writeContext)
      .then((r) => { if (r.ok) writeContext(); });
  };

  const onCall = () => {
    const st = source.store.get();
    if (st.phase === 'connected' && st.customer && (!session || session.id !== st.customer.memberId)) {
      session = { id: st.customer.memberId, startedAt: Date.now(), caseId: null, context: st.customer.context };
      const active = casesStore.get().activeCaseId;
      if (active !== null) start(active);
    }
    if (st.phase === 'ended' && session) {
      const s = session;
      session = null;
      if (s.caseId !== null) {
        const caseId = s.caseId;
        // Measured once, at the end: a retry writes the same duration, not one that grew while it waited.
        const event = { type: 'session_ended' as const, sessionId: s.id, reason: (st.endedReason ?? 'ended').slice(0, 200), durationSec: Math.round((Date.now() - s.startedAt) / 1000) };
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
