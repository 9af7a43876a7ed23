/**
 * What capability panels get from the call: the AgentCall (state, messenger
 * for data-channel namespaces, screen pops), the call's stills (one map by
 * sha256 that every view shares), the live <video> element and the chosen
 * audio output. Panels call `useCall()`; nothing else is needed to plug
 * into the session.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { AudioDevices } from '../audio/device-manager';
import type { HeadsetLink } from '../headset/headset-link';
import type { AgentStills } from '../stills/agent-stills';
import type { IncomingContact } from './incoming';
import type { AgentCall, AgentCallState } from './agent-call';
import { createStore, useStore } from '../call/observable-store';

export interface CallContextValue {
  call: AgentCall;
  /** The stills of this call (receiving, requesting, and the map by sha256). */
  stills: AgentStills;
  /** The live video element (null until mounted); use ui/video-rect.ts for the picture's rect inside it. */
  video: HTMLVideoElement | null;
  setVideo(el: HTMLVideoElement | null): void;
  /** The call's audio output ('' the system default), kept by `audio` as devices come and go. */
  sinkId: string | null;
  setSinkId(id: string | null): void;
  /** The agent's audio devices (mic, speaker, ringer, processing); null in hosts that do not run them. */
  audio: AudioDevices | null;
  incoming: IncomingContact | null;
  headset: HeadsetLink | null;
}

const Ctx = createContext<CallContextValue | null>(null);
const NO_AUDIO = createStore({ outputSinkId: '' as string });

export interface CallProviderProps {
  call: AgentCall;
  stills: AgentStills;
  audio?: AudioDevices | null;
  incoming?: IncomingContact | null;
  headset?: HeadsetLink | null;
  children: ReactNode;
}

export function CallProvider({ call, stills, audio = null, incoming = null, headset = null, children }: CallProviderProps) {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [localSink, setLocalSink] = useState<string | null>(null);
  const audioState = useStore(audio?.store ?? NO_AUDIO);
  const sinkId = audio ? audioState.outputSinkId : localSink;
  const value = useMemo(() => ({
    call, stills, video, setVideo, sinkId, audio, incoming, headset,
    setSinkId: (id: string | null) => { if (audio) void audio.chooseOutput(id || null); else setLocalSink(id); },
  }), [call, stills, video, sinkId, audio, incoming, headset]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useCall(): CallContextValue & { state: AgentCallState } {
  const v = useContext(Ctx);
  if (!v) throw new Error('useCall() outside <CallProvider>');
  const state = useStore(v.call.store);
  return { ...v, state };
}
