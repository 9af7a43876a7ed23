/**
 * A supervisor's look at the original of a redacted still (card numbers not
 * painted over). Asks why first; main records the look in the case before it
 * answers, and the picture lives only in this dialog (its URL is revoked on
 * close, nothing is cached).
 */
import { useEffect, useState } from 'react';
import { call } from '../bridge/workstation';
import { base64ToBytes } from '../bytes/base64';
import { useLocale } from '../i18n/react';
import { errorText } from './error-text';
import { t } from './messages';

export function ShowOriginal({ caseId, sha256 }: { caseId: number; sha256: string }) {
  useLocale();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => () => { if (url) URL.revokeObjectURL(url); }, [url]);

  async function show() {
    setBusy(true);
    setError(null);
    const r = await call('ocr:showOriginal', { caseId, sha256, reason });
    setBusy(false);
    if (!r.ok) { setError(r.error.code === 'forbidden' ? t('originalForbidden') : r.error.code === 'not_found' ? t('originalNone') : errorText(r.error)); return; }
    const bytes = base64ToBytes(r.value.imageBase64);
    setUrl(URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: r.value.mime })));
    setAsking(false);
    setReason('');
  }

  if (url) {
    return (
      <div className="cases-original" role="dialog" aria-label={t('originalTitle')} data-testid="original-dialog">
        <p className="cases-original-note">{t('originalRecorded')}</p>
        <img src={url} alt={t('originalTitle')} data-testid="original-image" />
        <button type="button" data-testid="original-close" onClick={() => setUrl(null)}>{t('originalClose')}</button>
      </div>
    );
  }
  if (!asking) return <button type="button" className="cases-original-open" data-testid="show-original" onClick={() => setAsking(true)}>{t('showOriginal')}</button>;
  return (
    <form className="cases-original-ask" onSubmit={(e) => { e.preventDefault(); void show(); }}>
      <label>{t('originalReason')}<input data-testid="original-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} autoFocus /></label>
      <button type="submit" data-testid="original-confirm" disabled={busy || reason.trim().length < 3}>{t('showOriginal')}</button>
      <button type="button" onClick={() => { setAsking(false); setError(null); }}>{t('originalCancel')}</button>
      {error ? <p className="cases-error" role="alert" data-testid="original-error">{error}</p> : null}
    </form>
  );
}
