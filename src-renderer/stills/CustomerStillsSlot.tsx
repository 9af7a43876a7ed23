/**
 * One-line mount on the customer page (CustomerOverlays): answers the agent's
 * still requests from the local camera track, shows transfer progress, and
 * offers "Send a photo" (gallery/files) through the same data channel.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { Messenger } from '../call/peer/data-channel';
import { useStore } from '../call/observable-store';
import { useLocale } from '../i18n/react';
import { CustomerStills } from './customer-stills';
import { stillSender } from './wire';
import { t } from './messages';

declare global {
  interface Window { __customerStills?: CustomerStills | null }
}

export interface CustomerStillsSlotProps {
  messenger: Messenger;
  /** The customer's preview: the capture falls back to its frame where the camera track cannot take a photo. */
  video: HTMLVideoElement | null;
  /** What the page shares; its video track is the camera a still is taken from. */
  localStream: MediaStream | null;
  /** Bytes per second a still may use now (null: unpaced), so a still on a weak link does not knock the call over. */
  pace: () => number | null;
}

export function CustomerStillsSlot({ messenger, video, localStream, pace }: CustomerStillsSlotProps) {
  useLocale();
  const videoRef = useRef(video);
  videoRef.current = video;
  const streamRef = useRef(localStream);
  streamRef.current = localStream;
  const stills = useMemo(() => new CustomerStills(messenger, () => streamRef.current?.getVideoTracks()[0] ?? null, () => videoRef.current), [messenger]);
  const paceRef = useRef(pace);
  paceRef.current = pace;
  useEffect(() => { stillSender(messenger).setPace(() => paceRef.current()); }, [messenger]);
  useEffect(() => { window.__customerStills = stills; return () => { stills.close(); window.__customerStills = null; }; }, [stills]);
  const s = useStore(stills.store);
  const fileRef = useRef<HTMLInputElement>(null);
  const pct = s.sending ? Math.round((100 * Math.max(s.sending.sent, s.sending.acked)) / Math.max(1, s.sending.total)) : 0;
  return (
    <div className="stills-customer" style={{ position: 'absolute', left: 8, bottom: 8, right: 8, display: 'flex', gap: 8, alignItems: 'center', pointerEvents: 'none', zIndex: 5 }}>
      <button type="button" data-testid="send-photo" title={t('sendPhotoHint')} style={{ pointerEvents: 'auto' }} onClick={() => fileRef.current?.click()}>{t('sendPhoto')}</button>
      <input ref={fileRef} data-testid="photo-input" type="file" accept="image/*" hidden onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) void stills.sendFile(f); }} />
      <span data-testid="still-status" role="status" data-state={s.sending ? 'sending' : s.last ? (s.last.ok ? 'sent' : 'failed') : 'idle'}
        style={{ background: 'rgba(0,0,0,.6)', color: '#fff', padding: '2px 8px', borderRadius: 4, display: s.sending || s.last ? 'inline' : 'none' }}>
        {s.sending ? t(s.sending.source === 'camera' ? 'sendingCamera' : 'sendingFile', { pct })
          : s.last ? (s.last.ok ? t('sent', { w: s.last.width ?? 0, h: s.last.height ?? 0 }) : s.last.error === 'unreadable' ? t('unreadable') : t('failed', { error: s.last.error ?? '' })) : ''}
      </span>
    </div>
  );
}
