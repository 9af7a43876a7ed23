/** One-line mount for the workstation's overlay slot (inside <LiveVideo>). */
import { useCallback, useEffect, useState } from 'react';
import { useCall } from '../../agent/call-context';
import { guestsOf } from '../../agent/guests/agent-guests';
import { voicesOf } from '../../handoff/agent-voices';
import '../globals';
import type { Messenger } from '../../call/peer/data-channel';
import { getWorkstation } from '../../bridge/workstation';
import { useCases } from '../../cases';
import { refresh as refreshCase } from '../../cases/store';
import type { StillMap } from '../../stills/still-map';
import { AgentAnnotationStage, type AgentAnnotationStageProps } from './AgentAnnotationStage';
import type { AgentAnnotator } from './agent-annotator';

export interface AgentAnnotationSlotProps {
  /** The call's data channel. */
  messenger: Messenger;
  /** The live video the marks are laid over. */
  video: HTMLVideoElement | null;
  /** The call's stills map (a freeze shows the customer's still from it). */
  stills: StillMap | null;
  /** Saves into this case; by default the one open in the case panel. */
  caseId?: number | null;
}

export function AgentAnnotationSlot({ messenger, video, stills, caseId }: AgentAnnotationSlotProps) {
  const { activeCaseId } = useCases();
  const { call } = useCall();
  const [annotator, setAnnotator] = useState<AgentAnnotator | null>(null);
  const publish = useCallback((a: AgentAnnotator | null) => { window.__annotationAgent = a; setAnnotator(a); }, []);
  // technicians' data channels: their marks come in and are relayed through this annotator
  useEffect(() => {
    if (!annotator) return undefined;
    const offs = new Map<string, () => void>();
    const stop = guestsOf(call).onMessenger((memberId, m) => {
      offs.get(memberId)?.();
      offs.delete(memberId);
      if (m) offs.set(memberId, annotator.connectGuest(m));
    });
    return () => { stop(); for (const off of offs.values()) off(); };
  }, [annotator, call]);
  // the other agent in the room (consult, warm transfer): both desks' marks, over the agents' own peer
  useEffect(() => {
    const voices = annotator ? voicesOf(call) : undefined;
    if (!annotator || !voices) return undefined;
    const offs = new Map<string, () => void>();
    const stop = voices.onMessenger((memberId, m, theyAreHub) => {
      offs.get(memberId)?.();
      offs.delete(memberId);
      if (m) offs.set(memberId, theyAreHub ? annotator.connectHub(m) : annotator.connectColleague(m));
    });
    return () => { stop(); for (const off of offs.values()) off(); };
  }, [annotator, call]);
  const invoke = useCallback<NonNullable<AgentAnnotationStageProps['invoke']>>((c, i) => getWorkstation().invoke(c, i), []);
  return <AgentAnnotationStage video={video} messenger={messenger} stills={stills} caseId={caseId ?? activeCaseId} invoke={invoke} onAnnotator={publish} onSaved={() => void refreshCase()} />;
}
