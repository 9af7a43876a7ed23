/** Plays the other agents' voices in the room (a consult, a warm transfer): agent-voices.ts holds the links. */
import { useStore } from '../call/observable-store';
import type { AgentVoices } from './agent-voices';
import { StreamAudio } from '../ui/StreamAudio';
import { useCall } from '../agent/call-context';

export function ColleagueVoices({ voices }: { voices: AgentVoices }) {
  const s = useStore(voices.store);
  // On the agent's chosen output (the headset), like the customer's voice.
  const { sinkId } = useCall();
  return <>{s.voices.map((v) => <StreamAudio key={v.memberId} memberId={v.memberId} stream={v.stream} sinkId={sinkId} testId="colleague-audio" />)}</>;
}

