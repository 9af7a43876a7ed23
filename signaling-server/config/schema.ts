/**
 * The signaling node's configuration, as one zod schema with defaults. The
 * defaults ARE the embedded default (127.0.0.1:7800, memory store, no TLS,
 * no TURN): a node started with no file, no SIGNALING_* variables and no
 * flags behaves exactly like the one `npm start` embeds.
 */
import { z } from 'zod';
import { isIP } from 'node:net';
import { DEFAULT_ABUSE_LIMITS } from '../limits/index';
import { IceServer } from '../protocol/index';

const kidRe = /^[A-Za-z0-9_.-]{1,64}$/;

/** An IP address or CIDR block, or the word `loopback` (127.0.0.0/8 and ::1). */
export const ProxyEntry = z.string().refine((s) => {
  if (s === 'loopback') return true;
  const [addr, bits, extra] = s.split('/');
  if (extra !== undefined || !addr) return false;
  const fam = isIP(addr);
  if (!fam) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (fam === 4 ? 32 : 128);
}, { message: 'must be an IP address, a CIDR block (10.0.0.0/8) or "loopback"' });

const wsOrHttpUrl = z.string().refine((s) => { try { const u = new URL(s); return ['http:', 'https:'].includes(u.protocol) && !u.username && !u.password; } catch { return false; } },
  { message: 'must be an absolute http:// or https:// URL without credentials' });
const turnUrl = z.string().regex(/^turns?:[^\s]+$/, { message: 'must be a turn: or turns: URL' });
const stunUrl = z.string().regex(/^stuns?:[^\s]+$/, { message: 'must be a stun: or stuns: URL' });
const redisUrl = z.string().regex(/^(rediss?:\/\/|unix:\/\/?|\/)\S+$/, { message: 'must be redis://, rediss://, unix:///path or an absolute socket path' });

const positive = z.number().int().positive();
const d = DEFAULT_ABUSE_LIMITS;

export const SigningKey = z.object({
  kid: z.string().regex(kidRe, { message: 'kid: 1-64 of A-Z a-z 0-9 _ . -' }),
  /** HMAC-SHA256 key; 32+ random characters recommended (a warning below that), 16 the floor the embedded default always had. */
  secret: z.string().min(16, { message: 'secret must be at least 16 characters' }),
  /** A retired key no longer verifies tokens (set it once every token it signed has expired, then delete it). */
  retired: z.boolean().default(false),
}).strict();

export const Config = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(7800),
  /** Base URL customers reach (used in invite links). Default: derived from host/port/TLS at listen time. */
  publicUrl: wsOrHttpUrl.optional(),
  /** Name of this node in logs, metrics and Redis routing. Default: hostname-pid. */
  nodeId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).optional(),
  tls: z.object({ certFile: z.string().min(1), keyFile: z.string().min(1), caFile: z.string().min(1).optional() }).strict().optional(),
  /** Peers whose X-Forwarded-For / X-Forwarded-Proto are believed. Empty: headers ignored. */
  trustedProxies: z.array(ProxyEntry).max(256).default([]),
  auth: z.object({
    /** Signing keys, newest last. Empty: a random key per process (embedded default). */
    keys: z.array(SigningKey).max(16).default([]),
    /** Key that signs new tokens; default the last key that is not retired. */
    activeKid: z.string().regex(kidRe).optional(),
    /** Lifetime of minted agent tokens when the mint command gives none. */
    defaultTokenTtlSec: positive.max(30 * 24 * 3600).default(8 * 3600),
  }).strict().default({ keys: [], defaultTokenTtlSec: 8 * 3600 }),
  invites: z.object({
    ttlSec: z.number().int().min(30).max(24 * 3600).default(900),
    /** Also mint a short numeric code with each invite. */
    codes: z.boolean().default(false),
  }).strict().default({ ttlSec: 900, codes: false }),
  limits: z.object({
    maxFrameBytes: z.number().int().min(1024).max(1024 * 1024).default(d.maxFrameBytes),
    messagesPerSec: positive.max(10_000).default(d.messagesPerSec),
    messageBurst: positive.max(100_000).default(d.messageBurst),
    connectionsPerMinPerAddress: positive.max(1_000_000).default(d.connectionsPerMinPerAddress),
    connectionBurstPerAddress: positive.max(1_000_000).default(d.connectionBurstPerAddress),
    maxMembersPerRoom: z.number().int().min(2).max(3).default(d.maxMembersPerRoom),
    idleTimeoutSec: z.number().int().min(0).max(7 * 24 * 3600).default(d.idleTimeoutSec),
    authTimeoutSec: z.number().int().min(0).max(3600).default(d.authTimeoutSec),
    maxUnauthenticatedPerAddress: positive.max(1_000_000).default(d.maxUnauthenticatedPerAddress),
    maxUnauthenticatedTotal: positive.max(10_000_000).default(d.maxUnauthenticatedTotal),
    heartbeatIntervalSec: z.number().int().min(0).max(3600).default(d.heartbeatIntervalSec),
    codes: z.object({
      digits: z.number().int().min(6).max(12).default(d.codes.digits),
      codeTtlSec: z.number().int().min(30).max(3600).default(d.codes.codeTtlSec),
      maxFailuresPerAddress: positive.max(1000).default(d.codes.maxFailuresPerAddress),
      windowSec: positive.max(24 * 3600).default(d.codes.windowSec),
      lockoutSec: positive.max(7 * 24 * 3600).default(d.codes.lockoutSec),
      globalFailuresPerWindow: positive.max(1_000_000).default(d.codes.globalFailuresPerWindow),
      maxConcurrentPerAddress: positive.max(100).optional(),
    }).strict().default(d.codes),
  }).strict().default({ ...d }),
  ice: z.object({
    stunUrls: z.array(stunUrl).max(8).default([]),
    turn: z.object({
      secret: z.string().min(16, { message: 'secret must be at least 16 characters' }),
      urls: z.array(turnUrl).min(1).max(8),
      ttlSec: z.number().int().min(60).max(7 * 24 * 3600).default(3600),
    }).strict().optional(),
    extra: z.array(IceServer).max(8).default([]),
  }).strict().default({ stunUrls: [], extra: [] }),
  redis: z.object({
    url: redisUrl,
    /** Key and channel prefix, so several deployments can share one Redis. */
    prefix: z.string().regex(/^[A-Za-z0-9_.:-]{1,32}$/).default('sig:'),
    /** A node that has not refreshed its liveness key for this long is dead: the others free its seats. */
    nodeTtlSec: z.number().min(1).max(300).default(10),
  }).strict().optional(),
  /**
   * The reporting database: a file path (SQLite on this node, the embedded
   * default) or a postgres:// URL (production); 'off' turns reporting off.
   */
  reporting: z.object({
    db: z.string().min(1).max(2000).default('reporting.sqlite'),
    /** First-contact resolution window, in days (docs/KPIS.md). */
    fcrWindowDays: z.number().int().min(0).max(90).default(7),
    dispatchWindowDays: z.number().int().min(0).max(90).default(14),
    csatMinN: z.number().int().min(1).max(10_000).default(10),
  }).strict().default({ db: 'reporting.sqlite', fcrWindowDays: 7, dispatchWindowDays: 14, csatMinN: 10 }),
  log: z.object({ level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info') }).strict().default({ level: 'info' }),
  drain: z.object({
    /** After SIGTERM: seconds clients get to move before the node closes what is left. */
    graceSec: z.number().min(0).max(3600).default(10),
  }).strict().default({ graceSec: 10 }),
}).strict().superRefine((c, ctx) => {
  const kids = new Set<string>();
  c.auth.keys.forEach((k, i) => {
    if (kids.has(k.kid)) ctx.addIssue({ code: 'custom', path: ['auth', 'keys', i, 'kid'], message: `duplicate kid "${k.kid}"` });
    kids.add(k.kid);
  });
  if (c.auth.activeKid !== undefined) {
    const k = c.auth.keys.find((x) => x.kid === c.auth.activeKid);
    if (!k) ctx.addIssue({ code: 'custom', path: ['auth', 'activeKid'], message: `no key with kid "${c.auth.activeKid}"` });
    else if (k.retired) ctx.addIssue({ code: 'custom', path: ['auth', 'activeKid'], message: `key "${k.kid}" is retired and cannot sign` });
  } else if (c.auth.keys.length > 0 && c.auth.keys.every((k) => k.retired)) {
    ctx.addIssue({ code: 'custom', path: ['auth', 'keys'], message: 'every key is retired: at least one must be able to sign' });
  }
  if (c.limits.messageBurst < 1) ctx.addIssue({ code: 'custom', path: ['limits', 'messageBurst'], message: 'must be at least 1' });
});
export type Config = z.infer<typeof Config>;
