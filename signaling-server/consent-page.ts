/**
 * What the server writes into the customer page it serves, so the consent step (plain HTML
 * in the built page, src-renderer/customer/consent-markup.ts) shows before any script runs:
 * the invite's state on <html data-invite> (the page's CSS shows the step only for a valid
 * invite), the language from Accept-Language on <html lang>, and one small inline script,
 * allowed by its hash in the CSP, that
 * - keeps a Start press made before the page's code has arrived (the code honours it when it
 *   binds the buttons);
 * - switches the step's language when the customer picks one before then (kept for the code too);
 * - for a valid invite, opens the signaling socket while the page's code is still loading. The
 *   code adopts it with any frame that came first (src-renderer/customer/early-socket.ts).
 *   Until the customer presses Start it carries only keep-alive pings (the socket the code
 *   opened during consent did the same): no join, no context packet. Opening it early only
 *   takes the connect off Start's path.
 */
import { createHash } from 'node:crypto';
import type { InviteState } from './protocol/index';

export const EARLY_PAGE_SCRIPT =
  "document.addEventListener('click',function(e){var b=e.target&&e.target.closest&&e.target.closest('[data-start]');" +
  "if(b&&!window.__vaStart){window.__vaStart=b.getAttribute('data-start');b.setAttribute('aria-busy','true');}},true);" +
  "document.addEventListener('change',function(e){var s=e.target;" +
  "if(s&&s.matches&&s.matches('#consent-static select')){document.documentElement.lang=s.value;window.__vaLang=s.value;}},true);" +
  "if(document.documentElement.getAttribute('data-invite')==='valid'&&window.WebSocket){try{" +
  "var q=[],w=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/ws');" +
  "w.onmessage=function(e){q.push(e.data)};window.__vaSocket={ws:w,queue:q};}catch(e){}}";

export const EARLY_PAGE_SCRIPT_HASH = `'sha256-${createHash('sha256').update(EARLY_PAGE_SCRIPT).digest('base64')}'`;

/** 'ja' when Japanese comes before English in Accept-Language (by q), else 'en' (the page's own default). */
export function pickLocale(acceptLanguage: string | undefined): 'en' | 'ja' {
  if (!acceptLanguage) return 'en';
  const langs = acceptLanguage.split(',').slice(0, 20).map((part, i) => {
    const [tag = '', ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
    return { base: tag.toLowerCase().split('-')[0], q: q === undefined ? 1 : Number(q), i };
  }).filter((l) => (l.base === 'en' || l.base === 'ja') && l.q > 0);
  langs.sort((a, b) => b.q - a.q || a.i - b.i);
  return langs[0]?.base === 'ja' ? 'ja' : 'en';
}

/** The served page with the invite's state and the language on <html>, and the early script in <head>. */
export function personalizeCustomerPage(html: string, state: InviteState | undefined, locale: 'en' | 'ja'): string {
  const attrs = `lang="${locale}"${state ? ` data-invite="${state}"` : ''}`;
  return html
    .replace(/<html(\s[^>]*)?>/i, `<html ${attrs}>`)
    .replace('</head>', `<script>${EARLY_PAGE_SCRIPT}</script>\n</head>`);
}
