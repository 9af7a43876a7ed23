/** One-line mount for the workstation's overlay slot (inside <LiveVideo>). */
import { useCallback } from 'react';
import '../globals';
import { getWorkstation } from '../../bridge/workstation';
import { useCall } from '../../session/call-context';
import { AgentAnnotationStage, type AgentAnnotationStageProps } from './AgentAnnotationStage';
import type { AgentAnnotator } from './controller';


/** `caseId`: the case this call is filed under, if any (enables Save to case). */
export function AgentAnnotationSlot({ caseId = null }: { caseId?: number | null }) {
  const { call, video } = useCall();
  const publish = useCallback((a: AgentAnnotator | null) => { window.__annotationAgent = a; }, []);
  const invoke = useCallback<NonNullable<AgentAnnotationStageProps['invoke']>>((c, i) => getWorkstation().invoke(c, i), []);
  return <AgentAnnotationStage video={video} messenger={call.messenger} caseId={caseId} invoke={invoke} onAnnotator={publish} />;
}
