/** One-line mount for the workstation's overlay slot (inside <LiveVideo>). */
import { useCallback } from 'react';
import '../globals';
import { getWorkstation } from '../../bridge/workstation';
import { useCall } from '../../agent/call-context';
import { useCases } from '../../cases';
import { refresh as refreshCase } from '../../cases/store';
import { AgentAnnotationStage, type AgentAnnotationStageProps } from './AgentAnnotationStage';
import type { AgentAnnotator } from './controller';


/** Saves into the case open in the case panel (or `caseId` when given). */
export function AgentAnnotationSlot({ caseId }: { caseId?: number | null }) {
  const { call, video } = useCall();
  const { activeCaseId } = useCases();
  const publish = useCallback((a: AgentAnnotator | null) => { window.__annotationAgent = a; }, []);
  const invoke = useCallback<NonNullable<AgentAnnotationStageProps['invoke']>>((c, i) => getWorkstation().invoke(c, i), []);
  return <AgentAnnotationStage video={video} messenger={call.messenger} caseId={caseId ?? activeCaseId} invoke={invoke} onAnnotator={publish} onSaved={() => void refreshCase()} />;
}
