/**
 * The customer's page, drawn in plain DOM from the call's state (customer-call.ts): one
 * shell (header with the language switch) whose body follows the phase — checking the
 * link, a refused link, consent, a camera that would not start, the live call, the end
 * with its survey. Redrawn on every change of the call's store, of its quality ladder and
 * of the language; each redraw re-applies texts and attributes and keeps what stays.
 */
import { onLocaleChange } from '../../i18n';
import { h, Keyed, part, setAttr, setText, type Child, type Part } from '../../ui/dom';
import type { CustomerCall } from '../customer-call';
import type { StaticConsent } from '../static-consent';
import { inviteTokenFromPath } from '../invite-path';
import { t } from '../messages';
import { consentStep } from './consent';
import { languageSwitch } from './language-switch';
import { liveView } from './live';
import { notice } from './notice';
import { survey } from './survey';
import { endedText, invalidText } from './texts';

const LIVE = new Set(['starting', 'waiting', 'connecting', 'connected', 'reconnecting']);

/**
 * After Start, the pressed consent step stays until the media link is up with the camera in it,
 * this long at most: laying out the call takes ~25 ms of the main thread, which would otherwise
 * sit between the agent's offer and our answer, our answer and our candidates, or the link and
 * the camera's swap onto it (npm run bench -- call: docs/PERFORMANCE.md).
 */
export const LIVE_LAYOUT_WAIT_MS = 300;

/**
 * Draws the page into `root`. `staticConsent`: the server's plain-HTML consent step is on
 * screen (static-consent.ts): draw nothing until the call moves past it, and take it off
 * when the next step is drawn. Returns a stop.
 */
export function mountCustomerPage(root: HTMLElement, call: CustomerCall | null, staticConsent: StaticConsent | null): () => void {
  const top = new Keyed(root);
  const shellEl = h('div', { class: 'customer', 'data-testid': 'customer-root' });
  const title = h('strong');
  const head = h('header', { class: 'c-head' }, title);
  const lang = languageSwitch('Language / 言語');
  head.append(lang.el);
  const body = new Keyed(shellEl);
  const headPart: Part = { el: head, update: () => { setText(title, t('title')); lang.update?.(); } };
  let overlaysWanted = false;
  let queued = false;

  const invalidate = () => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => { queued = false; draw(); });
  };

  const bodyFor = (): Child[] => {
    if (!call) return [{ key: 'invalid-unknown', make: () => notice('invalid-unknown', () => invalidText('unknown')) }];
    const s = call.state;
    switch (s.phase) {
      case 'checking': return [{ key: 'checking', make: () => notice('checking', () => ({ title: t('checking'), body: '' })) }];
      case 'invalid': {
        const reason = s.invalidReason ?? 'unknown';
        return [{ key: `invalid-${reason}`, make: () => notice(`invalid-${reason}`, () => invalidText(reason)) }];
      }
      case 'consent': return [{ key: 'consent', make: () => consentStep(call) }];
      case 'media-error': return [{ key: 'media-error', make: () => {
        const detail = h('p', { class: 'c-detail' });
        const retry = h('button', { class: 'primary' });
        retry.addEventListener('click', () => void call.start(call.state.source));
        const n = notice('media-error', () => ({ title: t('mediaErrorTitle'), body: t('mediaErrorBody') }), detail, retry);
        return part(n.el, () => { n.update?.(); setText(detail, call.state.mediaError ?? ''); setText(retry, t('retry')); });
      } }];
      case 'ended': {
        const reason = s.endedReason;
        // only a customer who was in the call is asked (the link is the credential the server checks)
        const surveyToken = reason === 'agent_hangup' || reason === 'self_hangup' ? inviteTokenFromPath(location.pathname) : null;
        return [
          { key: 'ended', make: () => notice('ended', () => ({ title: t('endedTitle'), body: endedText(call.state.endedReason) })) },
          surveyToken ? { key: 'survey', make: () => survey(surveyToken) } : null,
        ].filter((c): c is Child => !!c);
      }
      default:
        return LIVE.has(s.phase)
          ? [{ key: 'live', make: () => liveView(call, { overlaysNow: overlaysWanted, onOverlaysWanted: () => { overlaysWanted = true; }, invalidate }) }]
          : [];
    }
  };

  let liveSince = 0;
  let holdTimer: ReturnType<typeof setTimeout> | null = null;
  /** True while the pressed consent step stays on screen (LIVE_LAYOUT_WAIT_MS); a timer redraws when the wait is over. */
  const holdConsent = (phase: string): boolean => {
    if (!call || !LIVE.has(phase) || (phase === 'connected' && call.state.localStream)) return false;
    liveSince ||= performance.now();
    const left = liveSince + LIVE_LAYOUT_WAIT_MS - performance.now();
    if (left <= 0) return false;
    holdTimer ??= setTimeout(() => { holdTimer = null; invalidate(); }, left);
    return true;
  };

  const draw = () => {
    const phase = call ? call.state.phase : 'invalid';
    if (call && staticConsent) {
      if (phase === 'checking' || phase === 'consent' || holdConsent(phase)) { top.render([]); return; }
      staticConsent.remove();
      staticConsent = null;
    }
    setAttr(shellEl, 'data-phase', phase);
    // the shell (and its element, which tests and diagnostics watch) stays across phases
    top.render([{ key: 'shell', make: () => part(shellEl) }]);
    body.render([{ key: 'head', make: () => headPart }, ...bodyFor()]);
  };

  headPart.update?.();
  draw();
  const offs = [onLocaleChange(invalidate), ...(call ? [call.store.subscribe(invalidate), call.quality.store.subscribe(invalidate)] : [])];
  return () => { for (const off of offs) off(); if (holdTimer) clearTimeout(holdTimer); body.clear(); top.clear(); };
}
