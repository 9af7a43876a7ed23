/**
 * The reporting endpoints take the same sign-in as the workstation: the
 * embedded OpenID provider's access tokens (code + PKCE, the users file's
 * roles), verified by the node's one bearer verifier, with roles from the
 * verified Identity. A token from another issuer is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOidcAuth } from '../../../src-main/auth/service';
import { WORKSTATION_CLIENT_ID } from '../../../signaling-server/idp/provider';
import { openReportingStore } from '../../../signaling-server/reporting/sql-store';
import { browserSignIn, startIdpNode, type IdpNode } from '../auth/support';
import { fixtureLog } from './fixture';

const REDIRECT = 'http://127.0.0.1:45998/auth/callback';
let node: IdpNode;
let other: IdpNode;
const dir = mkdtempSync(join(tmpdir(), 'va-rep-idp-'));

async function signIn(n: IdpNode, login: string, password: string): Promise<string> {
  const auth = createOidcAuth({ settings: { issuer: n.signaling.idp!.issuer, clientId: WORKSTATION_CLIENT_ID } });
  const done = await browserSignIn(await auth.beginSignIn(REDIRECT), login, password, REDIRECT);
  await auth.completeSignIn(new URL(done.url));
  return auth.accessToken();
}

const api = (path: string, token: string, body?: unknown) => fetch(`${node.signaling.url}${path}`, {
  method: body === undefined ? 'GET' : 'POST',
  headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

beforeAll(async () => {
  node = await startIdpNode({ reporting: { store: await openReportingStore(join(dir, 'reporting.sqlite')) } });
  other = await startIdpNode();
});
afterAll(async () => { await node?.close(); await other?.close(); rmSync(dir, { recursive: true, force: true }); });

describe('reporting with the IdP sign-in', () => {
  it('an agent\'s sign-in delivers its own events and reads its own numbers; the supervisor view answers 403', async () => {
    const alice = await signIn(node, 'alice', 'alice-pw-1');
    expect(await (await api('/reporting/v1/whoami', alice)).json()).toEqual({ sub: 'alice', name: 'Alice Agent', roles: ['agent'] });
    const e = { ...fixtureLog().events[0]!, agentId: 'alice', idempotencyKey: 'instI:1', installId: 'instI', seq: 1 };
    expect((await api('/reporting/v1/events', alice, e)).status).toBe(200);
    expect((await api('/reporting/v1/events', alice, { ...e, agentId: 'sam', idempotencyKey: 'instI:2', seq: 2 })).status).toBe(403);
    expect((await api('/reporting/v1/kpis?from=2020-01-01&to=2030-12-31&agentId=alice', alice)).status).toBe(200);
    for (const p of ['/reporting/v1/audit', '/reporting/v1/board', '/reporting/v1/kpis?from=2020-01-01&to=2030-12-31']) {
      expect((await api(p, alice)).status, p).toBe(403);
    }
  });

  it('a supervisor\'s sign-in opens the board, the audit queue and the team\'s KPIs', async () => {
    const sam = await signIn(node, 'sam', 'sam-pw-1');
    for (const p of ['/reporting/v1/audit', '/reporting/v1/board', '/reporting/v1/kpis?from=2020-01-01&to=2030-12-31']) {
      expect((await api(p, sam)).status, p).toBe(200);
    }
  });

  it('a token signed by another provider, and a technician without agent or supervisor role for the view, are refused', async () => {
    const foreign = await signIn(other, 'sam', 'sam-pw-1');
    const r = await api('/reporting/v1/audit', foreign);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/issuer|signature/);
    const tina = await signIn(node, 'tina', 'tina-pw-1');
    expect((await api('/reporting/v1/audit', tina)).status).toBe(403);
  });
});
