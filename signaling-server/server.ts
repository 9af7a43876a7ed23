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
import { MemoryStillUploads } from './stills/memory-uploads';
import type { SignalingStore } from './store';
import type { Role } from './identity/identity';
import { clientInfo, TrustedProxies } from './config/proxy';
import { createListener } from './config/tls';
import { RedisBus } from './redis/bus';
import { createRemoteJWKSet } from 'jose';
import { createBearerVerifier, type IdpTrust, type VerifyBearer } from './identity/verify-bearer';
import { createEmbeddedIdp, DEFAULT_SIGNALING_AUDIENCE, IDP_MOUNT, REPORTING_PAGE_CLIENT_ID, type EmbeddedIdp } from './idp/provider';
import { loadUsersFile, type UserDirectory } from './idp/users';
import { ApprovalBook } from './approvals/approvals';
import { grantSignerFrom, loadGrantKeys, type GrantKeys } from './approvals/grant-signer';
import type { ApprovalHttpDeps } from './approvals/http';
import type { ApprovalStore } from './approvals/approval-store';
import { MemoryApprovalStore } from './approvals/memory-approvals';
import { RedisApprovalStore } from './approvals/redis-approvals';
import { RedisStore } from './redis/store';
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
  /** Every bearer credential this node accepts (IdP JWT or service token) -> Identity; for HTTP endpoints and tests. */
  verifyBearer: VerifyBearer;
  /** The IdP this node trusts (the embedded one's issuer is publicUrl + /oidc); undefined: service tokens only. */
  idp?: { issuer: string, audience: string, embedded: boolean };


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
  // Several nodes: a grant signed on one must verify with the key set fetched from any other,
  // so they share one configured key; a key per process would fail at random behind a balancer.
  if (opts.redis && !opts.approvals?.signingKeyFile) {
    await opts.reporting?.store.close();
    throw new Error('signaling: approvals: several nodes (redis) need one shared grant-signing key: set approvals.signingKeyFile (SIGNALING_APPROVALS_KEY_FILE, an Ed25519 PKCS#8 PEM file, the same on every node)');
  }
  let grantKeys: GrantKeys;
  try {
    grantKeys = loadGrantKeys(opts.approvals?.signingKeyFile, opts.approvals?.publishKeyFiles ?? []);
  } catch (err) {
    await opts.reporting?.store.close();
    throw new Error(`signaling: ${(err as Error).message}`);
  }
  const store: SignalingStore = opts.store ?? new MemoryStore();
  // approval requests go where the rest of the shared state is (a RedisStore's connection), unless given
  const approvalStore: ApprovalStore = opts.approvalStore ?? (store instanceof RedisStore ? new RedisApprovalStore(store.redis, store.prefix) : new MemoryApprovalStore());
  const uploads = opts.uploads ?? new MemoryStillUploads();
  const hub = new Hub(cfg, store);
  const nodeId = opts.nodeId ?? store.nodeId ?? `node-${process.pid}`;
  let bus: RedisBus | undefined;
  if (opts.redis) {
    bus = new RedisBus({ url: opts.redis.url, prefix: opts.redis.prefix ?? 'sig:', nodeId, onError: (err) => cfg.log({ ev: 'redis_error', err: err.message }) });
    try {
      await hub.attachBus(bus);
      if (store.startPresence) await store.startPresence();
    } catch (err) {
      await bus.close();
      await opts.reporting?.store.close();
      throw new Error(`signaling: redis: ${(err as Error).message}`);
    }
  }
  let publicUrl = cfg.publicUrl ?? '';
  const startedAt = cfg.now();
  const trusted = new TrustedProxies(cfg.trustedProxies);

  // Known once the node listens (the embedded IdP's issuer and the grant issuer are its public URL).
  const late: { idp?: EmbeddedIdp, approvals?: ApprovalHttpDeps, verify?: VerifyBearer } = {};
  // Reporting callers go through the same verifier as sockets and approvals (set once the node listens).
  const reporting: ReportingDeps | undefined = opts.reporting ? {
    reporting: opts.reporting.store,
    verify: (token) => late.verify ? late.verify(token) : Promise.resolve({ ok: false, code: 'unauthorized', reason: 'not_configured', message: 'the node is starting; try again' }),
    settings: opts.reporting.settings ?? {},
    signIn: () => (late.idp ? { issuer: late.idp.issuer, clientId: REPORTING_PAGE_CLIENT_ID } : null),
    hub, store, now: cfg.now, log: cfg.log,
  } : undefined;
  const listener = createListener({ tls: opts.tls, headersTimeoutMs: cfg.limits.headersTimeoutMs }, createRequestHandler({ cfg, store, hub, publicUrl: () => publicUrl, startedAt, clientAddress: (req) => clientInfo(req, trusted).address, late, uploads, ...(reporting ? { reporting } : {}) }));
  if (!listener.ok) {
    await bus?.close();
    await opts.reporting?.store.close();
    throw new Error(`signaling: ${listener.error}`);
  }
  const http: Server = listener.server;
  // Node sweeps header time-outs on a timer whose first pass can miss a connection that trickles its
  // headers; each new connection also gets its own deadline for its first request's headers.
  const firstHeaders = new WeakMap<object, NodeJS.Timeout>();
  const headersDeadlineMs = cfg.limits.headersTimeoutMs + 1000;
  http.on(listener.secure ? 'secureConnection' : 'connection', (sock: Duplex) => {
    const t = setTimeout(() => sock.destroy(), headersDeadlineMs);
    t.unref();
    firstHeaders.set(sock, t);
    sock.once('close', () => clearTimeout(t));
  });
  const headersArrived = (req: { socket: object }) => { const t = firstHeaders.get(req.socket); if (t) { clearTimeout(t); firstHeaders.delete(req.socket); } };
  http.prependListener('request', headersArrived);
  http.prependListener('upgrade', headersArrived);
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
      const capped = hub.unauthenticatedCap(address);
      if (capped) {
        cfg.abuse.hit('unauthenticated_sockets', 'rate_limited', capped);
        return hub.refuse(ws, 'rate_limited', capped, 5000);
      }
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

  // Sign-in: the embedded OpenID provider or an organisation's IdP, and one verifier for sockets and HTTP.
  let trust: IdpTrust | undefined;
  let idpInfo: SignalingServer['idp'];
  try {
    const o = opts.idp;
    if (o?.embedded) {
      let users: UserDirectory;
      if (typeof o.embedded.users === 'string') {
        const r = loadUsersFile(o.embedded.users);
        if (!r.ok) throw new Error(r.error);
        users = r.directory;
      } else users = o.embedded.users;
      late.idp = await createEmbeddedIdp({
        issuer: `${publicUrl}${IDP_MOUNT}`, users,
        ...(o.audience ? { audience: o.audience } : {}),
        ...(o.embedded.accessTokenTtlSec ? { accessTokenTtlSec: o.embedded.accessTokenTtlSec } : {}),
        ...(o.embedded.maxFailuresPerMinute ? { maxFailuresPerMinute: o.embedded.maxFailuresPerMinute } : {}),
        log: cfg.log,
      });
      trust = { issuer: late.idp.issuer, audience: late.idp.audience, keys: late.idp.keys, rolesClaim: 'roles' };
      idpInfo = { issuer: late.idp.issuer, audience: late.idp.audience, embedded: true };
    } else if (o?.issuer) {
      let keys = o.keys;
      if (!keys) {
        let jwksUri = o.jwksUri;
        if (!jwksUri) {
          const res = await fetch(`${o.issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
          if (!res.ok) throw new Error(`IdP discovery at ${o.issuer} answered ${res.status}`);
          jwksUri = String(((await res.json()) as { jwks_uri?: unknown }).jwks_uri ?? '');
          if (!jwksUri) throw new Error(`IdP discovery at ${o.issuer} names no jwks_uri`);
        }
        keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: 5000, cooldownDuration: 30_000 });
      }
      trust = { issuer: o.issuer, audience: o.audience ?? DEFAULT_SIGNALING_AUDIENCE, keys, ...(o.rolesClaim ? { rolesClaim: o.rolesClaim } : {}), ...(o.nameClaim ? { nameClaim: o.nameClaim } : {}) };
      idpInfo = { issuer: o.issuer, audience: trust.audience, embedded: false };
    }
    if (trust && opts.idp?.maxTokenLifetimeSec) trust.maxLifetimeSec = opts.idp.maxTokenLifetimeSec;
  } catch (err) {
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    await bus?.close();
    await opts.reporting?.store.close();
    throw new Error(`signaling: identity provider: ${(err as Error).message}`);
  }
  const verifyBearer = createBearerVerifier({ keyRing: cfg.keyRing, now: cfg.now, serviceMaxLifetimeSec: cfg.limits.maxAgentTokenTtlSec, ...(trust ? { idp: trust } : {}) });
  hub.setVerifier(verifyBearer);
  late.verify = verifyBearer;

  // Approvals: requests to supervisors live (on every node in Redis mode), grants signed with the deployment's Ed25519 key.
  const signer = await grantSignerFrom(publicUrl, grantKeys);
  const book = new ApprovalBook({
    signer, now: cfg.now, log: cfg.log, store: approvalStore,
    delivery: { toSupervisors: (m) => { hub.toRole('supervisor', m); }, toAgent: (sub, m) => { hub.toAgent(sub, m); } },
    ...(opts.approvals?.requestTtlSec ? { requestTtlSec: opts.approvals.requestTtlSec } : {}),
    ...(opts.approvals?.grantTtlSec ? { grantTtlSec: opts.approvals.grantTtlSec } : {}),
  });
  late.approvals = { book, signer, verify: verifyBearer, log: cfg.log };
  const approvalSweep = setInterval(() => {
    book.sweep().catch((err: unknown) => cfg.log({ ev: 'approval_sweep_error', err: String(err) }));
  }, 1000);
  approvalSweep.unref();

  const heartbeat = setInterval(() => hub.heartbeat(), cfg.heartbeatMs);
  const sweeper = setInterval(() => {
    hub.sweep().catch((err: unknown) => cfg.log({ ev: 'sweep_error', err: String(err) }));
  }, cfg.limits.sweepIntervalMs);
  const handoffTimer = setInterval(() => {
    hub.handoffTick().catch((err: unknown) => cfg.log({ ev: 'handoff_tick_error', err: String(err) }));
  }, 1000);
  heartbeat.unref();
  sweeper.unref();
  handoffTimer.unref();
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
    verifyBearer,
    ...(idpInfo ? { idp: idpInfo } : {}),
    mintAgentToken: (agentId, o = {}) => mint(cfg.secret, agentId, { ...o, ttlSec: Math.min(o.ttlSec ?? cfg.limits.defaultAgentTokenTtlSec, cfg.limits.maxAgentTokenTtlSec), now: cfg.now(), kid: cfg.secretKid }),
    close: () => {
      closing ??= (async () => {
        clearInterval(heartbeat);
        clearInterval(sweeper);
        clearInterval(approvalSweep);


        clearInterval(handoffTimer);
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
        await approvalStore.close();
        await store.close();
        await opts.reporting?.store.close();
        cfg.log({ ev: 'closed' });
      })();
      return closing;
    },
  };
  return server;
}
