/**
 * Serves dist/renderer as app://workstation/ (never file://: a custom
 * standard+secure scheme gives the page a real origin, a secure context for
 * getUserMedia, and lets the CSP header apply). Same path rules as the web
 * host (../web-host/static-files.ts).
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { APP_HOST, APP_SCHEME } from '../security/app-origin';
import { securityHeaders } from '../security/csp';
import { mimeFor, resolveInside, staticPathFor } from '../web-host/static-files';

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
  ]);
}

export function serveAppProtocol(staticDir: string, signalingUrl: string): void {
  const headers = securityHeaders({ signalingUrl });
  const notFound = () => new Response('not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    if (url.host !== APP_HOST || req.method !== 'GET') return notFound();
    const rel = staticPathFor(url.pathname);
    const file = rel && resolveInside(staticDir, rel);
    if (!file) return notFound();
    try {
      const body = await readFile(file);
      return new Response(new Uint8Array(body), { status: 200, headers: { ...headers, 'Content-Type': mimeFor(file) } });
    } catch {
      return notFound();
    }
  });
}
