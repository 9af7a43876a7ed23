/**
 * Binds the server-shown consent step (consent-markup.ts) to the call once the page's
 * script has arrived: the Start buttons, the language switch, and a press or a language picked
 * before the script ran (kept by the server's inline script in window.__vaStart/__vaLang).
 * Returns null when the page has no shown consent step (no invite state in it, or the invite
 * is not valid): the page (view/app.ts) then draws every step. Otherwise the page removes the
 * step when it draws the next one (view/app.ts says when).
 */
import { getLocale, setLocale, type Locale } from '../i18n';
import type { CustomerCall } from './customer-call';
import { STATIC_CONSENT_ID } from './consent-markup';
import { canShareScreen, type Source } from './local-media';

declare global {
  interface Window { __vaStart?: string; __vaLang?: string }
}

export interface StaticConsent {
  /** Take the step off the page (the page has drawn what follows it). */
  remove(): void;
}

export function bindStaticConsent(call: CustomerCall | null): StaticConsent | null {
  const el = document.getElementById(STATIC_CONSENT_ID);
  if (!el) return null;
  if (!call || document.documentElement.dataset.invite !== 'valid') { el.remove(); return null; }
  let started = false;
  const go = (source: Source) => {
    if (started) return;
    started = true;
    for (const b of el.querySelectorAll('button')) b.disabled = true;
    el.querySelector(`[data-start="${source}"]`)?.setAttribute('aria-busy', 'true');
    void call.start(source);
  };
  const screen = el.querySelector<HTMLButtonElement>('[data-start="screen"]');
  if (screen && canShareScreen()) screen.hidden = false;
  for (const b of el.querySelectorAll<HTMLButtonElement>('[data-start]')) {
    b.addEventListener('click', () => go(b.dataset.start === 'screen' ? 'screen' : 'camera'));
  }
  const lang = el.querySelector<HTMLSelectElement>('select[data-testid="language"]');
  // Picked before this script ran (the server's inline script switched the step already): the page follows.
  if (window.__vaLang === 'en' || window.__vaLang === 'ja') setLocale(window.__vaLang);
  if (lang) {
    lang.value = getLocale();
    lang.addEventListener('change', () => setLocale(lang.value as Locale));
  }
  // Pressed before this script ran: honour it now.
  const early = window.__vaStart;
  if (early === 'camera' || early === 'screen') go(early);
  return { remove: () => el.remove() };
}
