/**
 * The Electron app's own origin. `app:` is registered as a standard, secure
 * scheme in Electron, so pages get the origin `app://workstation`; Node's URL
 * treats unknown schemes as opaque (origin "null"), so we compare scheme and
 * host instead of `.origin`.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'workstation';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/`;

export function parseUrl(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length > 8192) return null;
  try { return new URL(raw); } catch { return null; }
}

/** True only for app://workstation/... with no credentials and the default port. */
export function isAppUrl(raw: unknown): boolean {
  const u = parseUrl(raw);
  return !!u && u.protocol === `${APP_SCHEME}:` && u.hostname.toLowerCase() === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/** Same check for an origin string as Chromium reports it ("app://workstation"). */
export function isAppOrigin(origin: unknown): boolean {
  return origin === APP_ORIGIN;
}
