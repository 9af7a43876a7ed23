/**
 * Binds the server-shown consent step (consent-markup.ts) to the call once the page's
 * script has arrived: the Start buttons, the language switch, a press or a language picked
 * before the script ran (kept by the server's inline script in window.__vaStart/__vaLang), and its removal
 * once the call moves past consent. Returns false when the page has no shown consent
 * step (no invite state in it, or the invite is not valid): the page (view/app.ts) then draws every step.
 */
import { getLocale, setLocale, type Locale } from '../i18n';
import type { CustomerCall } from './customer-call';
import { STATIC_CONSENT_ID } from './consent-markup';
import { canShareScreen, type Source } from './local-media';

declare global {
  interface Window { __vaStart?: string; __vaLang?: string }
}

export function bindStaticConsent(call: CustomerCall | null): boolean {
  const el = document.getElementById(STATIC_CONSENT_ID);
  if (!el) return false;
  if (!call || document.documentElement.dataset.invite !== 'valid') { el.remove(); return false; }
  let started = false;
  const go = (source: Source) => {
    if (started) return;
    started = true;
    for (const b of el.querySelectorAll('button')) b.disabled = true;
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
  const off = call.store.subscribe(() => {
    const phase = call.state.phase;
    if (phase === 'checking' || phase === 'consent') return;
    off();
    el.remove();
  });
  // Pressed before this script ran: honour it now.
  const early = window.__vaStart;
  if (early === 'camera' || early === 'screen') go(early);
  return true;
}
