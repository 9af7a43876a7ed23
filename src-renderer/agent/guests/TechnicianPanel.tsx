/**
 * The agent's three-way panel, shown while a customer is on the call: invite
 * a technician (single-use, expiring link with QR), who is in the session,
 * and Remove (the guest is cut off at once). It also plays the technicians'
 * voices.
 */
import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { getLocale } from '../../i18n';
import { useLocale } from '../../i18n/react';
import { useStore } from '../../call/observable-store';
import type { LinkState } from '../../call/peer-session';
import { useCall } from '../call-context';
import { guestsOf } from './agent-guests';
import { t } from './messages';
import { StreamAudio } from '../../ui/StreamAudio';

const LINK_TEXT: Record<LinkState, Parameters<typeof t>[0]> = {
  none: 'linkNone', connecting: 'linkConnecting', connected: 'linkConnected', disconnected: 'linkLost', failed: 'linkLost', closed: 'linkLost',
};

export function TechnicianPanel() {
  useLocale();
  const { call, state, sinkId } = useCall();
  const [guests] = useState(() => guestsOf(call));
  const g = useStore(guests.store);
  const [name, setName] = useState('');
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const invite = g.invite;
  useEffect(() => {
    setCopied(false);
    if (!invite) { setQr(null); return; }
    let stop = false;
    QRCode.toDataURL(invite.url, { errorCorrectionLevel: 'M', margin: 1, width: 180 }).then((u) => { if (!stop) setQr(u); }, () => setQr(null));
    return () => { stop = true; };
  }, [invite]);
  const live = !!state.customer && (state.phase === 'connected' || state.phase === 'connecting' || state.phase === 'reconnecting');
  if (!live && !g.guests.length) return null;
  const time = invite ? new Date(invite.expiresAt).toLocaleTimeString(getLocale() === 'ja' ? 'ja-JP' : 'en-US', { hour: '2-digit', minute: '2-digit' }) : '';
  const copy = async () => {
    if (!invite) return;
    try { await navigator.clipboard.writeText(invite.url); setCopied(true); } catch { setCopied(false); }
  };
  return (
    <section className="ws-card ws-invite ws-guests" data-testid="technician-panel">
      <h2>{t('title')}</h2>
      <p className="ws-muted">{t('lead')}</p>
      <form className="ws-invite-row" onSubmit={(e) => { e.preventDefault(); guests.invite(name); }}>
        <input data-testid="technician-name" value={name} maxLength={120} placeholder={t('namePlaceholder')} aria-label={t('namePlaceholder')} onChange={(e) => setName(e.currentTarget.value)} />
        <button type="submit" data-testid="invite-technician" disabled={!live || g.pending}>{g.pending ? t('inviting') : t('invite')}</button>
      </form>
      {g.error ? <p role="alert" data-testid="technician-error">{t('failed', { message: g.error })}</p> : null}
      {invite ? (
        <div data-testid="technician-invite">
          <small>{t('linkLead', { time })}</small>
          <input readOnly value={invite.url} data-testid="technician-invite-url" onFocus={(e) => e.currentTarget.select()} />
          <div className="ws-invite-row"><button type="button" onClick={() => void copy()}>{copied ? t('copied') : t('copy')}</button></div>
          {qr ? <img src={qr} alt={t('qrAlt')} data-testid="technician-invite-qr" width={180} height={180} /> : null}
        </div>
      ) : null}
      <h3>{t('inSession')}</h3>
      <ul className="ws-guest-list" data-testid="session-people">
        <li>{t('you')}</li>
        {state.customer ? <li data-testid="session-customer">{t('customer')}{state.customer.online ? '' : ` — ${t('offline')}`}</li> : null}
        {g.guests.map((x) => {
          const label = x.name || t('unnamed');
          return (
            <li key={x.memberId} data-testid="session-technician" data-member={x.memberId} data-link={x.link}>
              <span>{t('technician')}: <strong>{label}</strong> — {x.online ? t(LINK_TEXT[x.link]) : t('offline')}</span>{' '}
              <button type="button" data-testid="remove-technician" aria-label={t('removeLabel', { name: label })} onClick={() => guests.remove(x.memberId)}>{t('remove')}</button>
            </li>
          );
        })}
      </ul>
      {g.voices.map((v) => <StreamAudio key={v.memberId} memberId={v.memberId} stream={v.stream} sinkId={sinkId} testId="technician-audio" />)}
    </section>
  );
}

