/** One-line mount for the workstation's overlay slot (inside <LiveVideo>). */
import { useCallback } from 'react';
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
  const publish = useCallback((a: AgentAnnotator | null) => { window.__annotationAgent = a; }, []);
  const invoke = useCallback<NonNullable<AgentAnnotationStageProps['invoke']>>((c, i) => getWorkstation().invoke(c, i), []);
  return <AgentAnnotationStage video={video} messenger={messenger} stills={stills} caseId={caseId ?? activeCaseId} invoke={invoke} onAnnotator={publish} onSaved={() => void refreshCase()} />;
}
