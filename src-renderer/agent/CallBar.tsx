import { useEffect, useState } from 'react';
import { useLocale } from '../i18n/react';
import { createStore, useStore } from '../call/observable-store';
import { t as ta } from '../audio/messages';
import type { SwitchNotice as Notice } from '../audio/model/switch-notice';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { useCall } from './call-context';
import { DevicePicker } from './DevicePicker';
import { t } from './messages';
import type { AgentCallState } from './agent-call';

export function phaseText(s: AgentCallState): string {
  switch (s.phase) {
    case 'starting': return t('starting');
    case 'ready': return t('ready');
    case 'waiting': return t('waiting');
    case 'connecting': return t('connecting');
    case 'connected': return s.customer && !s.customer.online ? `${t('connected')} · ${t('customerOffline')}` : t('connected');
    case 'reconnecting': return t('reconnecting');
    case 'ended': return `${t('ended')} — ${s.endedReason === 'agent_hangup' ? t('endedAgent') : s.endedReason === 'customer_hangup' ? t('endedCustomer') : s.endedReason === 'expired' ? t('endedExpired') : s.endedReason === 'transferred' ? t('endedTransferred') : t('endedOther')}`;
    case 'error': return t('error');
  }
}

/** Top bar: status, new session / mute / end, devices, language. */
export function CallBar() {
  useLocale();
  const { call, state: s, incoming, headset, audio } = useCall();
  const inCall = s.phase === 'waiting' || s.phase === 'connecting' || s.phase === 'connected' || s.phase === 'reconnecting';
  const ring = useStore(incoming?.store ?? NO_RING);
  const hs = useStore(headset?.store ?? NO_HEADSET);
  return (
    <header className="ws-bar" data-testid="call-bar">
      <strong className="ws-title">{t('appTitle')}</strong>
      <span className="status" data-testid="agent-status" data-phase={s.phase} data-ended-reason={s.endedReason ?? ''}>{phaseText(s)}</span>
      <div className="ws-actions">
        {!inCall ? (
          <button className="primary" data-testid="new-session" disabled={s.phase === 'starting' || s.phase === 'error'} onClick={() => call.newSession()}>{t('newSession')}</button>
        ) : null}
        {inCall ? (
          <>
            <button data-testid="mute" aria-pressed={s.micMuted} onClick={() => call.setMicMuted(!s.micMuted)}>{s.micMuted ? t('unmute') : t('mute')}</button>
            <button data-testid="hold" aria-pressed={s.held} onClick={() => call.setHeld(!s.held)}>{s.held ? ta('resume') : ta('hold')}</button>
            {s.held ? <span className="ws-warn" data-testid="on-hold">{ta('onHold')}</span> : null}
            <button className="danger" data-testid="end-call" disabled={s.handoffPending} title={s.handoffPending ? t('endDisabledHandoff') : undefined} onClick={() => call.hangUp()}>{t('endCall')}</button>
          </>
        ) : null}
      </div>
      {ring.ringing && !inCall ? (
        <div className="ws-incoming" role="alert" data-testid="incoming">
          <span>{ta('incoming', { ani: ring.ani ?? '' })}</span>
          <button className="primary" data-testid="answer" onClick={() => incoming?.answer()}>{ta('answer')}</button>
          <button data-testid="dismiss" onClick={() => incoming?.dismiss()}>{ta('dismiss')}</button>
        </div>
      ) : null}
      {audio ? <SwitchNotice store={audio.store} /> : null}
      {headset ? (
        hs.device !== null
          ? <span className="ws-headset" data-testid="headset-status">{ta('headsetConnected', { name: hs.device || ta('headsetUnnamed') })}</span>
          : hs.supported
            ? <button data-testid="headset-connect" onClick={() => void headset.request()}>{ta('headsetConnect')}</button>
            : <span className="ws-headset" title={ta('headsetUnsupported')} />
      ) : null}
      <DevicePicker />
      <LanguageSwitch label={t('language')} />
    </header>
  );
}

const NO_RING = createStore({ ringing: false, ani: null as string | null });
const NO_HEADSET = createStore({ supported: false, device: null as string | null });

/** Says for a few seconds where the microphone and sound went when a device came or went. */
function SwitchNotice({ store }: { store: NonNullable<ReturnType<typeof useCall>['audio']>['store'] }) {
  const { notice } = useStore(store);
  const [shown, setShown] = useState<Notice | null>(null);
  useEffect(() => {
    if (!notice) return;
    setShown(notice);
    const h = setTimeout(() => setShown(null), 8000);
    return () => clearTimeout(h);
  }, [notice]);
  if (!shown) return null;
  return <span className="ws-notice" role="status" data-testid="device-switch" data-via={shown.via} data-what={shown.what}>{noticeText(shown)}</span>;
}

function noticeText(n: Notice): string {
  if (n.via === 'chosen') return n.what === 'speaker' ? ta('speakerBack') : ta('switchedBack');
  if (n.what === 'speaker') return n.via === 'recent' ? ta('speakerToRecent') : ta('speakerToDefault');
  if (n.what === 'headset') return n.via === 'recent' ? ta('headsetToRecent') : ta('headsetToDefault');
  return n.via === 'recent' ? ta('switchedToRecent') : ta('switchedToDefault');
}
