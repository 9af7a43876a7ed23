/**
 * The Content-Security-Policy of the workstation page, the same in both hosts
 * (HTTP header from the web host, protocol response header in Electron).
 * Scripts only from the app itself (no inline, no eval, no wasm eval: OCR runs
 * in the main process), network only to the app and the signaling server.
 */
import { signalingOrigins } from '../config';

export function buildCsp(opts: { signalingUrl: string }): string {
  const connect = ["'self'", ...signalingOrigins(opts.signalingUrl)].join(' ');
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${connect}`,
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "font-src 'self' data:",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Headers sent with every page and asset, in both hosts. */
export function securityHeaders(opts: { signalingUrl: string }): Record<string, string> {
  return {
    'Content-Security-Policy': buildCsp(opts),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    // hid=(self): the agent's headset call control (WebHID); main still allows only telephony devices.
    'Permissions-Policy': 'camera=(self), microphone=(self), display-capture=(self), geolocation=(), usb=(), serial=(), hid=(self)',
  };
}
