/**
 * The signaling server: Node http + ws on ONE port. Agents authenticate with
 * a signed token, customers join with a single-use invite, and the server
 * relays SDP/ICE only inside one room. It never sees media.
 *
 *   const s = await startSignalingServer({ secret, port: 0 });
 *   const token = s.mintAgentToken('agent-7');
 *   // ws client -> s.url.replace(/^http/, 'ws') ; first frame {type:'auth', v:1, token}
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { mintAgentToken as mint } from './auth';
import { resolveConfig, type SignalingOptions } from './config/index';
import { Hub, SignalingSocket, type HubStats } from './hub/index';
import { createRequestHandler } from './http-routes';
import { MemoryStore } from './memory-store';
import type { SignalingStore } from './store';
import { clientInfo, TrustedProxies } from './config/proxy';
import { createListener } from './config/tls';
import { RedisBus } from './redis/bus';
import { serviceTokenVerifier } from './reporting/bearer';
import type { Role } from './identity/identity';
import type { ReportingDeps } from './reporting/routes';

export type { SignalingOptions } from './config/index';
export type { IceServer, InviteState } from './protocol/index';
export type { HubStats as SignalingStats } from './hub/index';
export type { SignalingStore, InviteRecord, RoomRecord, SeatRecord } from './store';
export { MemoryStore } from './memory-store';
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './limits/index';

export interface SignalingServer {
  /** http(s) base URL (publicUrl); ws clients use the same with ws(s): */
  url: string;
  /** ws URL clients connect to (any path works; `/ws` is the canonical one) */
  wsUrl: string;
  port: number;
  close(): Promise<void>;
  mintAgentToken(agentId: string, opts?: { name?: string, ttlSec?: number, roles?: Role[] }): string;
  stats(): HubStats;
  /** Prometheus text (also served at GET /metrics). */
  metrics(): string;
  /**
   * Graceful drain (SIGTERM): refuse new sockets (typed `unavailable`), report
   * unhealthy on /healthz so the load balancer stops sending, tell every
   * client to reconnect (`reconnect` frame), then close after `graceMs`.
   */
  drain(graceMs?: number): Promise<void>;
  readonly nodeId: string;
}

/** Shared by every upgrading socket (a closure per socket would stay attached for its whole life). */
function destroySocket(this: Duplex): void {
  this.destroy();
}

export async function startSignalingServer(opts: SignalingOptions): Promise<SignalingServer> {
  const cfg = resolveConfig(opts);
  const store: SignalingStore = opts.store ?? new MemoryStore();
  const hub = new Hub(cfg, store);
  const nodeId = opts.nodeId ?? store.nodeId ?? `node-${process.pid}`;
  let bus: RedisBus | undefined;
  if (opts.redis) {
    bus = new RedisBus({ url: opts.redis.url, prefix: opts.redis.prefix ?? 'sig:', nodeId, onError: (err) => cfg.log({ ev: 'redis_error', err: err.message }) });
    hub.attachBus(bus);
    if (store.startPresence) await store.startPresence();
  }
  let publicUrl = cfg.publicUrl ?? '';
  const startedAt = cfg.now();
  const trusted = new TrustedProxies(cfg.trustedProxies);

  const reporting: ReportingDeps | undefined = opts.reporting ? {
    reporting: opts.reporting.store,
    verify: opts.reporting.verify ?? serviceTokenVerifier(cfg.keyRing, cfg.now),
    settings: opts.reporting.settings ?? {},
    hub, store, now: cfg.now, log: cfg.log,
  } : undefined;
  const listener = createListener({ tls: opts.tls }, createRequestHandler({ cfg, store, hub, publicUrl: () => publicUrl, startedAt, clientAddress: (req) => clientInfo(req, trusted).address, ...(reporting ? { reporting } : {}) }));
  if (!listener.ok) {
    await bus?.close();
    await opts.reporting?.store.close();
    throw new Error(`signaling: ${listener.error}`);
  }
  const http: Server = listener.server;
  http.headersTimeout = 10_000;
  http.requestTimeout = 15_000;
  // The hub tracks every socket itself (hub.conns), so ws's own client set (and the
  // close listener it adds to each socket for it) would only cost memory per socket.
  const wss = new WebSocketServer({ noServer: true, maxPayload: cfg.limits.wsMaxPayloadBytes, perMessageDeflate: false, clientTracking: false, WebSocket: SignalingSocket });

  http.on('upgrade', (req, socket, head) => {
    socket.on('error', destroySocket);
    const address = clientInfo(req, trusted).address;
    wss.handleUpgrade(req, socket, head, (ws) => {
      // refused sockets still get a typed reason a browser can read (an HTTP status it cannot)
      if (hub.draining) return hub.refuse(ws, 'unavailable', 'this node is shutting down; connect again', 1000);
      const hit = cfg.abuse.connection(address);
      if (hit) return hub.refuse(ws, 'rate_limited', hit.message, hit.retryAfterMs);
      hub.attach(ws, address);
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
    publicUrl = `${listener.secure ? 'https' : 'http'}://${h}:${port}`;
  }
  hub.setPublicUrl(publicUrl);

  const heartbeat = setInterval(() => hub.heartbeat(), cfg.heartbeatMs);
  const sweeper = setInterval(() => {
    hub.sweep().catch((err: unknown) => cfg.log({ ev: 'sweep_error', err: String(err) }));
  }, cfg.limits.sweepIntervalMs);
  heartbeat.unref();
  sweeper.unref();
  // Redis mode: another node's death shows up as its liveness key lapsing
  const reaper = bus ? setInterval(() => { hub.reap().catch((err: unknown) => cfg.log({ ev: 'reap_error', err: String(err) })); }, 2000) : undefined;
  reaper?.unref();

  cfg.log({ ev: 'listening', url: publicUrl, host: cfg.host, port });

  let closing: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  const server: SignalingServer = {
    url: publicUrl,
    wsUrl: `${publicUrl.replace(/^http/, 'ws')}/ws`,
    port,
    nodeId,
    stats: () => hub.stats(),
    metrics: () => cfg.metrics.registry.render(),
    drain: (graceMs = cfg.drainGraceMs) => {
      draining ??= (async () => {
        cfg.log({ ev: 'draining', graceMs, sockets: hub.conns.size });
        hub.drain(graceMs);
        const deadline = Date.now() + graceMs;
        while (hub.conns.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        hub.closeAll(1012, 'service restart');
        await server.close();
      })();
      return draining;
    },
    mintAgentToken: (agentId, o = {}) => mint(cfg.secret, agentId, { ...o, now: cfg.now(), kid: cfg.secretKid }),
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(sweeper);
        if (reaper) clearInterval(reaper);
        hub.closeAll(1001, 'server shutting down');
        // give clients a moment to finish the close handshake, then cut the rest
        // (ws would otherwise wait up to 30 s for a silent peer)
        const deadline = Date.now() + 500;
        while (hub.conns.size + hub.refused.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        for (const c of hub.conns) c.ws.terminate();
        for (const ws of hub.refused) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
        // let close handlers mark this node's seats offline before the store goes
        await new Promise((r) => setTimeout(r, 20));
        await bus?.close();
        await store.close();
        await opts.reporting?.store.close();
        cfg.log({ ev: 'closed' });
      })();
      return closing;
    },
  };
  return server;
}
