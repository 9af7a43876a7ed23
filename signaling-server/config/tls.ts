/**
 * One listening server for HTTP and WebSocket: plain http on the embedded
 * default and behind a TLS-terminating proxy; https (and so wss on the same
 * port) when certificate files are configured. Certificate files are read
 * here, at start, so a missing or unreadable file stops the node with an
 * error naming the field instead of failing on the first handshake.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttp, type IncomingMessage, type ServerResponse, type Server as HttpServer } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { createSecureContext } from 'node:tls';
import type { Config } from './schema';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TlsMaterial { cert: Buffer; key: Buffer; ca?: Buffer }

export function readTls(tls: NonNullable<Config['tls']>): { ok: true, value: TlsMaterial } | { ok: false, error: string } {
  const read = (field: string, file: string): Buffer | string => {
    try { return readFileSync(file); } catch (e) { return `tls.${field}: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`; }
  };
  const cert = read('certFile', tls.certFile);
  if (typeof cert === 'string') return { ok: false, error: cert };
  const key = read('keyFile', tls.keyFile);
  if (typeof key === 'string') return { ok: false, error: key };
  let ca: Buffer | undefined;
  if (tls.caFile) { const c = read('caFile', tls.caFile); if (typeof c === 'string') return { ok: false, error: c }; ca = c; }
  try {
    createSecureContext(ca ? { cert, key, ca } : { cert, key });
  } catch (e) {
    return { ok: false, error: `tls: certificate and key do not form a usable pair: ${(e as Error).message}` };
  }
  return { ok: true, value: ca ? { cert, key, ca } : { cert, key } };
}

/** http.Server or https.Server (a subclass): `ws` attaches to either for ws:// or wss://. */
export function createListener(config: Pick<Config, 'tls'> & { headersTimeoutMs?: number, requestTimeoutMs?: number }, handler: RequestHandler): { ok: true, server: HttpServer, secure: boolean } | { ok: false, error: string } {
  // Node checks the header and request time-outs only every connectionsCheckingInterval (30 s by
  // default), so a slow-header client would hold its socket 30 s past the limit; check every second.
  const timing = {
    connectionsCheckingInterval: 1000,
    headersTimeout: config.headersTimeoutMs ?? 10_000,
    requestTimeout: Math.max(config.requestTimeoutMs ?? 15_000, (config.headersTimeoutMs ?? 10_000) + 1),
  };
  if (!config.tls) return { ok: true, server: createHttp(timing, handler), secure: false };
  const m = readTls(config.tls);
  if (!m.ok) return m;
  return { ok: true, server: createHttps({ ...m.value, ...timing, minVersion: 'TLSv1.2' }, handler), secure: true };
}
