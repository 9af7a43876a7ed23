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
import { AgentVoices } from '../handoff/agent-voices';
import { ColleagueVoices } from '../handoff/ColleagueVoices';
import { guestsOf } from '../agent/guests/agent-guests';
import { recordGuests } from '../agent/guests/guest-recorder';
import { TechnicianPanel } from '../agent/guests/TechnicianPanel';
import { LiveVideo } from '../agent/LiveVideo';
import { QualityPanel } from '../agent/quality/QualityPanel';
import { AgentAnnotationSlot } from '../annotation/agent/AgentAnnotationSlot';
import { OcrPanel } from '../ocr/OcrPanel';
import { SettingsPanel } from '../settings/SettingsPanel';
import { AgentHandoff } from '../handoff/agent-handoff';
import { HandoffPanel } from '../handoff/HandoffPanel';
import { recordSegments } from '../handoff/segment-recorder';
import { casesStore, getActiveCaseId, openCase } from '../cases/store';
import { call as invoke } from '../bridge/workstation';
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
  // A customer whose data channel cannot open sends photos over HTTP; the node tells us when one is whole.
  useEffect(() => call.onServer('still_uploaded', (m) => void stills.fetchUpload(m, call.uploadAccess)), [call, stills]);
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
  // The other agents' voices in the room (consult, warm transfer): one audio peer each.
  const voices = useMemo(() => {
    const v = new AgentVoices(call);
    (window as unknown as { __agentVoices?: AgentVoices }).__agentVoices = v;
    return v;
  }, [call]);
  useEffect(() => () => voices.dispose(), [voices]);
  // The technician guests of this desk's calls go into the open case's timeline.
  useEffect(() => recordGuests(guestsOf(call)), [call]);
  // This agent's segment of the case (new call, or taken over by a hand-off), with talk, hold and wrap-up times.
  useEffect(() => recordSegments({
    call, handoff, cases: casesStore,
    append: async (caseId, event) => {
      const r = await invoke('cases:appendEvent', { caseId, event });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    },
    segments: async (caseId) => {
      const r = await invoke('cases:segments', { caseId });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value;
    },
  }), [call, handoff]);
  const caseRef = () => {
    const id = getActiveCaseId();
    const name = casesStore.get().view?.customer.name;
    return { ...(id !== null ? { caseRef: String(id) } : {}), ...(name ? { customerName: name } : {}) };
  };
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
          <TechnicianPanel />
          <HandoffPanel handoff={handoff} caseRef={caseRef} />
          <ColleagueVoices voices={voices} />
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
