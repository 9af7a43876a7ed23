/**
 * What the customer's page says about a photo on its way (the stills overlay and the
 * no-video photo fallback say it the same way): the state the tests read and the line
 * the customer reads, in their language. Pure.
 */
import type { CustomerStillsState } from './customer-stills';
import { t } from './messages';

export type StillStatusState = 'idle' | 'sending' | 'sent' | 'failed';

export function stillStatusState(s: CustomerStillsState): StillStatusState {
  return s.sending ? 'sending' : s.last ? (s.last.ok ? 'sent' : 'failed') : 'idle';
}

/** Progress of the transfer in percent; `countAcked`: what the agent confirmed counts too (data channel). */
export function stillPercent(s: CustomerStillsState, countAcked: boolean): number {
  if (!s.sending) return 0;
  const done = countAcked ? Math.max(s.sending.sent, s.sending.acked) : s.sending.sent;
  return Math.round((100 * done) / Math.max(1, s.sending.total));
}

/** The status line; `bySource`: a still the agent asked the camera for reads differently from a picked file. */
export function stillStatusText(s: CustomerStillsState, opts: { countAcked: boolean; bySource: boolean }): string {
  if (s.sending) {
    const pct = stillPercent(s, opts.countAcked);
    return t(opts.bySource && s.sending.source === 'camera' ? 'sendingCamera' : 'sendingFile', { pct });
  }
  if (!s.last) return '';
  if (s.last.ok) return t('sent', { w: s.last.width ?? 0, h: s.last.height ?? 0 });
  return s.last.error === 'unreadable' ? t('unreadable') : t('failed', { error: s.last.error ?? '' });
}
