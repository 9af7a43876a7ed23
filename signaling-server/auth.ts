/**
 * Agent tokens: compact `base64url(json payload).base64url(hmac-sha256)`.
 * Deliberately not a JWT library: one algorithm, no header to negotiate, so
 * there is no "alg: none" class of mistakes. `kid` names the key so keys can
 * be rotated (verify accepts a key ring; mint signs with one kid).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { Role } from './identity/identity';

export const DEFAULT_KID = 'k1';

const AgentIdSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9_\-.:]+$/);

export const AgentClaims = z.object({
  sub: AgentIdSchema,
  name: z.string().max(128).optional(),
  /** roles of a service credential; absent means ['agent'] */
  roles: z.array(Role).min(1).max(3).optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  kid: z.string().min(1).max(32),
}).strict();
export type AgentClaims = z.infer<typeof AgentClaims>;

/** One secret (used as kid `k1`) or a ring of kid -> secret. */
export type KeyRing = string | Readonly<Record<string, string>>;

export type VerifyResult = { ok: true, value: AgentClaims } | { ok: false, code: 'unauthorized', message: string };

export interface MintOptions {
  name?: string;
  roles?: Role[];
  ttlSec?: number;
  /** ms clock, injectable for tests */
  now?: number;
  kid?: string;
}

export function isValidAgentId(agentId: string): boolean {
  return AgentIdSchema.safeParse(agentId).success;
}

export function mintAgentToken(secret: string, agentId: string, opts: MintOptions = {}): string {
  if (!secret) throw new Error('mintAgentToken: empty secret');
  if (!isValidAgentId(agentId)) throw new Error('mintAgentToken: agent id must be 1-128 chars of [A-Za-z0-9_-.:]');
  const iat = Math.floor((opts.now ?? Date.now()) / 1000);
  const ttl = opts.ttlSec ?? 8 * 3600;
  if (!Number.isFinite(ttl) || ttl <= 0) throw new Error('mintAgentToken: ttlSec must be > 0');
  const claims: AgentClaims = { sub: agentId, iat, exp: iat + Math.floor(ttl), kid: opts.kid ?? DEFAULT_KID };
  if (opts.name !== undefined) claims.name = opts.name;
  if (opts.roles !== undefined) claims.roles = opts.roles;
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${payload}.${sign(secret, payload)}`;
}

/** Longest lifetime (exp - iat) a token may claim unless the server says otherwise (limits.maxAgentTokenTtlSec). */
export const DEFAULT_MAX_TOKEN_LIFETIME_SEC = 30 * 24 * 3600;

/**
 * `maxLifetimeSec`: a token whose exp - iat is longer is refused even when
 * its signature is good, so a leaked (or carelessly minted) long-lived token
 * is not a permanent key.
 */
export function verifyAgentToken(keys: KeyRing, token: string, nowMs: number = Date.now(), opts: { maxLifetimeSec?: number } = {}): VerifyResult {
  const fail = (message: string): VerifyResult => ({ ok: false, code: 'unauthorized', message });
  if (typeof token !== 'string' || token.length > 4096) return fail('token is malformed');
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return fail('token is malformed');
  const [payload, mac] = parts as [string, string];
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return fail('token is malformed');
  }
  const claims = AgentClaims.safeParse(json);
  if (!claims.success) return fail('token is malformed');
  const ring = typeof keys === 'string' ? { [DEFAULT_KID]: keys } : keys;
  const secret = Object.prototype.hasOwnProperty.call(ring, claims.data.kid) ? ring[claims.data.kid] : undefined;
  if (!secret) return fail('token key is not known');
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return fail('token signature is invalid');
  const now = Math.floor(nowMs / 1000);
  if (claims.data.exp <= now) return fail('token has expired');
  const maxLifetime = opts.maxLifetimeSec ?? DEFAULT_MAX_TOKEN_LIFETIME_SEC;
  if (claims.data.exp - claims.data.iat > maxLifetime) return fail(`token lifetime is longer than the ${maxLifetime} s this server accepts`);
  // A token from the future means a skewed or forged clock; allow a minute of skew.
  if (claims.data.iat > now + 60) return fail('token is not yet valid');
  return { ok: true, value: claims.data };
}

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/** Constant-time string comparison for shared secrets of any length (hash first so lengths match). */
export function safeEqualSecret(a: string, b: string): boolean {
  const ha = createHmac('sha256', 'cmp').update(a).digest();
  const hb = createHmac('sha256', 'cmp').update(b).digest();
  return timingSafeEqual(ha, hb);
}
