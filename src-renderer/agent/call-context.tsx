/**
 * What capability panels get from the call: the AgentCall (state, messenger
 * for data-channel namespaces, screen pops), the call's stills (one map by
 * sha256 that every view shares), the live <video> element and the chosen
 * audio output. Panels call `useCall()`; nothing else is needed to plug
 * into the session.
 */
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import type { AgentStills } from '../stills/agent-stills';
import type { AgentCall, AgentCallState } from './agent-call';
import { useStore } from '../call/observable-store';

export interface CallContextValue {
  call: AgentCall;
  /** The stills of this call (receiving, requesting, and the map by sha256). */
  stills: AgentStills;
  /** The live video element (null until mounted); use ui/video-rect.ts for the picture's rect inside it. */
  video: HTMLVideoElement | null;
  setVideo(el: HTMLVideoElement | null): void;
  sinkId: string | null;
  setSinkId(id: string | null): void;
}

const Ctx = createContext<CallContextValue | null>(null);

export function CallProvider({ call, stills, children }: { call: AgentCall; stills: AgentStills; children: ReactNode }) {
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const [sinkId, setSinkId] = useState<string | null>(null);
  const value = useMemo(() => ({ call, stills, video, setVideo, sinkId, setSinkId }), [call, stills, video, sinkId]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useCall(): CallContextValue & { state: AgentCallState } {
  const v = useContext(Ctx);
  if (!v) throw new Error('useCall() outside <CallProvider>');
  const state = useStore(v.call.store);
  return { ...v, state };
}
