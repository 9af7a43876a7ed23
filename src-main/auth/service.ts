/**
 * Workstation sign-in with OpenID Connect: authorization code + PKCE with
 * panva's `openid-client` (v6), per RFC 8252 for native apps. Main holds the
 * tokens (never the renderer), refreshes the access token before it expires,
 * and hands the signaling socket a current access token. Tokens live in
 * memory only: quitting the app signs the user out.
 *
 * `mode: 'service'` (scripts, tests, and the existing e2e suite): no IdP, the
 * configured agent id with a service token minted by the signaling node.
 */
import * as oidc from 'openid-client';
import type { AuthStatus, SignedInUser, UserRole } from '../../src-preload/contract/auth';
import { claimAt, rolesFrom } from '../../signaling-server/protocol';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  /** default `openid profile roles offline_access signaling` */
  scope?: string;
  /** Claim of the ID token with the roles (default `roles`; dotted paths allowed). */
  rolesClaim?: string;
  /** Ask the provider for credentials every time (shared workstations), default true. */
  promptLogin?: boolean;
}

export class AuthError extends Error {
  override name = 'AuthError';
  constructor(readonly code: 'signed_out' | 'sign_in_failed' | 'idp_unavailable' | 'invalid_state', message: string) { super(message); }
}

interface Session {
  user: SignedInUser;
  accessToken: string;
  expiresAt: number;
  refreshToken?: string;
  idToken?: string;
}

interface PendingFlow { verifier: string; redirectUri: string; createdAt: number }

const PENDING_TTL_MS = 10 * 60_000;

/** The roles claim as this product knows it (the same reading as the signaling server's). */
export const rolesOf = (value: unknown): UserRole[] => rolesFrom(value);

export interface AuthService {
  readonly mode: 'oidc' | 'service';
  status(): AuthStatus;
  /** The signed-in user (service mode: the configured agent). */
  user(): SignedInUser | null;
  /** Start a flow; the URL to open. */
  beginSignIn(redirectUri: string): Promise<string>;
  /** Finish a flow from the URL the provider redirected to. */
  completeSignIn(callbackUrl: URL): Promise<AuthStatus>;
  signOut(): Promise<AuthStatus>;
  /** A current access token for the signaling server (refreshed when within a minute of expiry). */
  accessToken(): Promise<string>;
}

export interface OidcAuthOptions {
  settings: OidcSettings;
  now?: () => number;
  log?: (msg: string, rec?: Record<string, unknown>) => void;
  /** Requests to the identity provider go through this (main's proxy- and CA-aware fetch, network/fetch.ts). */
  fetch?: typeof fetch;
}

export function createOidcAuth(opts: OidcAuthOptions): AuthService {
  const s = opts.settings;
  const now = opts.now ?? Date.now;
  const scope = s.scope ?? 'openid profile roles offline_access signaling';
  const rolesClaim = s.rolesClaim ?? 'roles';
  let config: oidc.Configuration | null = null;
  let session: Session | null = null;
  let lastError: { code: string; message: string } | null = null;
  let refreshing: Promise<void> | null = null;
  const pending = new Map<string, PendingFlow>();

  async function configuration(): Promise<oidc.Configuration> {
    if (config) return config;
    const issuer = new URL(s.issuer);
    // http only for a provider on this machine (the embedded default); anything else must be https
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname);
    try {
      const viaNet = opts.fetch ? { [oidc.customFetch]: opts.fetch as oidc.CustomFetch } : {};
      config = await oidc.discovery(issuer, s.clientId, undefined, oidc.None(), loopback && issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests], timeout: 10, ...viaNet } : { timeout: 10, ...viaNet });
      // Token, refresh and revocation requests take the same path as discovery (the organisation's proxy and CAs).
      if (opts.fetch) config[oidc.customFetch] = opts.fetch as oidc.CustomFetch;
    } catch (err) {
      throw new AuthError('idp_unavailable', `the identity provider at ${s.issuer} could not be reached: ${(err as Error).message}`);
    }
    return config;
  }

  function userFrom(claims: Record<string, unknown>): SignedInUser {
    const sub = String(claims.sub ?? '');
    const name = typeof claims.name === 'string' ? claims.name : typeof claims.preferred_username === 'string' ? claims.preferred_username : sub;
    return { sub, name: name.slice(0, 128), roles: rolesOf(claimAt(claims, rolesClaim)) };
  }

  const status = (): AuthStatus => ({ mode: 'oidc', user: session?.user ?? null, issuer: s.issuer, expiresAt: session?.expiresAt ?? null, lastError });

  async function refresh(): Promise<void> {
    const cur = session;
    if (!cur?.refreshToken) throw new AuthError('signed_out', 'the sign-in has expired; sign in again');
    try {
      const t = await oidc.refreshTokenGrant(await configuration(), cur.refreshToken);
      if (session !== cur) return; // signed out meanwhile
      session = {
        user: cur.user, accessToken: t.access_token, expiresAt: now() + (t.expiresIn() ?? 300) * 1000,
        refreshToken: t.refresh_token ?? cur.refreshToken, ...(t.id_token ?? cur.idToken ? { idToken: t.id_token ?? cur.idToken } : {}),
      };
    } catch (err) {
      if (err instanceof AuthError) throw err;
      if (session === cur) session = null;
      lastError = { code: 'signed_out', message: 'the sign-in has expired; sign in again' };
      opts.log?.('token refresh failed', { error: (err as Error).message });
      throw new AuthError('signed_out', 'the sign-in has expired; sign in again');
    }
  }

  return {
    mode: 'oidc',
    status,
    user: () => session?.user ?? null,
    async beginSignIn(redirectUri) {
      const c = await configuration();
      for (const [k, p] of pending) if (now() - p.createdAt > PENDING_TTL_MS) pending.delete(k);
      if (pending.size > 20) pending.clear();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      pending.set(state, { verifier, redirectUri, createdAt: now() });
      lastError = null;
      const params: Record<string, string> = {
        redirect_uri: redirectUri, scope, state,
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
      };
      if (s.promptLogin !== false) params.prompt = 'login';
      return oidc.buildAuthorizationUrl(c, params).href;
    },
    async completeSignIn(callbackUrl) {
      const state = callbackUrl.searchParams.get('state') ?? '';
      const flow = pending.get(state);
      if (!flow) {
        lastError = { code: 'invalid_state', message: 'this sign-in was not started here, or it expired; sign in again' };
        throw new AuthError('invalid_state', lastError.message);
      }
      pending.delete(state);
      try {
        const c = await configuration();
        const t = await oidc.authorizationCodeGrant(c, callbackUrl, { pkceCodeVerifier: flow.verifier, expectedState: state });
        const claims = t.claims();
        if (!claims) throw new Error('the provider returned no ID token');
        const user = userFrom(claims as Record<string, unknown>);
        if (!/^[A-Za-z0-9_\-.:]{1,128}$/.test(user.sub)) throw new Error('the provider\'s subject id is not usable here');
        if (user.roles.length === 0) {
          lastError = { code: 'no_roles', message: `${user.name} has no agent, supervisor or technician role at the identity provider` };
          throw new AuthError('sign_in_failed', lastError.message);
        }
        session = {
          user, accessToken: t.access_token, expiresAt: now() + (t.expiresIn() ?? 300) * 1000,
          ...(t.refresh_token ? { refreshToken: t.refresh_token } : {}), ...(t.id_token ? { idToken: t.id_token } : {}),
        };
        lastError = null;
        opts.log?.('signed in', { sub: user.sub, roles: user.roles });
        return status();
      } catch (err) {
        if (err instanceof AuthError) throw err;
        const e = err as Error & { error?: string; error_description?: string };
        const message = e.error ? `${e.error}: ${e.error_description ?? ''}` : e.message;
        lastError = { code: 'sign_in_failed', message };
        throw new AuthError('sign_in_failed', message);
      }
    },
    async signOut() {
      const cur = session;
      session = null;
      lastError = null;
      if (cur?.refreshToken) {
        try { await oidc.tokenRevocation(await configuration(), cur.refreshToken); } catch (err) { opts.log?.('refresh token revocation failed', { error: (err as Error).message }); }
      }
      return status();
    },
    async accessToken() {
      if (!session) throw new AuthError('signed_out', 'sign in first');
      if (session.expiresAt - now() < 60_000) {
        refreshing ??= refresh().finally(() => { refreshing = null; });
        await refreshing;
      }
      if (!session) throw new AuthError('signed_out', 'sign in first');
      return session.accessToken;
    },
  };
}

/** No IdP: the configured agent, with tokens minted by the signaling node (scripts and tests). */
export function createServiceAuth(agent: { sub: string; name: string; roles?: UserRole[] }, mint: (() => Promise<string>) | null): AuthService {
  const user: SignedInUser = { sub: agent.sub, name: agent.name, roles: agent.roles ?? ['agent'] };
  const status = (): AuthStatus => ({ mode: 'service', user, issuer: null, expiresAt: null, lastError: null });
  return {
    mode: 'service',
    status,
    user: () => user,
    beginSignIn: () => Promise.reject(new AuthError('sign_in_failed', 'this workstation has no identity provider configured')),
    completeSignIn: () => Promise.reject(new AuthError('sign_in_failed', 'this workstation has no identity provider configured')),
    signOut: () => Promise.resolve(status()),
    accessToken: () => {
      if (!mint) return Promise.reject(new AuthError('signed_out', 'no agent token minter configured (start the workstation with scripts/start.ts)'));
      return mint();
    },
  };
}
