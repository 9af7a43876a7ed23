/**
 * The embedded OpenID provider: panva's certified `oidc-provider`, mounted
 * under `/oidc` of the signaling node's own HTTP server, with the local user
 * directory (users.ts) behind a plain sign-in form. It serves one public
 * client, the workstation (authorization code + PKCE, loopback redirect on
 * any port as RFC 8252 §7.3 allows native apps), and the reporting page the
 * node itself serves at /supervisor (code + PKCE from the browser, redirect
 * to that page only, no refresh token), and issues JWT access tokens
 * for the signaling audience carrying the user's roles, which the server
 * verifies like any organisation IdP's (verify-bearer.ts).
 *
 * State (sessions, codes, refresh tokens) is in memory: a restart signs
 * everyone out. That is the embedded default's trade; production uses the
 * organisation's IdP.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, type JWTVerifyGetKey } from 'jose';
import type { UserDirectory } from './users';
import { LOGIN_PAGE_CSP, loginLang, loginPage } from './login-page';
import { readBody } from '../http-util';

export const IDP_MOUNT = '/oidc';
export const WORKSTATION_CLIENT_ID = 'visual-assist-workstation';
/** The supervisor/reporting page served by this node (issue 14): a browser client of the same provider. */
export const REPORTING_PAGE_CLIENT_ID = 'visual-assist-reporting-page';
/** Where the reporting page lives on the node; also its only redirect URI. */
export const REPORTING_PAGE_PATH = '/supervisor';
/** Audience (resource indicator) of access tokens for the signaling server. */
export const DEFAULT_SIGNALING_AUDIENCE = 'urn:visual-assist:signaling';
/** The scope a workstation asks for to get a signaling access token. */
export const SIGNALING_SCOPE = 'signaling';

export interface EmbeddedIdpOptions {
  /** Issuer URL: the node's public URL + /oidc. */
  issuer: string;
  users: UserDirectory;
  audience?: string;
  /** Access-token lifetime (default 15 min; the workstation refreshes). */
  accessTokenTtlSec?: number;
  /** Failed sign-ins per address per minute before the form says wait (default 10). */
  maxFailuresPerMinute?: number;
  log?: (rec: Record<string, unknown>) => void;
}

export interface EmbeddedIdp {
  issuer: string;
  audience: string;
  /** The provider's public keys, for verifying its tokens in-process. */
  keys: JWTVerifyGetKey;
  /** Handles a request under /oidc; false if the path is not ours. */
  handle(req: IncomingMessage, res: ServerResponse, clientAddress: string): Promise<boolean>;
}

type ProviderT = import('oidc-provider').default;

export async function createEmbeddedIdp(opts: EmbeddedIdpOptions): Promise<EmbeddedIdp> {
  // oidc-provider prints a notice on Node 20 (it asks for 22 LTS); it works on 20 and CI runs 20.
  const { default: Provider, errors } = await import('oidc-provider');
  const audience = opts.audience ?? DEFAULT_SIGNALING_AUDIENCE;
  const users = opts.users;
  const log = opts.log ?? (() => {});
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const kid = `idp-${randomBytes(6).toString('base64url')}`;
  const privJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: 'ES256', use: 'sig' };
  const pubJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const ttl = opts.accessTokenTtlSec ?? 900;

  const provider: ProviderT = new Provider(opts.issuer, {
    clients: [{
      client_id: WORKSTATION_CLIENT_ID,
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: ['http://127.0.0.1/auth/callback', 'http://[::1]/auth/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    }, {
      // the node's own reporting page: same origin as the provider, so no CORS; a session's tokens live in that tab only
      client_id: REPORTING_PAGE_CLIENT_ID,
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      redirect_uris: [`${opts.issuer.replace(/\/oidc\/?$/, '')}${REPORTING_PAGE_PATH}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    }],
    jwks: { keys: [privJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'roles', 'offline_access', SIGNALING_SCOPE],
    claims: { openid: ['sub'], profile: ['name', 'preferred_username'], roles: ['roles'] },
    // the ID token carries name and roles, so the workstation shows who is signed in without a userinfo call
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AccessToken: ttl, IdToken: ttl, AuthorizationCode: 60, Interaction: 600, Session: 12 * 3600, Grant: 12 * 3600, RefreshToken: 12 * 3600 },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== audience) throw new errors.InvalidTarget();
          return { scope: SIGNALING_SCOPE, audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    async findAccount(_ctx, sub) {
      const u = users.find(sub);
      if (!u) return undefined;
      return { accountId: u.id, claims: () => ({ sub: u.id, name: u.name, preferred_username: u.id, roles: u.roles }) };
    },
    async extraTokenClaims(_ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const u = users.find(token.accountId);
      return u ? { name: u.name, roles: u.roles } : undefined;
    },
    // The workstation and the reporting page are our own first-party clients: no consent screen, the grant is made on sign-in.
    async loadExistingGrant(ctx) {
      const oidc = ctx.oidc;
      const grantId = oidc.result?.consent?.grantId || oidc.session!.grantIdFor(oidc.client!.clientId);
      if (grantId) return oidc.provider.Grant.find(grantId);
      const firstParty = oidc.client!.clientId === WORKSTATION_CLIENT_ID || oidc.client!.clientId === REPORTING_PAGE_CLIENT_ID;
      if (!firstParty || !oidc.session!.accountId) return undefined;
      const grant = new oidc.provider.Grant({ clientId: oidc.client!.clientId, accountId: oidc.session!.accountId });
      grant.addOIDCScope(oidc.client!.clientId === WORKSTATION_CLIENT_ID ? 'openid profile roles offline_access' : 'openid profile roles');
      grant.addOIDCClaims(['name', 'preferred_username', 'roles']);
      grant.addResourceScope(audience, SIGNALING_SCOPE);
      await grant.save();
      return grant;
    },
    interactions: { url: (_ctx, interaction) => `${IDP_MOUNT}/interaction/${interaction.uid}` },
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html><head><meta charset="utf-8"><title>Sign-in error</title></head><body><h1>Sign-in error</h1><pre>${String(out.error).replace(/[<>&]/g, '')}: ${String(out.error_description ?? '').replace(/[<>&]/g, '')}</pre></body></html>`;
    },
  });
  provider.on('server_error', (_ctx, err) => log({ ev: 'idp_error', err: err.message }));
  const callback = provider.callback();

  // Failed sign-ins per address, in one-minute windows.
  const failures = new Map<string, { n: number, since: number }>();
  const maxFailures = opts.maxFailuresPerMinute ?? 10;
  const locked = (addr: string): boolean => {
    const f = failures.get(addr);
    if (!f) return false;
    if (Date.now() - f.since > 60_000) { failures.delete(addr); return false; }
    return f.n >= maxFailures;
  };
  const failed = (addr: string) => {
    const f = failures.get(addr);
    if (!f || Date.now() - f.since > 60_000) failures.set(addr, { n: 1, since: Date.now() });
    else f.n++;
    if (failures.size > 10_000) failures.clear();
  };

  const html = (res: ServerResponse, status: number, body: string) => {
    res.setHeader('Content-Security-Policy', LOGIN_PAGE_CSP);
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  };

  async function interaction(req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined, addr: string): Promise<void> {
    let details;
    try {
      details = await provider.interactionDetails(req, res);
    } catch {
      return html(res, 400, '<!doctype html><meta charset="utf-8"><title>Expired</title><p>This sign-in page has expired. Start signing in again from the workstation.</p>');
    }
    if (details.uid !== uid) return html(res, 400, '<!doctype html><meta charset="utf-8"><p>Sign-in session mismatch. Start again from the workstation.</p>');
    const lang = loginLang(req.headers['accept-language']);
    const formAction = `${IDP_MOUNT}/interaction/${uid}/login`;
    if (details.prompt.name === 'login') {
      if (req.method === 'GET' && !action) return html(res, 200, loginPage({ action: formAction, lang }));
      if (req.method !== 'POST' || action !== 'login') return html(res, 405, '<!doctype html><p>Method not allowed</p>');
      const body = await readBody(req, 8 * 1024);
      if (!body.ok) return html(res, 413, '<!doctype html><p>Request too large</p>');
      const form = new URLSearchParams(body.body.toString('utf8'));
      const login = (form.get('login') ?? '').slice(0, 128);
      if (locked(addr)) return html(res, 429, loginPage({ action: formAction, lang, login, error: 'locked' }));
      const user = await users.authenticate(login, form.get('password') ?? '');
      if (!user) {
        failed(addr);
        log({ ev: 'idp_login_failed', addr });
        return html(res, 401, loginPage({ action: formAction, lang, login, error: 'failed' }));
      }
      log({ ev: 'idp_login', sub: user.id });
      await provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
      return;
    }
    // consent (should not happen for our first-party client, loadExistingGrant makes the grant): grant what was asked
    const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
    if (!grant) return html(res, 400, '<!doctype html><p>Grant not found</p>');
    const missing = details.prompt.details as { missingOIDCScope?: string[], missingOIDCClaims?: string[], missingResourceScopes?: Record<string, string[]> };
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [ind, scopes] of Object.entries(missing.missingResourceScopes ?? {})) grant.addResourceScope(ind, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  }

  return {
    issuer: opts.issuer,
    audience,
    keys: createLocalJWKSet({ keys: [pubJwk] }),
    async handle(req, res, clientAddress) {
      const url = req.url ?? '/';
      const path = url.split('?')[0]!;
      if (path !== IDP_MOUNT && !path.startsWith(`${IDP_MOUNT}/`)) return false;
      const m = /^\/oidc\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login))?$/.exec(path);
      if (m) {
        await interaction(req, res, m[1]!, m[2], clientAddress);
        return true;
      }
      // Mount like Express does: the provider sees the path below /oidc and finds its mount in originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(IDP_MOUNT.length) || '/';
      // The discovery document and JWKS are fetched by other programs; everything else is for the browser flow.
      res.removeHeader('Cross-Origin-Resource-Policy');
      await new Promise<void>((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
        void callback(req, res);
      });
      return true;
    },
  };
}
