/**
 * Sign-in end to end in Node: the workstation's main (openid-client, code +
 * PKCE) against the signaling node's embedded provider (oidc-provider) with
 * a users file; the access token it gets opens an agent socket, with the
 * user's roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createOidcAuth } from '../../../src-main/auth/service';
import { WORKSTATION_CLIENT_ID } from '../../../signaling-server/idp/provider';
import { browserSignIn, startIdpNode, type IdpNode } from './support';

const REDIRECT = 'http://127.0.0.1:45999/auth/callback';
let node: IdpNode;

beforeAll(async () => { node = await startIdpNode(); });
afterAll(async () => { await node?.close(); });

const newAuth = () => createOidcAuth({ settings: { issuer: node.signaling.idp!.issuer, clientId: WORKSTATION_CLIENT_ID } });

function socketAuth(url: string, token: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'auth', v: 1, token })));
    ws.on('message', (d) => { resolve(JSON.parse(String(d)) as Record<string, unknown>); ws.close(); });
    ws.on('error', reject);
  });
}

describe('sign-in with the embedded OpenID provider', () => {
  it('code + PKCE with the users file: the agent is signed in with its roles, and its access token opens an agent socket', async () => {
    const auth = newAuth();
    const url = new URL(await auth.beginSignIn(REDIRECT));
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('prompt')).toBe('login');
    const done = await browserSignIn(url.href, 'alice', 'alice-pw-1', REDIRECT);
    expect(done.url.startsWith(REDIRECT)).toBe(true);
    const st = await auth.completeSignIn(new URL(done.url));
    expect(st.user).toEqual({ sub: 'alice', name: 'Alice Agent', roles: ['agent'] });

    const token = await auth.accessToken();
    const v = await node.signaling.verifyBearer(token);
    expect(v).toMatchObject({ ok: true, identity: { sub: 'alice', roles: ['agent'], source: node.signaling.idp!.issuer } });
    const welcome = await socketAuth(node.signaling.wsUrl, token);
    expect(welcome).toMatchObject({ type: 'welcome', role: 'agent' });
  });

  it('a supervisor signs in with the supervisor role', async () => {
    const auth = newAuth();
    const done = await browserSignIn(await auth.beginSignIn(REDIRECT), 'sam', 'sam-pw-1', REDIRECT);
    expect((await auth.completeSignIn(new URL(done.url))).user?.roles).toEqual(['agent', 'supervisor']);
    const v = await node.signaling.verifyBearer(await auth.accessToken());
    expect(v.ok && v.identity.roles).toEqual(['agent', 'supervisor']);
  });

  it('a wrong password stays on the sign-in form with an error, and no code reaches the workstation', async () => {
    const auth = newAuth();
    const r = await browserSignIn(await auth.beginSignIn(REDIRECT), 'alice', 'wrong', REDIRECT);
    expect(r.status).toBe(401);
    expect(r.body).toContain('data-testid="idp-error"');
    expect(auth.status().user).toBeNull();
  });

  it('a callback the workstation did not start (unknown state) is refused', async () => {
    const auth = newAuth();
    await expect(auth.completeSignIn(new URL(`${REDIRECT}?code=abc&state=forged`))).rejects.toMatchObject({ code: 'invalid_state' });
  });

  it('refreshes the access token before it expires, and signing out forgets it', async () => {
    let now = Date.now();
    const auth = createOidcAuth({ settings: { issuer: node.signaling.idp!.issuer, clientId: WORKSTATION_CLIENT_ID }, now: () => now });
    const done = await browserSignIn(await auth.beginSignIn(REDIRECT), 'alice', 'alice-pw-1', REDIRECT);
    await auth.completeSignIn(new URL(done.url));
    const first = await auth.accessToken();
    now += 15 * 60_000; // within a minute of expiry (15 min tokens): refreshed
    const second = await auth.accessToken();
    expect(second).not.toBe(first);
    expect((await node.signaling.verifyBearer(second)).ok).toBe(true);
    await auth.signOut();
    await expect(auth.accessToken()).rejects.toMatchObject({ code: 'signed_out' });
  });
});
