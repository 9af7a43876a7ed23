/**
 * The consent step drawn by the page's code, where the server did not show its plain-HTML
 * one (static-consent.ts): same markup, same buttons.
 */
import { h, part, setText, type Part } from '../../ui/dom';
import type { CustomerCall } from '../customer-call';
import { canShareScreen } from '../local-media';
import { t } from '../messages';

export function consentStep(call: CustomerCall): Part {
  const title = h('h1');
  const body = h('p');
  const who = h('li');
  const what = h('li');
  const camera = h('button', { class: 'primary', 'data-testid': 'start-camera' });
  camera.addEventListener('click', () => void call.start('camera'));
  const screen = canShareScreen() ? h('button', { 'data-testid': 'start-screen' }) : null;
  screen?.addEventListener('click', () => void call.start('screen'));
  const el = h('main', { class: 'c-consent', 'data-testid': 'consent' }, title, body, h('ul', null, who, what), h('div', { class: 'c-actions' }, camera, screen));
  return part(el, () => {
    setText(title, t('consentTitle'));
    setText(body, t('consentBody'));
    setText(who, t('consentWho'));
    setText(what, t('consentWhat'));
    setText(camera, t('startCamera'));
    if (screen) setText(screen, t('startScreen'));
  });
}
