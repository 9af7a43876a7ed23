/**
 * The signaling server: Node http + ws on ONE port. Agents authenticate with
 * a signed token, customers join with a single-use invite, and the server
 * relays SDP/ICE only inside one room. It never sees media.
 *
 *   const s = await startSignalingServer({ secret, port: 0 });
 *   const token = s.mintAgentToken('agent-7');
 *   // ws client -> s.url.replace(/^http/, 'ws') ; first frame {type:'auth', v:1, token}
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { mintAgentToken as mint } from './auth';
import { resolveConfig, type SignalingOptions } from './config';
import { Hub, type HubStats } from './hub';
import { createRequestHandler } from './http-routes';
import { MemoryStore } from './memory-store';
import type { SignalingStore } from './store';

export type { SignalingOptions } from './config';
export type { IceServer } from './protocol';
export type { HubStats as SignalingStats } from './hub';
export type { SignalingStore, InviteRecord, RoomRecord, SeatRecord, InviteState } from './store';
export { MemoryStore } from './memory-store';
export { DEFAULT_LIMITS, type Limits } from './limits';

export interface SignalingServer {
  /** http(s) base URL (publicUrl); ws clients use the same with ws(s): */
  url: string;
  /** ws URL clients connect to (any path works; `/ws` is the canonical one) */
  wsUrl: string;
  port: number;
  close(): Promise<void>;
  mintAgentToken(agentId: string, opts?: { name?: string, ttlSec?: number }): string;
  stats(): HubStats;
}

export async function startSignalingServer(opts: SignalingOptions): Promise<SignalingServer> {
  const cfg = resolveConfig(opts);
  const store: SignalingStore = opts.store ?? new MemoryStore();
  const hub = new Hub(cfg, store);
  let publicUrl = cfg.publicUrl ?? '';
  const startedAt = cfg.now();

  const http: Server = createServer(createRequestHandler({ cfg, store, hub, publicUrl: () => publicUrl, startedAt }));
  http.headersTimeout = 10_000;
  http.requestTimeout = 15_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.limits.wsMaxPayloadBytes, perMessageDeflate: false });

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    wss.handleUpgrade(req, socket, head, (ws) => {
      hub.attach(ws, req.socket.remoteAddress ?? '');
    });
  });
  http.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new Error(`signaling: ${cfg.host}:${cfg.port} is already in use (another signaling server running? use --port)`));
      else if (err.code === 'EACCES') reject(new Error(`signaling: no permission to listen on ${cfg.host}:${cfg.port}`));
      else reject(err);
    };
    http.once('error', onError);
    http.listen(cfg.port, cfg.host, () => {
      http.off('error', onError);
      resolve();
    });
  });
  http.on('error', (err) => cfg.log({ ev: 'http_server_error', err: err.message }));

  const port = (http.address() as AddressInfo).port;
  if (!publicUrl) {
    const h = cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host;
    publicUrl = `http://${h}:${port}`;
  }
  hub.setPublicUrl(publicUrl);

  const heartbeat = setInterval(() => hub.heartbeat(), cfg.heartbeatMs);
  const sweeper = setInterval(() => {
    hub.sweep().catch((err: unknown) => cfg.log({ ev: 'sweep_error', err: String(err) }));
  }, cfg.limits.sweepIntervalMs);
  heartbeat.unref();
  sweeper.unref();

  cfg.log({ ev: 'listening', url: publicUrl, host: cfg.host, port });

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl,
    wsUrl: `${publicUrl.replace(/^http/, 'ws')}/ws`,
    port,
    stats: () => hub.stats(),
    mintAgentToken: (agentId, o = {}) => mint(cfg.secret, agentId, { ...o, now: cfg.now(), kid: cfg.secretKid }),
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(sweeper);
        hub.closeAll(1001, 'server shutting down');
        // give clients a moment to finish the close handshake, then cut the rest
        // (ws would otherwise wait up to 30 s for a silent peer)
        const deadline = Date.now() + 500;
        while (wss.clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        for (const c of wss.clients) c.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        await store.close();
        cfg.log({ ev: 'closed' });
      })();
      return closing;
    },
  };
}
