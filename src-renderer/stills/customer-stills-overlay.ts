/**
 * Over the customer's preview (customer/view/overlays.ts): answers the agent's still
 * requests from the local camera track, shows transfer progress, and offers "Send a
 * photo" (gallery/files) through the same data channel. Plain DOM; redraws itself on its
 * transfer's progress and on a language switch.
 */
import type { Messenger } from '../call/peer/data-channel';
import { onLocaleChange } from '../i18n';
import { h, setAttr, setText } from '../ui/dom';
import { CustomerStills } from './customer-stills';
import { t } from './messages';
import { photoPicker } from './photo-picker';
import { stillStatusState, stillStatusText } from './still-status';
import { stillSender } from './wire';
import './customer-stills.css';

declare global {
  interface Window { __customerStills?: CustomerStills | null }
}

export interface CustomerStillsOverlayDeps {
  messenger: Messenger;
  /** The customer's preview: the capture falls back to its frame where the camera track cannot take a photo. */
  video: HTMLVideoElement;
  /** What the page shares now; its video track is the camera a still is taken from. */
  localStream: () => MediaStream | null;
  /** Bytes per second a still may use now (null: unpaced), so a still on a weak link does not knock the call over. */
  pace: () => number | null;
}

export function mountCustomerStills(host: HTMLElement, d: CustomerStillsOverlayDeps): () => void {
  const stills = new CustomerStills(d.messenger, () => d.localStream()?.getVideoTracks()[0] ?? null, () => d.video);
  stillSender(d.messenger).setPace(d.pace);
  window.__customerStills = stills;
  const picker = photoPicker({ button: 'send-photo', input: 'photo-input' }, (f) => void stills.sendFile(f));
  const status = h('span', { 'data-testid': 'still-status', role: 'status', class: 'stills-status' });
  const el = h('div', { class: 'stills-customer' }, picker.button, picker.input, status);
  const draw = () => {
    const s = stills.store.get();
    setAttr(picker.button, 'title', t('sendPhotoHint'));
    setText(picker.button, t('sendPhoto'));
    setAttr(status, 'data-state', stillStatusState(s));
    status.style.display = s.sending || s.last ? 'inline' : 'none';
    setText(status, stillStatusText(s, { countAcked: true, bySource: true }));
  };
  draw();
  const offs = [stills.store.subscribe(draw), onLocaleChange(draw)];
  host.append(el);
  return () => {
    for (const off of offs) off();
    stills.close();
    if (window.__customerStills === stills) window.__customerStills = null;
    el.remove();
  };
}
