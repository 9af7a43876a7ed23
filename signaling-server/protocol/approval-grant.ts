/**
 * The shape of a supervisor's approval as the server signs it, shared by the
 * server (which signs) and the workstation's main process (which verifies).
 * A compact JWS, EdDSA (Ed25519), header typ `credit-approval+jwt`; the key
 * set is served at APPROVALS_JWKS_PATH. The claims bind the approval to one
 * credit: case, amount, currency, agent, and a one-time nonce the workstation
 * records in the same transaction as the credit.
 */
import { z } from './zod';

export const GRANT_TYP = 'credit-approval+jwt';
export const GRANT_AUDIENCE = 'visual-assist:credit-approval';
export const APPROVALS_JWKS_PATH = '/approvals/jwks.json';
export const DEFAULT_GRANT_TTL_SEC = 300;

const id = z.string().check(z.minLength(1), z.maxLength(128), z.regex(/^[A-Za-z0-9_\-.:]+$/));

export const GrantClaims = z.object({
  iss: z.string().check(z.maxLength(512)),
  aud: z.union([z.literal(GRANT_AUDIENCE), z.array(z.string()).check(z.refine((a) => a.includes(GRANT_AUDIENCE)))]),
  /** the agent the approval is for */
  sub: id,
  /** grant id */
  jti: id,
  /** one-time nonce (base64url, 128 bits) */
  nonce: z.string().check(z.regex(/^[A-Za-z0-9_-]{22,64}$/)),
  rid: id,
  case: z.number().check(z.int(), z.positive()),
  ins: z.optional(z.string().check(z.maxLength(128))),
  amt: z.number().check(z.int(), z.positive(), z.lte(Number.MAX_SAFE_INTEGER)),
  cur: z.string().check(z.regex(/^[A-Z]{3}$/)),
  approver: z.object({ sub: id, name: z.optional(z.string().check(z.maxLength(128))) }),
  iat: z.number().check(z.int()),
  exp: z.number().check(z.int()),
});
export type GrantClaims = z.infer<typeof GrantClaims>;
