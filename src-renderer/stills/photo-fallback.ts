/**
 * On the customer's page when the call cannot connect (a network that lets the page and
 * its socket through but no WebRTC path): after a while of trying, it offers to send a
 * photo instead, over HTTP to the signaling node, which hands it to the agent. The call
 * keeps trying underneath. Plain DOM: the live view shows `part()` once `visible`.
 */
import type { Messenger } from '../call/peer/data-channel';
import { h, part, setAttr, setText, type Part } from '../ui/dom';
import { CustomerStills } from './customer-stills';
import { t } from './messages';
import { photoPicker } from './photo-picker';
import { stillStatusState, stillStatusText } from './still-status';

/** How long the call tries before the photo is offered. */
export const PHOTO_FALLBACK_AFTER_MS = 10_000;

export class PhotoFallback {
  readonly stills: CustomerStills;
  private shown = false;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly off: () => void;

  /** `onChange`: the offer appeared or the transfer moved (the page redraws). */
  constructor(messenger: Messenger, seatToken: () => string | null, onChange: () => void, afterMs = PHOTO_FALLBACK_AFTER_MS) {
    this.stills = new CustomerStills(messenger, () => null, () => null, { seatToken, answerRequests: false });
    this.timer = setTimeout(() => { this.shown = true; onChange(); }, afterMs);
    this.off = this.stills.store.subscribe(onChange);
  }

  /** Offered (time is up), or a photo is on its way or went. */
  get visible(): boolean {
    const s = this.stills.store.get();
    return this.shown || !!s.sending || !!s.last;
  }

  part(): Part {
    const title = h('h2');
    const body = h('p');
    const picker = photoPicker({ button: 'fallback-send-photo', input: 'fallback-photo-input' }, (f) => void this.stills.sendFile(f), { class: 'primary' });
    const status = h('span', { 'data-testid': 'fallback-status', role: 'status' });
    const section = h('section', { class: 'c-photo-fallback', 'data-testid': 'photo-fallback', role: 'region' }, title, body, picker.button, picker.input, status);
    return part(section, () => {
      const s = this.stills.store.get();
      setAttr(section, 'aria-label', t('noVideoTitle'));
      setText(title, t('noVideoTitle'));
      setText(body, t('noVideoBody'));
      setText(picker.button, t('sendPhoto'));
      picker.button.disabled = !!s.sending;
      setAttr(status, 'data-state', stillStatusState(s));
      setText(status, stillStatusText(s, { countAcked: false, bySource: false }));
    });
  }

  destroy(): void {
    clearTimeout(this.timer);
    this.off();
    this.stills.close();
  }
}
