/**
 * The web host: the workstation UI and its API over HTTP on 127.0.0.1, for
 * agents on thin clients/VDI and wherever no Electron binary exists. The API
 * is the same router as Electron's IPC; a per-launch secret (handed to the
 * page in the URL fragment, never sent in a request line or log) stands in
 * for Electron's sender check. See docs/SECURITY.md.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Router } from '../router';
import { createLogger, type Logger } from '../log';
import { securityHeaders } from '../security/csp';
import { hasSecret, isAllowedHost, isAllowedOrigin, MAX_BODY_BYTES } from './guards';
import { mimeFor, resolveInside, staticPathFor } from './static-files';

export interface WebHostOptions {
  router: Router;
  /** dist/renderer (holds app/index.html and assets/). */
  staticDir: string;
  /** For the CSP connect-src. */
  signalingUrl: string;
  /** Default 7801; 0 picks a free port. Always bound to 127.0.0.1. */
  port?: number;
  /** For tests; normally 32 fresh random bytes per launch. */
  secret?: string;
  maxBodyBytes?: number;
  log?: Logger;
  /**
   * Sign-in (issue 12): the provider redirects the tab back to GET /auth/callback;
   * main finishes the flow (state + PKCE checked there) and the tab goes back to
   * the workstation page, whose secret is still in this tab's sessionStorage.
   */
  onAuthCallback?: (url: URL) => Promise<void>;
}

export interface WebHost {
  /** http://127.0.0.1:<port> */
  origin: string;
  port: number;
  secret: string;
  /** What the user opens: origin + `/#k=<secret>`. */
  workstationUrl: string;
  close(): Promise<void>;
}

export const newSecret = (): string => randomBytes(32).toString('base64url');

type Json = Record<string, unknown>;

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const log = opts.log ?? createLogger({ scope: 'web-host' });
  const secret = opts.secret ?? newSecret();
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const headers = securityHeaders({ signalingUrl: opts.signalingUrl });
  let port = 0;

  const send = (res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}) => {
    if (res.headersSent) return;
    res.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...extra });
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: Json, extra: Record<string, string> = {}) =>
    send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', { 'Cache-Control': 'no-store', ...extra });
  const reject = (res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}) =>
    sendJson(res, status, { ok: false, error: { code, message } }, extra);

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return reject(res, 405, 'method_not_allowed', 'only GET here', { Allow: 'GET, HEAD' });
    // Browsers ask for it on their own; no icon is better than a 404 in the console.
    if (pathname === '/favicon.ico') { res.writeHead(204, headers); return res.end(); }
    const rel = staticPathFor(pathname);
    const file = rel && resolveInside(opts.staticDir, rel);
    if (!file) return reject(res, 404, 'not_found', 'no such page');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      if (rel === 'app/index.html') {
        return send(res, 503, 'The workstation page is not built yet: run `npm run build:web`, then reload.\n', 'text/plain; charset=utf-8');
      }
      return reject(res, 404, 'not_found', 'no such file');
    }
    const cache = rel === 'app/index.html' ? 'no-store' : 'public, max-age=31536000, immutable';
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'Content-Type': mimeFor(file), 'Content-Length': String(body.length), 'Cache-Control': cache });
      return res.end();
    }
    send(res, 200, body, mimeFor(file), { 'Cache-Control': cache });
  }

  function readBody(req: IncomingMessage): Promise<Buffer | 'too_large'> {
    return new Promise((resolveBody, rejectBody) => {
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > maxBody) return resolveBody('too_large');
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (c: Buffer) => {
        size += c.length;
        if (size <= maxBody) { chunks.push(c); return; }
        // Answer now rather than reading the rest of an oversized (possibly endless) body.
        req.off('data', onData);
        chunks.length = 0;
        resolveBody('too_large');
      };
      req.on('data', onData);
      req.on('end', () => resolveBody(Buffer.concat(chunks)));
      req.on('error', rejectBody);
    });
  }

  async function serveInvoke(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return reject(res, 405, 'method_not_allowed', 'POST only', { Allow: 'POST' });
    if (!hasSecret(req.headers.authorization, secret)) {
      return reject(res, 401, 'unauthorized', 'missing or wrong workstation secret (open the URL printed at start)');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return reject(res, 415, 'unsupported_media_type', 'Content-Type must be application/json');
    const body = await readBody(req);
    if (body === 'too_large') {
      // Close the socket: the client may still be sending a huge body.
      return reject(res, 413, 'payload_too_large', `request body over ${maxBody} bytes`, { Connection: 'close' });
    }
    let parsed: unknown;
    try { parsed = JSON.parse(body.toString('utf8')); } catch { return reject(res, 400, 'invalid_json', 'request body is not JSON'); }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as Json).channel !== 'string') {
      return reject(res, 400, 'invalid_request', 'expected {"channel": string, "input": ...}');
    }
    const { channel, input } = parsed as { channel: string; input: unknown };
    const result = await opts.router.dispatch(channel, input, { host: 'web', caller: req.socket.remoteAddress ?? 'unknown' });
    sendJson(res, 200, result as unknown as Json);
  }

  async function serveAuthCallback(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'GET') return reject(res, 405, 'method_not_allowed', 'only GET here', { Allow: 'GET' });
    let outcome = 'ok';
    try {
      await opts.onAuthCallback!(new URL(req.url ?? '/', `http://127.0.0.1:${port}`));
    } catch (err) {
      outcome = 'failed';
      log.warn('sign-in callback failed', { error: err instanceof Error ? err.message : String(err) });
    }
    // Back to the page (no code or state in the address bar or history); it asks auth:status for the outcome.
    res.writeHead(303, { ...headers, Location: `/?signin=${outcome}`, 'Cache-Control': 'no-store', 'Content-Length': '0' });
    res.end();
  }

  const server = createServer({ maxHeaderSize: 16 * 1024 }, (req, res) => {
    // Host first: a rebinding page must learn nothing, not even a 401.
    if (!isAllowedHost(req.headers.host, port)) return reject(res, 421, 'misdirected_request', 'unexpected Host header');
    if (!isAllowedOrigin(req.headers.origin, port)) return reject(res, 403, 'forbidden_origin', 'cross-origin request refused');
    const pathname = (req.url ?? '/').split('?')[0]!;
    const handle = pathname === '/api/invoke' ? serveInvoke(req, res)
      : pathname === '/auth/callback' && opts.onAuthCallback ? serveAuthCallback(req, res)
      : serveStatic(req, res, pathname);
    handle.catch((err: unknown) => {
      log.error('request failed', { path: pathname, error: err instanceof Error ? err.message : String(err) });
      reject(res, 500, 'internal', 'request failed; see the workstation log');
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('clientError', (_err, socket) => { if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'); });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', (err: NodeJS.ErrnoException) => rejectListen(err.code === 'EADDRINUSE'
      ? new Error(`web host port ${opts.port ?? 7801} on 127.0.0.1 is in use (another workstation running?); set VISUAL_ASSIST_WEB_PORT to another port or 0`)
      : err));
    server.listen(opts.port ?? 7801, '127.0.0.1', () => { server.removeAllListeners('error'); resolveListen(); });
  });
  server.on('error', (err) => log.error('web host server error', { error: err.message }));
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  log.info('web host listening', { origin });

  return {
    origin,
    port,
    secret,
    workstationUrl: `${origin}/#k=${secret}`,
    close: () => new Promise<void>((done) => {
      server.close(() => done());
      server.closeAllConnections();
    }),
  };
}
