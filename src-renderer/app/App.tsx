/**
 * The workstation shell: a plain composition. Capabilities plug in with ONE
 * line each in the marked slots; panels read the call through useCall()
 * (agent/call-context.tsx): state, `call.messenger` for data-channel
 * namespaces, the call's stills, the live <video>, and `call.onScreenPop()`;
 * the overlay slot is handed the messenger, video and stills it uses.
 */
import { useEffect, useMemo } from 'react';
import type { AgentCall } from '../agent/agent-call';
import { CasePanel } from '../cases';
import { CallProvider } from '../agent/call-context';
import { CallBar } from '../agent/CallBar';
import { ContextPanel } from '../agent/ContextPanel';
import { FiguresPanel } from '../agent/FiguresPanel';
import { InvitePanel } from '../agent/InvitePanel';
import { LiveVideo } from '../agent/LiveVideo';
import { AgentAnnotationSlot } from '../annotation/agent/AgentAnnotationSlot';
import { OcrPanel } from '../ocr/OcrPanel';
import { AgentHandoff } from '../handoff/agent-handoff';
import { HandoffPanel } from '../handoff/HandoffPanel';
import { casesStore, getActiveCaseId, openCase } from '../cases/store';
import { call as invoke } from '../bridge/workstation';
import { AgentStills } from '../stills/agent-stills';

export interface AppProps {
  call: AgentCall;
  /** Screen pop hook (ANI from telephony or from the customer's context packet). */
  onScreenPop?: (ani: string, source: 'telephony' | 'context', callId?: string) => void;
}

export function App({ call, onScreenPop }: AppProps) {
  useEffect(() => (onScreenPop ? call.onScreenPop(onScreenPop) : undefined), [call, onScreenPop]);
  // One stills endpoint per call: the annotation freeze, the OCR panel and case evidence share its map.
  const stills = useMemo(() => new AgentStills(call.messenger), [call]);
  useEffect(() => () => stills.close(), [stills]);
  // One hand-off controller per call: the team panel and the call bar (End disabled mid-transfer) read it.
  const handoff = useMemo(() => {
    const h = new AgentHandoff(call, {
      shareCase: async (handoffId, caseRef) => {
        const r = await invoke('handoff:shareCase', { handoffId, caseId: Number(caseRef) });
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      },
      receiveCase: async (handoffId) => {
        const r = await invoke('handoff:receiveCase', { handoffId });
        if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
        await openCase(r.value.caseId);
      },
    });
    (window as unknown as { __handoff?: AgentHandoff }).__handoff = h;
    return h;
  }, [call]);
  useEffect(() => () => handoff.close(), [handoff]);
  const caseRef = () => {
    const id = getActiveCaseId();
    const name = casesStore.get().view?.customer.name;
    return { ...(id !== null ? { caseRef: String(id) } : {}), ...(name ? { customerName: name } : {}) };
  };
  return (
    <CallProvider call={call} stills={stills}>
      <div className="ws" data-testid="workstation">
        <CallBar />
        <main className="ws-main">
          <LiveVideo>
            {/* overlay slot: annotation stage */}
            {(video) => <AgentAnnotationSlot messenger={call.messenger} video={video} stills={stills.map} />}
          </LiveVideo>
          {/* below-video slot: snapshot tray */}
        </main>
        <aside className="ws-side">
          <InvitePanel />
          <HandoffPanel handoff={handoff} caseRef={caseRef} />
          <ContextPanel />
          <FiguresPanel />
          <CasePanel calls={call} />
          {/* side panel slot: OCR / bill panel */}
          <OcrPanel />
        </aside>
      </div>
    </CallProvider>
  );
}
