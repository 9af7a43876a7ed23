/**
 * Request checks of the 127.0.0.1 web host, as pure functions (unit tested
 * without a socket). Each one closes a hole a local web host otherwise has:
 * - secret: any other local process or web page could call the API;
 * - Host: DNS rebinding (evil.example resolving to 127.0.0.1) reads our pages
 *   and calls the API with the victim's browser;
 * - Origin: a page on another origin POSTing to us (CSRF);
 * - body limit: memory exhaustion.
 */
import { timingSafeEqual, createHash } from 'node:crypto';

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return !!hostHeader && allowedHosts(port).includes(hostHeader.toLowerCase());
}

/** A missing Origin (curl, same-origin GET) is fine; a present one must be our own. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/** Constant-time comparison of the `Authorization: Bearer <secret>` header. */
export function hasSecret(authorization: string | undefined, secret: string): boolean {
  if (!authorization || !authorization.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(authorization.slice(7)).digest();
  const want = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, want);
}
