/**
 * The reporting page signs in with the node's embedded OpenID provider, as
 * the workstation does: authorization code + PKCE (oauth4webapi), redirect
 * back to this page, the access token kept in this tab's sessionStorage
 * only. The provider is on the same origin, so no CORS and the page's CSP
 * (connect-src 'self') holds. The token is the user's own: the server reads
 * the roles from it.
 */
import * as oauth from 'oauth4webapi';

const FLOW_KEY = 'va-reporting-oidc-flow';

export interface SignInConfig { issuer: string; clientId: string }

/** Where this node's page signs in, or null (no embedded provider: sign in with a token). */
export async function signInConfig(): Promise<SignInConfig | null> {
  const res = await fetch('/reporting/v1/sign-in');
  if (!res.ok) return null;
  const c = await res.json() as { issuer: string | null; clientId: string | null };
  return c.issuer && c.clientId ? { issuer: c.issuer, clientId: c.clientId } : null;
}

const redirectUri = () => `${location.origin}${location.pathname}`;
// plain http only where the page itself is (a development or test node on loopback)
const opts = () => (location.protocol === 'http:' ? { [oauth.allowInsecureRequests]: true } : {});

async function server(cfg: SignInConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(cfg.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...opts() }));
}

/** Go to the provider's sign-in form; comes back to this page with ?code. */
export async function beginSignIn(cfg: SignInConfig): Promise<void> {
  const as = await server(cfg);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(FLOW_KEY, JSON.stringify({ codeVerifier, state }));
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: cfg.clientId, redirect_uri: redirectUri(), response_type: 'code',
    scope: 'openid profile roles signaling', state, prompt: 'login',
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  }).toString();
  location.assign(url.href);
}

/** This page load is the provider's redirect: exchange the code for the access token (and clean the URL). Null when it is not. */
export async function completeSignIn(cfg: SignInConfig): Promise<string | null> {
  const here = new URL(location.href);
  if (!here.searchParams.has('code') && !here.searchParams.has('error')) return null;
  history.replaceState(null, '', location.pathname);
  const saved = sessionStorage.getItem(FLOW_KEY);
  sessionStorage.removeItem(FLOW_KEY);
  if (!saved) throw new Error('no sign-in was started in this tab');
  const flow = JSON.parse(saved) as { codeVerifier: string; state: string };
  const as = await server(cfg);
  const client: oauth.Client = { client_id: cfg.clientId, id_token_signed_response_alg: 'ES256' };
  const params = oauth.validateAuthResponse(as, client, here, flow.state);
  const res = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), flow.codeVerifier, opts());
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
  return tokens.access_token;
}
