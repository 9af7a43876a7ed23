/**
 * On the customer's page when the call cannot connect (a network that lets the
 * page and its socket through but no WebRTC path): after a while of trying, it
 * offers to send a photo instead, over HTTP to the signaling node, which hands
 * it to the agent. The call keeps trying underneath.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Messenger } from '../call/peer/data-channel';
import { useStore } from '../call/observable-store';
import { useLocale } from '../i18n/react';
import { CustomerStills } from './customer-stills';
import { t } from './messages';

/** How long the call tries before the photo is offered. */
export const PHOTO_FALLBACK_AFTER_MS = 10_000;

export function PhotoFallback({ messenger, seatToken, afterMs = PHOTO_FALLBACK_AFTER_MS }: { messenger: Messenger; seatToken: () => string | null; afterMs?: number }) {
  useLocale();
  const [shown, setShown] = useState(false);
  useEffect(() => { const tm = setTimeout(() => setShown(true), afterMs); return () => clearTimeout(tm); }, [afterMs]);
  const tokenRef = useRef(seatToken);
  tokenRef.current = seatToken;
  const stills = useMemo(() => new CustomerStills(messenger, () => null, () => null, { seatToken: () => tokenRef.current(), answerRequests: false }), [messenger]);
  useEffect(() => () => stills.close(), [stills]);
  const s = useStore(stills.store);
  const fileRef = useRef<HTMLInputElement>(null);
  if (!shown && !s.sending && !s.last) return null;
  const pct = s.sending ? Math.round((100 * s.sending.sent) / Math.max(1, s.sending.total)) : 0;
  return (
    <section className="c-photo-fallback" data-testid="photo-fallback" role="region" aria-label={t('noVideoTitle')}>
      <h2>{t('noVideoTitle')}</h2>
      <p>{t('noVideoBody')}</p>
      <button type="button" className="primary" data-testid="fallback-send-photo" disabled={!!s.sending} onClick={() => fileRef.current?.click()}>{t('sendPhoto')}</button>
      <input ref={fileRef} data-testid="fallback-photo-input" type="file" accept="image/*" hidden onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void stills.sendFile(f); }} />
      <span data-testid="fallback-status" role="status" data-state={s.sending ? 'sending' : s.last ? (s.last.ok ? 'sent' : 'failed') : 'idle'}>
        {s.sending ? t('sendingFile', { pct }) : s.last ? (s.last.ok ? t('sent', { w: s.last.width ?? 0, h: s.last.height ?? 0 }) : s.last.error === 'unreadable' ? t('unreadable') : t('failed', { error: s.last.error ?? '' })) : ''}
      </span>
    </section>
  );
}
