/**
 * Sign-in (issue 12): who is signed in at this workstation and with which
 * roles. The tokens stay in main; the renderer sees only this status. In the
 * web host, signing in is a page redirect to the provider and back to the
 * host's /auth/callback; in Electron, main runs the flow in the system
 * browser with a loopback redirect (RFC 8252) and answers when it is done.
 */
import { z } from 'zod';
import { defineChannels } from './types';

export const UserRole = z.enum(['agent', 'supervisor', 'technician']);
export type UserRole = z.infer<typeof UserRole>;

export const SignedInUser = z.object({
  sub: z.string().max(128),
  name: z.string().max(128),
  roles: z.array(UserRole),
});
export type SignedInUser = z.infer<typeof SignedInUser>;

export const AuthStatus = z.object({
  /** oidc: users sign in with the IdP; service: a fixed agent with a service token (scripts, tests). */
  mode: z.enum(['oidc', 'service']),
  user: SignedInUser.nullable(),
  issuer: z.string().nullable(),
  /** When the current access token expires (ms); main refreshes it before. */
  expiresAt: z.number().nullable(),
  /** Why the last sign-in failed, if it did (typed code + message), until the next attempt. */
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const authChannels = defineChannels({
  'auth:status': { input: z.object({}).strict(), output: AuthStatus },
  /** Web host: answers the provider URL to open in this tab. Electron: runs the flow in the system browser and answers when signed in. */
  'auth:signIn': {
    input: z.object({}).strict(),
    output: z.discriminatedUnion('state', [
      z.object({ state: z.literal('redirect'), url: z.string().url() }),
      z.object({ state: z.literal('signed_in'), status: AuthStatus }),
    ]),
  },
  /** Forget the tokens (and revoke the refresh token at the provider). */
  'auth:signOut': { input: z.object({}).strict(), output: AuthStatus },
});
