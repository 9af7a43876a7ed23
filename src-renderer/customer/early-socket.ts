/**
 * The signaling socket the served page's inline script opened while this code was loading
 * (signaling-server/consent-page.ts): taken once, by the first connect, so Start's join goes
 * out on a socket that is already open instead of waiting for one.
 */
import type { EarlySocket } from '../call/signaling-client';

declare global {
  interface Window { __vaSocket?: EarlySocket }
}

/** The early socket, if the page has one; later callers get none (a reconnect opens its own). */
export function takeEarlySocket(): EarlySocket | undefined {
  const early = window.__vaSocket;
  delete window.__vaSocket;
  return early && early.ws instanceof WebSocket && Array.isArray(early.queue) ? early : undefined;
}
