/** Plays the other agents' voices in the room (a consult, a warm transfer): agent-voices.ts holds the links. */
import { useEffect, useRef } from 'react';
import { useStore } from '../call/observable-store';
import type { AgentVoices } from './agent-voices';

export function ColleagueVoices({ voices }: { voices: AgentVoices }) {
  const s = useStore(voices.store);
  return <>{s.voices.map((v) => <Voice key={v.memberId} memberId={v.memberId} stream={v.stream} />)}</>;
}

function Voice({ memberId, stream }: { memberId: string; stream: MediaStream }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = stream;
    a.play().catch(() => {});
  }, [stream]);
  return <audio ref={ref} data-testid="colleague-audio" data-member={memberId} autoPlay />;
}
