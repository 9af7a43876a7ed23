/**
 * The consent step as plain HTML, written into the customer page at build time (vite.config.ts)
 * in both languages from the same catalog the page uses (messages.ts). The signaling server
 * shows it (html[data-invite=valid]) and picks the language (html[lang]) when it serves the
 * page, so the customer reads it before any script has run; the call code loads meanwhile,
 * and static-consent.ts binds the buttons when it arrives (a press before that is kept by the
 * server's one inline script and honoured then). Pure: strings in, a string out.
 */
import { allCatalogs } from '../i18n';
import './messages';

export const STATIC_CONSENT_ID = 'consent-static';
export const CONSENT_PLACEHOLDER = '<!--va:consent-->';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Visibility and the language switch, inline so they hold before the stylesheet arrives. */
const STYLE = `<style>
#${STATIC_CONSENT_ID}{display:none}
html[data-invite=valid] #${STATIC_CONSENT_ID}{display:flex}
html[data-invite=valid] #root:empty{display:none}
html[lang=ja] #${STATIC_CONSENT_ID} .l-en,html:not([lang=ja]) #${STATIC_CONSENT_ID} .l-ja{display:none}
#${STATIC_CONSENT_ID} button[aria-busy=true]{opacity:.6}
</style>`;

export function consentMarkup(): string {
  const cat = allCatalogs().get('customer');
  if (!cat) throw new Error('customer messages not loaded');
  const both = (key: string) => `<span class="l-en" lang="en">${esc(cat.en[key] ?? key)}</span><span class="l-ja" lang="ja">${esc(cat.ja[key] ?? key)}</span>`;
  return `${STYLE}
<div id="${STATIC_CONSENT_ID}" class="customer" data-testid="customer-root" data-phase="consent">
<header class="c-head"><strong>${both('title')}</strong>
<label class="lang-switch"><span class="sr-only">Language / 言語</span><select data-testid="language" aria-label="Language / 言語"><option value="en">English</option><option value="ja">日本語</option></select></label></header>
<main class="c-consent" data-testid="consent">
<h1>${both('consentTitle')}</h1>
<p>${both('consentBody')}</p>
<ul><li>${both('consentWho')}</li><li>${both('consentWhat')}</li></ul>
<div class="c-actions"><button type="button" class="primary" data-testid="start-camera" data-start="camera">${both('startCamera')}</button>
<button type="button" data-testid="start-screen" data-start="screen" hidden>${both('startScreen')}</button></div>
</main>
</div>`;
}
