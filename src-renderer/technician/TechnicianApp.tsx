/** The technician's page: join, the customer's live video and voice with everyone's marks, the agent's voice, its own microphone and drawing tools. */
import { useState } from 'react';
import { useLocale } from '../i18n/react';
import { createStore, useStore } from '../call/observable-store';
import { VideoView } from '../ui/VideoView';
import { AgentAnnotationStage } from '../annotation/agent/AgentAnnotationStage';
import { AgentAnnotator } from '../annotation/agent/agent-annotator';
import { newAuthorId } from '../annotation/model/ids';
import { TECHNICIAN_COLOR } from '../annotation/sync/guest-gate';
import type { TechnicianCall, TechnicianPhase, TechnicianState } from './technician-call';
import { t } from './messages';
import { StreamAudio } from '../ui/StreamAudio';

const PHASE_TEXT: Partial<Record<TechnicianPhase, Parameters<typeof t>[0]>> = {
  checking: 'checking', joining: 'joining', waiting: 'waiting', connecting: 'connecting', connected: 'connected', reconnecting: 'reconnecting',
};
const INVALID_TEXT = { used: 'invalidUsed', expired: 'invalidExpired', unknown: 'invalidUnknown', unreachable: 'invalidUnreachable' } as const;

export function TechnicianApp({ call }: { call: TechnicianCall | null }) {
  useLocale();
  const s = useStore(call?.store ?? NONE);
  // the same tools as the agent's, locked to the technician's colour and to its own marks
  const [annotator] = useState(() => {
    const a = new AgentAnnotator(newAuthorId('t'), { color: TECHNICIAN_COLOR });
    (window as unknown as { __annotationTech?: AgentAnnotator }).__annotationTech = a;
    return a;
  });
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  if (!call) return <main className="tech"><p data-testid="tech-status" data-phase="invalid">{t('invalidUnknown')}</p></main>;
  const live = s.phase === 'connecting' || s.phase === 'connected' || s.phase === 'reconnecting' || s.phase === 'waiting';
  const status = s.phase === 'invalid' ? t(INVALID_TEXT[s.invalidReason ?? 'unknown'])
    : s.phase === 'removed' ? t('removed') : s.phase === 'ended' ? t('ended')
    : PHASE_TEXT[s.phase] ? t(PHASE_TEXT[s.phase]!) : null;
  return (
    <main className="tech" data-testid="technician">
      <header className="tech-bar">
        <h1>{t('title')}</h1>
        {s.agentName && live ? <span>{t('withAgent', { name: s.agentName })}</span> : null}
        <span className="tech-status" data-testid="tech-status" data-phase={s.phase} role="status">{status}</span>
        {live && s.hasMic ? (
          <button type="button" data-testid="tech-mute" aria-pressed={s.micMuted} onClick={() => call.setMicMuted(!s.micMuted)}>{s.micMuted ? t('unmute') : t('mute')}</button>
        ) : null}
        {live && !s.hasMic && s.micError ? <span className="tech-warn" data-testid="tech-no-mic" role="alert">{t('noMic')}</span> : null}
        {live ? <button type="button" data-testid="tech-leave" onClick={() => call.leave()}>{t('leave')}</button> : null}
      </header>
      {s.phase === 'ready' ? (
        <section className="tech-intro">
          <p>{t('lead')}</p>
          <p>{t('privacy')}</p>
          <button type="button" data-testid="tech-join" onClick={() => void call.join()}>{t('join')}</button>
        </section>
      ) : null}
      {live ? (
        <>
          <VideoView stream={s.remoteStream} className="tech-video" testId="tech-video" onVideoElement={setVideo} placeholder={<span>{t('noVideo')}</span>}>
            <AgentAnnotationStage video={video} messenger={call.messenger} annotator={annotator} />
          </VideoView>
          <p className="tech-hint">{t('drawHint')}</p>
          <StreamAudio stream={s.agentStream} testId="tech-agent-audio" />
          {s.otherAgentStreams.map((st) => <StreamAudio key={st.id} stream={st} testId="tech-other-agent-audio" />)}
        </>
      ) : null}
    </main>
  );
}


const NONE = createStore<TechnicianState>({
  phase: 'invalid', invalidReason: 'unknown', remoteStream: null, customerLink: 'none', agentLink: 'none', agentName: null, customerPresent: false, removedAt: null,
  agentStream: null, otherAgentStreams: [], hasMic: false, micMuted: false, micError: null,
});
