/**
 * The call itself on the customer's page: the camera preview (with the overlays over it
 * once connected), the agent's voice and any other voices, what the page says about the
 * connection and a hand-off, the no-video photo fallback, and the controls.
 */
import { storedResumeToken } from '../seat-storage';
import type { CustomerCall } from '../customer-call';
import { t } from '../messages';
import { qualityNotice, tcq } from '../quality-messages';
import { PhotoFallback } from '../../stills/photo-fallback';
import { h, Keyed, part, setAttr, setAttrs, setText, type Child, type Part } from '../../ui/dom';
import { whenIdle } from '../../ui/when-idle';
import { bindStream, streamAudio, videoView } from './media';
import { figureAttrs, noticeText, statusText } from './texts';

/** What the lazily loaded overlays chunk (overlays.ts) exports. */
type OverlaysModule = typeof import('./overlays');

export interface LiveOptions {
  /** Load and mount the overlays (annotation, stills) now: they were already up before this view was re-made. */
  overlaysNow: boolean;
  /** The overlays chunk has been asked for (the page remembers it across views). */
  onOverlaysWanted: () => void;
  /** Something this view owns changed outside the call's store (the photo offer appeared): redraw. */
  invalidate: () => void;
}

export function liveView(call: CustomerCall, opts: LiveOptions): Part {
  const main = h('main', { class: 'c-live' });
  const list = new Keyed(main);
  const preview = videoView({ className: 'c-preview', testId: 'local-video', muted: true });
  const audio = streamAudio('agent-audio');
  const quality = h('p', { class: 'c-quality', role: 'status', 'data-testid': 'quality-notice' });
  const status = h('span', { class: 'status', 'data-testid': 'customer-status' });
  const bar = h('div', { class: 'c-bar' });
  const barList = new Keyed(bar);
  const controls = h('div', { class: 'c-controls' });
  const controlList = new Keyed(controls);
  const hangUp = h('button', { class: 'danger', 'data-testid': 'hang-up' });
  hangUp.addEventListener('click', () => call.hangUp());
  const mute = h('button', { 'data-testid': 'mute' });
  mute.addEventListener('click', () => call.setMicMuted(!call.state.micMuted));
  const switchCamera = h('button', { 'data-testid': 'switch-camera' });
  switchCamera.addEventListener('click', () => void call.switchCamera());
  const noMic = h('span', { class: 'c-warn' });
  const handoff = h('p', { class: 'c-notice', role: 'status', 'aria-live': 'polite', 'data-testid': 'handoff-notice' });

  let fallback: PhotoFallback | null = null;
  let fallbackSeq = 0;
  /** The overlays: waiting for an idle moment (cancelled if the call leaves 'connected' first), then loading and mounted. */
  let overlays: { started: boolean; gone: boolean; off?: () => void; cancelIdle?: () => void } | null = null;

  const loadOverlays = (now: boolean) => {
    const o: { started: boolean; gone: boolean; off?: () => void; cancelIdle?: () => void } = { started: false, gone: false };
    overlays = o;
    const load = () => {
      o.started = true;
      opts.onOverlaysWanted();
      void import('./overlays').then((m: OverlaysModule) => {
        if (o.gone) return;
        o.off = m.mountOverlays(preview.overlay, { messenger: call.messenger, video: preview.video, localStream: () => call.state.localStream, pace: () => call.quality.bulkBytesPerSec() });
      });
    };
    // After the first frames are on their way: evaluating Konva takes the main thread for a while.
    if (now) load();
    else o.cancelIdle = whenIdle(load, 1500);
  };
  if (opts.overlaysNow) loadOverlays(true);

  const draw = () => {
    const s = call.state;
    const q = call.quality.state;
    if (!overlays && s.phase === 'connected') loadOverlays(false);
    else if (overlays && !overlays.started && s.phase !== 'connected') { overlays.cancelIdle?.(); overlays = null; }
    bindStream(preview.video, s.localStream);
    bindStream(audio, s.remoteStream);

    const shownMode = q.probeFrom ?? q.mode;
    const qText = qualityNotice(shownMode);
    setAttrs(quality, { 'data-mode': shownMode, 'data-applied': q.mode, hidden: !qText });
    setText(quality, qText ? `${qText}${q.pinned ? ` ${tcq('pinned')}` : ''}` : '');

    const trying = s.phase === 'connecting' || s.phase === 'reconnecting';
    if (trying && !fallback) { fallback = new PhotoFallback(call.messenger, () => storedResumeToken(call.token), opts.invalidate); fallbackSeq++; }
    if (!trying && fallback) { fallback.destroy(); fallback = null; }
    const fb = fallback;

    if (s.notice) { setAttr(handoff, 'data-kind', s.notice.kind); setText(handoff, noticeText(s.notice)); }

    setAttrs(status, { 'data-phase': s.phase, ...figureAttrs(s) });
    setText(status, statusText(s));
    setText(noMic, t('noMic'));
    setAttr(mute, 'aria-pressed', String(s.micMuted));
    setText(mute, s.micMuted ? t('unmute') : t('mute'));
    setText(switchCamera, t('switchCamera'));
    setText(hangUp, t('hangUp'));

    controlList.render([
      s.hasMic && fixed('mute', mute),
      s.canSwitchCamera && fixed('switch', switchCamera),
      fixed('hang-up', hangUp),
    ]);
    barList.render([fixed('status', status), !s.hasMic && !!s.localStream && fixed('no-mic', noMic), fixed('controls', controls)]);
    list.render([
      fixed('preview', preview.el),
      fixed('audio', audio),
      fixed('quality', quality),
      fb && fb.visible && { key: `photo-fallback:${fallbackSeq}`, make: () => fb.part() },
      ...s.extraStreams.map((x): Child => ({ key: `voice:${x.id}`, make: () => part(streamAudio('agent-audio'), (a) => bindStream(a, call.state.extraStreams.find((y) => y.id === x.id) ?? null)) })),
      !!s.notice && fixed('handoff', handoff),
      fixed('bar', bar),
    ]);
  };
  draw();

  return {
    el: main,
    update: draw,
    destroy() {
      fallback?.destroy();
      fallback = null;
      if (overlays) { overlays.gone = true; overlays.cancelIdle?.(); overlays.off?.(); }
      list.clear();
    },
  };
}

/** An element that is always the same node under its key. */
function fixed(key: string, el: Node): Child {
  return { key, make: () => ({ el }) };
}
