/** Response headers for every answer of the signaling server's HTTP side. */
import type { ServerResponse } from 'node:http';
import { EARLY_PAGE_SCRIPT_HASH } from './consent-page';

/** ws(s) origin of this server, for the customer page's connect-src. */
export function wsOriginOf(publicUrl: string): string {
  const u = new URL(publicUrl);
  return `${u.protocol === 'https:' ? 'wss:' : 'ws:'}//${u.host}`;
}

export function customerPageCsp(publicUrl: string): string {
  return [
    "default-src 'self'",
    // Our scripts, and the one inline script that keeps a Start press made before they arrive (consent-page.ts).
    `script-src 'self' ${EARLY_PAGE_SCRIPT_HASH}`,
    `connect-src 'self' ${wsOriginOf(publicUrl)}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** The supervisor page: our own scripts and styles, our own API, nothing else. */
export function supervisorPageCsp(): string {
  return [
    "default-src 'self'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** For JSON, text and assets: nothing may run or frame. */
export const LOCKED_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function setSecurityHeaders(res: ServerResponse, publicUrl: string, csp: string = LOCKED_CSP): void {
  res.setHeader('Content-Security-Policy', csp);
  // the invite token is in the URL: never leak it to another origin
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Permissions-Policy', 'camera=(self), microphone=(self), display-capture=(self)');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (publicUrl.startsWith('https:')) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
}
