import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { useLocale } from '../i18n/react';
import { getLocale } from '../i18n';
import { useCall } from './call-context';
import { t } from './messages';
import { codePageOf, groupCode } from './invite-code';

/**
 * The invite link to send: text, QR code (data URL, allowed by the CSP's img-src), copy button;
 * and the invite's short numeric code when the server minted one (`invite_created.code`).
 */
export function InvitePanel() {
  useLocale();
  const { state } = useCall();
  const invite = state.invite;
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    setCopied(false);
    if (!invite) { setQr(null); return; }
    let stop = false;
    QRCode.toDataURL(invite.url, { errorCorrectionLevel: 'M', margin: 1, width: 220 }).then((u) => { if (!stop) setQr(u); }, () => setQr(null));
    return () => { stop = true; };
  }, [invite]);
  if (!invite || state.phase !== 'waiting') return null;
  const copy = async () => {
    try { await navigator.clipboard.writeText(invite.url); setCopied(true); } catch { setCopied(false); }
  };
  const time = new Date(invite.expiresAt).toLocaleTimeString(getLocale() === 'ja' ? 'ja-JP' : 'en-US', { hour: '2-digit', minute: '2-digit' });
  return (
    <section className="ws-card ws-invite" data-testid="invite">
      <h2>{t('inviteTitle')}</h2>
      <input readOnly value={invite.url} data-testid="invite-url" onFocus={(e) => e.currentTarget.select()} />
      <div className="ws-invite-row">
        <button data-testid="copy-invite" onClick={() => void copy()}>{copied ? t('copied') : t('copy')}</button>
        <small>{t('inviteExpires', { time })}</small>
      </div>
      {qr ? <img src={qr} alt={t('qrAlt')} data-testid="invite-qr" width={220} height={220} /> : null}
      {invite.code ? (
        <p className="ws-invite-code" data-testid="invite-code" data-code={invite.code}>
          {t('inviteCodeLead', { url: codePageOf(invite.url) })}
          <br />
          <span>{t('inviteCodeLabel')}: </span>
          <strong aria-label={invite.code.split('').join(' ')}>{groupCode(invite.code)}</strong>
        </p>
      ) : null}
    </section>
  );
}
