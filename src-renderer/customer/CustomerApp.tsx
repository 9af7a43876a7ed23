import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { useLocale } from '../i18n/react';
import { useStore } from '../call/observable-store';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { VideoView } from '../ui/VideoView';
import { whenIdle } from '../ui/when-idle';
import type { CustomerCall, CustomerCallState, CustomerNotice } from './customer-call';
import { canShareScreen } from './local-media';
import { t } from './messages';
import { qualityNotice, tcq } from './quality-messages';
import { inviteTokenFromPath } from './invite-path';
import { Survey } from './Survey';
import { PhotoFallback } from '../stills/PhotoFallback';
import { storedResumeToken } from './seat-storage';
import { StreamAudio } from '../ui/StreamAudio';

/**
 * The overlays (annotation with Konva, stills) load only once the call is connected, in the
 * first idle moment: the consent screen parses a third less script, and evaluating Konva no
 * longer holds the main thread while the camera opens and the answer is made (bench/call.ts:
 * link -> agent's first frame 2.46-2.78 s -> 2.0 s, getUserMedia 0.8-1.0 s -> 0.42 s).
 * Both need the data channel anyway; they catch up on mount (full annotation state on hello).
 */
const CustomerOverlays = lazy(() => import('./CustomerOverlays').then((m) => ({ default: m.CustomerOverlays })));

/** `staticConsent`: the server's plain-HTML consent step is on screen (static-consent.ts); draw nothing until the call moves past it. */
export function CustomerApp({ call, staticConsent = false }: { call: CustomerCall | null; staticConsent?: boolean }) {
  useLocale();
  if (!call) return <Shell phase="invalid"><Notice title={t('invalidUnknownTitle')} body={t('invalidUnknownBody')} testId="invalid-unknown" /></Shell>;
  return <Call call={call} staticConsent={staticConsent} />;
}

function Shell({ phase, children }: { phase: string; children: React.ReactNode }) {
  return (
    <div className="customer" data-testid="customer-root" data-phase={phase}>
      <header className="c-head">
        <strong>{t('title')}</strong>
        <LanguageSwitch label="Language / 言語" />
      </header>
      {children}
    </div>
  );
}

function Notice({ title, body, testId, children }: { title: string; body: string; testId: string; children?: React.ReactNode }) {
  return (
    <main className="c-notice" data-testid={testId}>
      <h1>{title}</h1>
      <p>{body}</p>
      {children}
    </main>
  );
}

const INVALID: Record<string, ['invalidUsedTitle' | 'invalidExpiredTitle' | 'invalidUnknownTitle' | 'invalidUnreachableTitle', 'invalidUsedBody' | 'invalidExpiredBody' | 'invalidUnknownBody' | 'invalidUnreachableBody']> = {
  used: ['invalidUsedTitle', 'invalidUsedBody'],
  expired: ['invalidExpiredTitle', 'invalidExpiredBody'],
  unknown: ['invalidUnknownTitle', 'invalidUnknownBody'],
  unreachable: ['invalidUnreachableTitle', 'invalidUnreachableBody'],
};

function Call({ call, staticConsent }: { call: CustomerCall; staticConsent: boolean }) {
  const s = useStore(call.store);
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const { phase } = s;
  const [overlays, setOverlays] = useState(false);
  const stillPace = useCallback(() => call.quality.bulkBytesPerSec(), [call]);
  useEffect(() => {
    if (overlays || phase !== 'connected') return;
    // After the first frames are on their way: evaluating Konva takes the main thread for a while.
    return whenIdle(() => setOverlays(true), 1500);
  }, [phase, overlays]);

  if (staticConsent && (phase === 'checking' || phase === 'consent')) return null;
  if (phase === 'checking') return <Shell phase={phase}><Notice title={t('checking')} body="" testId="checking" /></Shell>;
  if (phase === 'invalid') {
    const [title, body] = INVALID[s.invalidReason ?? 'unknown']!;
    return <Shell phase={phase}><Notice title={t(title)} body={t(body)} testId={`invalid-${s.invalidReason ?? 'unknown'}`} /></Shell>;
  }
  if (phase === 'consent') {
    return (
      <Shell phase={phase}>
        <main className="c-consent" data-testid="consent">
          <h1>{t('consentTitle')}</h1>
          <p>{t('consentBody')}</p>
          <ul><li>{t('consentWho')}</li><li>{t('consentWhat')}</li></ul>
          <div className="c-actions">
            <button className="primary" data-testid="start-camera" onClick={() => void call.start('camera')}>{t('startCamera')}</button>
            {canShareScreen() ? <button data-testid="start-screen" onClick={() => void call.start('screen')}>{t('startScreen')}</button> : null}
          </div>
        </main>
      </Shell>
    );
  }
  if (phase === 'media-error') {
    return (
      <Shell phase={phase}>
        <Notice title={t('mediaErrorTitle')} body={t('mediaErrorBody')} testId="media-error">
          <p className="c-detail">{s.mediaError}</p>
          <button className="primary" onClick={() => void call.start(s.source)}>{t('retry')}</button>
        </Notice>
      </Shell>
    );
  }
  if (phase === 'ended') {
    const body = s.endedReason === 'agent_hangup' ? t('endedAgent') : s.endedReason === 'self_hangup' ? t('endedSelf') : s.endedReason === 'expired' ? t('endedExpired') : t('endedOther');
    // only a customer who was in the call is asked (the link is the credential the server checks)
    const surveyToken = s.endedReason === 'agent_hangup' || s.endedReason === 'self_hangup' ? inviteTokenFromPath(location.pathname) : null;
    return <Shell phase={phase}><Notice title={t('endedTitle')} body={body} testId="ended" />{surveyToken ? <Survey token={surveyToken} /> : null}</Shell>;
  }

  return (
    <Shell phase={phase}>
      <main className="c-live">
        <VideoView stream={s.localStream} muted mirrored={false} className="c-preview" testId="local-video" onVideoElement={setVideo}>
          {overlays ? <Suspense fallback={null}><CustomerOverlays messenger={call.messenger} video={video} localStream={s.localStream} stillPace={stillPace} /></Suspense> : null}
        </VideoView>
        <StreamAudio stream={s.remoteStream} testId="agent-audio" />
        <QualityNotice call={call} />
        {phase === 'connecting' || phase === 'reconnecting' ? <PhotoFallback messenger={call.messenger} seatToken={() => storedResumeToken(call.token)} /> : null}
        {s.extraStreams.map((x) => <StreamAudio key={x.id} stream={x} testId="agent-audio" />)}
        {s.notice ? <p className="c-notice" role="status" aria-live="polite" data-testid="handoff-notice" data-kind={s.notice.kind}>{noticeText(s.notice)}</p> : null}
        <div className="c-bar">
          <span className="status" data-testid="customer-status" data-phase={phase} {...figureAttrs(s)}>{statusText(s)}</span>
          {!s.hasMic && s.localStream ? <span className="c-warn">{t('noMic')}</span> : null}
          <div className="c-controls">
            {s.hasMic ? (
              <button data-testid="mute" aria-pressed={s.micMuted} onClick={() => call.setMicMuted(!s.micMuted)}>{s.micMuted ? t('unmute') : t('mute')}</button>
            ) : null}
            {s.canSwitchCamera ? <button data-testid="switch-camera" onClick={() => void call.switchCamera()}>{t('switchCamera')}</button> : null}
            <button className="danger" data-testid="hang-up" onClick={() => call.hangUp()}>{t('hangUp')}</button>
          </div>
        </div>
      </main>
    </Shell>
  );
}

type NoticeKey = Parameters<typeof t>[0];

function noticeText(n: CustomerNotice): string {
  const named = (withName: NoticeKey, without: NoticeKey, name?: string) => (name ? t(withName, { name }) : t(without));
  switch (n.kind) {
    case 'hold': return n.video === 'paused' ? t('holdPaused') : t('holdKept');
    case 'transfer_waiting': return t('transferWaiting');
    case 'transferred': return named('transferred', 'transferredNoName', n.name);
    case 'joined': return n.role === 'technician' ? named('techJoined', 'techJoinedNoName', n.name) : named('agentJoined', 'agentJoinedNoName', n.name);
    case 'left': return named('techLeft', 'techLeftNoName', n.name);
  }
}

function statusText(s: CustomerCallState): string {
  switch (s.phase) {
    case 'starting': return t('starting');
    case 'waiting': return t('waiting');
    case 'connecting': return t('connecting');
    case 'connected': return s.source === 'screen' ? t('youAreSharingScreen') : t('youAreSharing');
    case 'reconnecting': return t('reconnecting');
    default: return '';
  }
}

/** The figures behind the status dot, as data attributes (diagnostics and end-to-end tests read them). */
function figureAttrs(s: CustomerCallState): Record<string, string | number> {
  const f = s.figures;
  return f ? { 'data-audio-in-bytes': f.audioInBytes, 'data-audio-out-bytes': f.audioOutBytes, 'data-rtt-ms': f.rttMs ?? '', 'data-path': f.localCandidateType ?? '' } : {};
}

/** The call adapted to a weak connection: say so, in the customer's language. */
function QualityNotice({ call }: { call: CustomerCall }) {
  const { state } = useStore(call.quality.store);
  const shown = state.probeFrom ?? state.mode;
  const text = qualityNotice(shown);
  return (
    <p className="c-quality" role="status" data-testid="quality-notice" data-mode={shown} data-applied={state.mode} hidden={!text}>
      {text}{text && state.pinned ? ` ${tcq('pinned')}` : ''}
    </p>
  );
}

