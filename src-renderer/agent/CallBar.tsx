import { useLocale } from '../i18n/react';
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
  const { call, state: s } = useCall();
  const inCall = s.phase === 'waiting' || s.phase === 'connecting' || s.phase === 'connected' || s.phase === 'reconnecting';
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
            <button className="danger" data-testid="end-call" disabled={s.handoffPending} title={s.handoffPending ? t('endDisabledHandoff') : undefined} onClick={() => call.hangUp()}>{t('endCall')}</button>
          </>
        ) : null}
      </div>
      <DevicePicker />
      <LanguageSwitch label={t('language')} />
    </header>
  );
}
