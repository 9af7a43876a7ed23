/**
 * One verifier for every bearer credential the server accepts, on agent
 * sockets and HTTP endpoints alike: the IdP's signed JWTs (checked against
 * its JWKS: signature, issuer, audience, expiry, roles from a configurable
 * claim) and the hand-minted service tokens of scripts and tests
 * (auth.ts). Both become the one `Identity`; failures are typed.
 */
import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { verifyAgentToken, type KeyRing } from '../auth';
import { claimAt, rolesFrom } from '../protocol/identity-claims';
import type { Identity } from './identity';

export type BearerFailure =
  | 'malformed' // neither a JWT nor a service token
  | 'bad_signature' // signature does not verify, or the key is unknown
  | 'expired'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'no_roles' // signed, but the role claim names none of our roles
  | 'idp_unavailable' // the IdP's key set could not be fetched
  | 'not_configured'; // a JWT came but no IdP is configured

export type BearerResult = { ok: true, identity: Identity } | { ok: false, code: 'unauthorized', reason: BearerFailure, message: string };

export interface IdpTrust {
  issuer: string;
  /** The `aud` the IdP puts in access tokens meant for this server. */
  audience: string;
  /** Key lookup: jose's createRemoteJWKSet(jwks_uri) for an organisation's IdP, createLocalJWKSet for the embedded one. */
  keys: JWTVerifyGetKey;
  /** Claim holding the user's roles (array or space-separated string); default `roles`. Dotted paths reach nested claims (`realm_access.roles`). */
  rolesClaim?: string;
  /** Claim with the display name; default `name`, then `preferred_username`. */
  nameClaim?: string;
  /** Seconds of clock skew tolerated on exp/nbf/iat (default 30). */
  clockToleranceSec?: number;
  /** Longest lifetime (exp - iat) accepted; a longer-lived token is refused even if signed (default 12 h). */
  maxLifetimeSec?: number;
}

export interface BearerVerifierOptions {
  /** Service-token keys (auth.ts). */
  keyRing: KeyRing;
  /** Longest lifetime (exp - iat) of a service token; a longer one is refused even if signed (limits.maxAgentTokenTtlSec). */
  serviceMaxLifetimeSec?: number;
  idp?: IdpTrust;
  now?: () => number;
}

export type VerifyBearer = (token: string) => Promise<BearerResult>;

const fail = (reason: BearerFailure, message: string): BearerResult => ({ ok: false, code: 'unauthorized', reason, message });

export { rolesFrom } from '../protocol/identity-claims';

export function createBearerVerifier(opts: BearerVerifierOptions): VerifyBearer {
  const now = opts.now ?? Date.now;
  return async (token) => {
    if (typeof token !== 'string' || token.length === 0 || token.length > 8192) return fail('malformed', 'token is malformed');
    const dots = token.split('.').length - 1;
    if (dots === 1) {
      const v = verifyAgentToken(opts.keyRing, token, now(), opts.serviceMaxLifetimeSec !== undefined ? { maxLifetimeSec: opts.serviceMaxLifetimeSec } : {});
      if (!v.ok) {
        const reason: BearerFailure = v.message.includes('expired') ? 'expired' : v.message.includes('malformed') ? 'malformed' : 'bad_signature';
        return fail(reason, v.message);
      }
      return { ok: true, identity: { sub: v.value.sub, ...(v.value.name !== undefined ? { name: v.value.name } : {}), roles: v.value.roles ?? ['agent'], source: 'service', exp: v.value.exp } };
    }
    if (dots !== 2) return fail('malformed', 'token is malformed');
    const idp = opts.idp;
    if (!idp) return fail('not_configured', 'this server accepts no identity-provider tokens (no IdP configured)');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, idp.keys, {
        issuer: idp.issuer,
        audience: idp.audience,
        // asymmetric algorithms only: an IdP's token is never HMAC-signed with a key we hold
        algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
        clockTolerance: idp.clockToleranceSec ?? 30,
        currentDate: new Date(now()),
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) return fail('expired', 'token has expired');
      if (err instanceof joseErrors.JWTClaimValidationFailed) {
        if (err.claim === 'iss') return fail('wrong_issuer', 'token was issued by another issuer');
        if (err.claim === 'aud') return fail('wrong_audience', 'token is meant for another audience');
        return fail('malformed', `token claim ${err.claim}: ${err.reason}`);
      }
      if (err instanceof joseErrors.JWKSTimeout || err instanceof joseErrors.JOSEError && err.code === 'ERR_JOSE_GENERIC' && /fetch|network|JWKS/i.test(err.message)) {
        return fail('idp_unavailable', 'the identity provider\'s keys could not be fetched; try again');
      }
      if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JOSEAlgNotAllowed) {
        return fail('bad_signature', 'token signature is invalid');
      }
      if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return fail('malformed', 'token is malformed');
      if (err instanceof TypeError || (err as { code?: string }).code === 'ECONNREFUSED') return fail('idp_unavailable', 'the identity provider\'s keys could not be fetched; try again');
      return fail('bad_signature', 'token could not be verified');
    }
    const maxLife = idp.maxLifetimeSec ?? 12 * 3600;
    if (typeof payload.iat === 'number' && typeof payload.exp === 'number' && payload.exp - payload.iat > maxLife) {
      return fail('expired', `token lifetime ${payload.exp - payload.iat} s exceeds the ${maxLife} s this server accepts`);
    }
    const sub = payload.sub!;
    if (sub.length > 128 || !/^[A-Za-z0-9_\-.:]+$/.test(sub)) return fail('malformed', 'token subject is not a usable id');
    const roles = rolesFrom(claimAt(payload, idp.rolesClaim ?? 'roles'));
    if (roles.length === 0) return fail('no_roles', `token carries no agent, supervisor or technician role in claim "${idp.rolesClaim ?? 'roles'}"`);
    const nameRaw = claimAt(payload, idp.nameClaim ?? 'name') ?? payload.preferred_username;
    const name = typeof nameRaw === 'string' ? nameRaw.slice(0, 128) : undefined;
    return { ok: true, identity: { sub, ...(name ? { name } : {}), roles, source: idp.issuer, exp: payload.exp! } };
  };
}
