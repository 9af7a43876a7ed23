/**
 * Who is calling the reporting endpoints: `Authorization: Bearer <token>`
 * verified to an `Identity`. Today the token is a service token
 * (`mintAgentToken(secret, id, {roles})`); the IdP's tokens (issue 12) plug
 * in as another `BearerVerifier` and every route keeps reading only the
 * Identity.
 */
import type { IncomingMessage } from 'node:http';
import { verifyAgentToken, type KeyRing } from '../auth';
import type { Identity } from '../identity/identity';

export type BearerVerifier = (token: string) => Promise<Identity | null>;

export function serviceTokenVerifier(keys: KeyRing, now: () => number): BearerVerifier {
  return async (token) => {
    const v = verifyAgentToken(keys, token, now());
    if (!v.ok) return null;
    return { sub: v.value.sub, ...(v.value.name !== undefined ? { name: v.value.name } : {}), roles: v.value.roles ?? ['agent'], source: 'service', exp: v.value.exp };
  };
}

/** Tries each verifier in turn (service tokens, then the IdP's). */
export function anyOf(...verifiers: BearerVerifier[]): BearerVerifier {
  return async (token) => {
    for (const v of verifiers) {
      const who = await v(token);
      if (who) return who;
    }
    return null;
  };
}

export async function identityOf(req: IncomingMessage, verify: BearerVerifier): Promise<Identity | null> {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return null;
  const m = /^Bearer\s+(\S{1,4096})$/i.exec(h.trim());
  return m ? verify(m[1]!) : null;
}
