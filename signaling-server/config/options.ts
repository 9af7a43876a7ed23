/**
 * SignalingOptions (what startSignalingServer takes) -> one resolved config
 * object. The production server (issue 6) builds the same options from a
 * file/env/flags (load.ts).
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IceServer } from '../protocol/index';
import type { KeyRing } from '../auth';
import type { SignalingStore } from '../store';
import type { StillUploads } from '../stills/upload-store';
import type { ApprovalStore } from '../approvals/approval-store';
import { AbuseLimits, DEFAULT_ABUSE_LIMITS, DEFAULT_SERVER_LIMITS, type AbuseLimitsConfig, type CounterStore, type ServerLimits } from '../limits/index';
import { createSignalingMetrics, type SignalingMetrics } from '../metrics';
import type { IceConfig } from '../turn';
import type { UserDirectory } from '../idp/users';
import type { JWTVerifyGetKey } from 'jose';

/**
 * Who may hold an agent socket or call the HTTP API besides service tokens:
 * the embedded OpenID provider (a users file) or an organisation's IdP.
 */
export interface IdpOptions {
  /** Serve the embedded provider under /oidc of this node, with this user directory (a users file path or a loaded directory). */
  embedded?: { users: string | UserDirectory, accessTokenTtlSec?: number, maxFailuresPerMinute?: number };
  /** An organisation's IdP: its issuer URL (its discovery document gives the JWKS) ... */
  issuer?: string;
  /** ... or the JWKS URL directly; or, in-process, the key lookup itself. */
  jwksUri?: string;
  keys?: JWTVerifyGetKey;
  /** `aud` of access tokens for this server (default urn:visual-assist:signaling). */
  audience?: string;
  /** Claim with the roles (default `roles`; dotted paths such as `realm_access.roles`). */
  rolesClaim?: string;
  nameClaim?: string;
  /** Longest token lifetime accepted (default 12 h). */
  maxTokenLifetimeSec?: number;
}

export interface ApprovalOptions {
  /** How long a request waits for a supervisor (default 300 s). */
  requestTtlSec?: number;
  /** How long a signed grant stays usable (default 300 s). */
  grantTtlSec?: number;
  /**
   * Ed25519 private key (PKCS#8 PEM) that signs grants. Default: a fresh key
   * per process (one node only); required with `redis`, the same file on
   * every node.
   */
  signingKeyFile?: string;
  /**
   * More keys whose public halves the JWKS also lists (PEM, private PKCS#8 or
   * public SPKI; never used to sign): a key rotation's next or previous key,
   * so grants signed by either verify while the nodes change over.
   */
  publishKeyFiles?: string[];
}
import type { ReportingStore } from '../reporting/store';
import type { KpiSettings } from '../reporting/types';


import { loadDirectory, type Directory, type DirectoryEntry } from '../handoff/directory';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7800;
export const DEFAULT_INVITE_TTL_SEC = 900;
export const DEFAULT_HEARTBEAT_MS = 15_000;

export type LogFn = (rec: Record<string, unknown>) => void;

export interface SignalingOptions {
  host?: string;
  port?: number;
  publicUrl?: string;
  secret: string;
  /** Extra verification keys by kid (rotation); `secret` is kid `k1` unless `secretKid` says otherwise. */
  keyRing?: Readonly<Record<string, string>>;
  secretKid?: string;
  inviteTtlSec?: number;
  heartbeatMs?: number;
  staticDir?: string;
  telephonySecret?: string;
  iceServers?: IceServer[];
  now?: () => number;
  log?: LogFn;
  /**
   * The lowest level `log` will write (default 'info'). Above 'info', the
   * routine per-socket records (open, auth, join, invite, hang-up, close) are
   * never built, so a quiet node does not pay for them on the hot path.
   */
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Overrides for the server's sizes and lifetimes (limits/server-limits.ts; tests, production config). */
  limits?: Partial<ServerLimits>;
  /** Defaults to the in-memory store. */
  store?: SignalingStore;
  /** Where customers' HTTP-uploaded stills wait (defaults to this node's memory; Redis with several nodes). */
  uploads?: StillUploads;
  /** Where credit-approval requests wait (default: Redis when `store` is a RedisStore, else this node's memory). */
  approvalStore?: ApprovalStore;

  // ---- production (issue 6); all optional, the embedded default needs none
  /** STUN/TURN: each member gets its own short-lived TURN REST credential in `welcome`. `iceServers` above are appended as they are. */
  ice?: Omit<IceConfig, 'extra'>;
  /** Abuse limits (message rate, connection rate, idle, short-code attempts). */
  abuse?: Partial<Omit<AbuseLimitsConfig, 'codes'>> & { codes?: Partial<AbuseLimitsConfig['codes']> };
  /** Counters for short-code attempts shared by every node (Redis); default in memory. */
  abuseCounters?: CounterStore;
  /** Mint a short numeric code with every invite. */
  codes?: boolean;
  /** TLS certificate files: https + wss on the same port. */
  tls?: { certFile: string, keyFile: string, caFile?: string };
  /** Addresses whose X-Forwarded-For/-Proto are believed (IP, CIDR or "loopback"). */
  trustedProxies?: string[];
  /** Several nodes sharing state: the store must be a RedisStore; signals travel over this Redis's pub/sub. */
  redis?: { url: string, prefix?: string };
  nodeId?: string;
  /**
   * Who may read /metrics: a bearer token, and/or addresses (IP, CIDR or
   * "loopback"). Unset: anyone who can reach the port (bind it privately).
   */
  metricsAccess?: { token?: string, allow?: string[] };
  /** After drain() (SIGTERM): how long clients get to move before the node closes what is left. */
  drainGraceMs?: number;
  metrics?: SignalingMetrics;
  /** Sign-in (issue 12): the embedded OpenID provider or an organisation's IdP; without it only service tokens are accepted. */
  idp?: IdpOptions;
  approvals?: ApprovalOptions;
  /** Hand-offs (issue 13): skills and queues of the people who may sign in, or the path of that JSON file (handoff/directory.ts). */
  directory?: DirectoryEntry[] | string;
  /** How long a hand-off rings before it times out when the request names no time (seconds). */
  handoffTimeoutSec?: number;
  /**
   * Reporting (issue 14): the store case events are delivered to, and the
   * KPI settings. Callers are verified by the node's one bearer verifier
   * (the IdP's sign-in token or a service token). The server closes the store.
   */
  reporting?: { store: ReportingStore, settings?: Partial<KpiSettings> };
}

export interface ResolvedConfig {
  host: string;
  port: number;
  publicUrl?: string;
  secret: string;
  secretKid: string;
  keyRing: KeyRing;
  inviteTtlSec: number;
  heartbeatMs: number;
  staticDir: string;
  telephonySecret?: string;
  iceServers: IceServer[];
  now: () => number;
  log: LogFn;
  /** routine per-socket events are wanted (logLevel is debug or info) */
  logRoutine: boolean;
  limits: ServerLimits;
  ice: IceConfig;
  abuse: AbuseLimits;
  codes: boolean;
  metrics: SignalingMetrics;
  trustedProxies: string[];
  drainGraceMs: number;
  metricsAccess: { token?: string, allow?: string[] };


  directory: Directory;
  handoffTimeoutSec: number;
}

export function defaultStaticDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // from source (tsx) the repo is two up (signaling-server/config/); from a compiled copy it may be three up
  const candidates = [resolve(here, '..', '..', 'dist', 'renderer'), resolve(here, '..', '..', '..', 'dist', 'renderer')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export const stdoutLog: LogFn = (rec) => {
  process.stdout.write(`${JSON.stringify({ t: new Date().toISOString(), svc: 'signaling', ...rec })}\n`);
};

export function resolveConfig(opts: SignalingOptions): ResolvedConfig {
  if (!opts || typeof opts.secret !== 'string' || opts.secret.length < 16) {
    throw new Error('signaling: `secret` must be a string of at least 16 characters');
  }
  const port = opts.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`signaling: invalid port ${String(opts.port)}`);
  const inviteTtlSec = opts.inviteTtlSec ?? DEFAULT_INVITE_TTL_SEC;
  if (!(inviteTtlSec > 0)) throw new Error('signaling: inviteTtlSec must be > 0');
  const heartbeatMs = opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  if (!(heartbeatMs >= 10)) throw new Error('signaling: heartbeatMs must be >= 10');
  if (opts.telephonySecret !== undefined && opts.telephonySecret.length < 16) {
    throw new Error('signaling: telephonySecret must be at least 16 characters');
  }
  if (opts.metricsAccess?.token !== undefined && opts.metricsAccess.token.length < 16) throw new Error('signaling: metricsAccess.token must be at least 16 characters');
  const secretKid = opts.secretKid ?? 'k1';
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...(opts.limits ?? {}) };
  const metrics = opts.metrics ?? createSignalingMetrics();
  const iceServers = opts.iceServers ?? [];
  const abuseCfg: AbuseLimitsConfig = {
    ...DEFAULT_ABUSE_LIMITS,
    ...(opts.abuse ?? {}),
    codes: { ...DEFAULT_ABUSE_LIMITS.codes, ...(opts.abuse?.codes ?? {}) },
    // one source of truth for the two limits both layers know
    maxFrameBytes: limits.maxFrameBytes,
    maxMembersPerRoom: limits.maxMembersPerRoom,
  };
  const cfg: ResolvedConfig = {
    host: opts.host ?? DEFAULT_HOST,
    port,
    secret: opts.secret,
    secretKid,
    keyRing: { ...(opts.keyRing ?? {}), [secretKid]: opts.secret },
    inviteTtlSec,
    heartbeatMs,
    staticDir: opts.staticDir ?? defaultStaticDir(),
    iceServers,
    now: opts.now ?? Date.now,
    log: opts.log ?? stdoutLog,
    logRoutine: (opts.logLevel ?? 'info') === 'info' || opts.logLevel === 'debug',
    limits,
    ice: { stunUrls: opts.ice?.stunUrls ?? [], turn: opts.ice?.turn, extra: iceServers },
    abuse: new AbuseLimits(abuseCfg, metrics.limits, opts.abuseCounters),
    codes: opts.codes ?? false,
    metrics,
    trustedProxies: opts.trustedProxies ?? [],
    drainGraceMs: opts.drainGraceMs ?? 10_000,
    metricsAccess: opts.metricsAccess ?? {},


    directory: loadDirectory(opts.directory),
    handoffTimeoutSec: opts.handoffTimeoutSec ?? 30,
  };
  if (opts.publicUrl !== undefined) cfg.publicUrl = opts.publicUrl.replace(/\/+$/, '');
  if (opts.telephonySecret !== undefined) cfg.telephonySecret = opts.telephonySecret;
  return cfg;
}
