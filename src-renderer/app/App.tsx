/**
 * The workstation shell: a plain composition. Capabilities plug in with ONE
 * line each in the marked slots; panels read the call through useCall()
 * (agent/call-context.tsx): state, `call.messenger` for data-channel
 * namespaces, the call's stills, the live <video>, and `call.onScreenPop()`;
 * the overlay slot is handed the messenger, video and stills it uses.
 */
import { useEffect, useMemo } from 'react';
import type { AgentCall } from '../agent/agent-call';
import { IncomingContact } from '../agent/incoming';
import { AudioDevices } from '../audio/device-manager';
import { Ringer } from '../audio/ringer';
import { HeadsetLink } from '../headset/headset-link';
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
import { SettingsPanel } from '../settings/SettingsPanel';
import { AgentStills } from '../stills/agent-stills';
import type { AuthStatus } from '../../src-preload/contract/auth';
import { ViewerContext } from '../auth/viewer';
import { UserBar } from '../auth/UserBar';
import { ApprovalInbox } from '../approvals/ApprovalInbox';

export interface AppProps {
  call: AgentCall;
  /** Who is signed in (the user bar; supervisors get the approval inbox). */
  auth?: AuthStatus;
  /** Screen pop hook (ANI from telephony or from the customer's context packet). */
  onScreenPop?: (ani: string, source: 'telephony' | 'context', callId?: string) => void;
}

export function App({ call, auth, onScreenPop }: AppProps) {
  useEffect(() => (onScreenPop ? call.onScreenPop(onScreenPop) : undefined), [call, onScreenPop]);
  // One stills endpoint per call: the annotation freeze, the OCR panel and case evidence share its map.
  const stills = useMemo(() => new AgentStills(call.messenger), [call]);
  useEffect(() => {
    // Diagnostics and end-to-end tests read the call's stills here (as window.__agentCall).
    (window as unknown as { __agentStillsMap?: AgentStills['map'] }).__agentStillsMap = stills.map;
    return () => stills.close();
  }, [stills]);
  // The agent's headset and devices: ringing for offered contacts, devices that come and go, HID call control.
  const audio = useMemo(() => {
    const ringer = new Ringer();
    const incoming = new IncomingContact(call);
    return { ringer, incoming, devices: new AudioDevices(call, ringer), headset: new HeadsetLink(call, incoming) };
  }, [call]);
  useEffect(() => {
    const { ringer, incoming, devices, headset } = audio;
    const offRing = incoming.store.subscribe(() => { if (incoming.store.get().ringing) ringer.start(); else ringer.stop(); });
    void devices.start();
    void headset.start();
    return () => { offRing(); void headset.dispose(); devices.dispose(); incoming.dispose(); ringer.dispose(); };
  }, [audio]);
  return (
    <CallProvider call={call} stills={stills} audio={audio.devices} incoming={audio.incoming} headset={audio.headset}>
      <ViewerContext.Provider value={auth?.user ?? null}>
      <div className="ws" data-testid="workstation">
        {auth ? <UserBar status={auth} /> : null}
        <CallBar />
        <main className="ws-main">
          <LiveVideo>
            {/* overlay slot: annotation stage */}
            {(video) => <AgentAnnotationSlot messenger={call.messenger} video={video} stills={stills.map} />}
          </LiveVideo>
          {/* below-video slot: snapshot tray */}
        </main>
        <aside className="ws-side">
          {auth?.user?.roles.includes('supervisor') ? <ApprovalInbox /> : null}
          <InvitePanel />
          <ContextPanel />
          <FiguresPanel />
          <QualityPanel />
          <CasePanel calls={call} />
          {/* side panel slot: OCR / bill panel */}
          <OcrPanel />
          <SettingsPanel />
        </aside>
      </div>
      </ViewerContext.Provider>
    </CallProvider>
  );
}
