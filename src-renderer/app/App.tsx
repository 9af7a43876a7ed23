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
import { QualityPanel } from '../agent/quality/QualityPanel';
import { AgentAnnotationSlot } from '../annotation/agent/AgentAnnotationSlot';
import { OcrPanel } from '../ocr/OcrPanel';
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
  useEffect(() => {
    // Diagnostics and end-to-end tests read the call's stills here (as window.__agentCall).
    (window as unknown as { __agentStillsMap?: AgentStills['map'] }).__agentStillsMap = stills.map;
    return () => stills.close();
  }, [stills]);
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
          <ContextPanel />
          <FiguresPanel />
          <QualityPanel />
          <CasePanel calls={call} />
          {/* side panel slot: OCR / bill panel */}
          <OcrPanel />
        </aside>
      </div>
    </CallProvider>
  );
}
