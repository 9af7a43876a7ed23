/**
 * Approvals on the signaling server: a request reaches signed-in supervisor
 * sockets live; only the supervisor role may decide (server-enforced), nobody
 * decides their own; the first decision closes it for the others; the agent
 * receives a grant that verifies against the server's published key set; a
 * request nobody answers expires and the agent is told.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemoteJWKSet } from 'jose';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';
import { verifyGrant } from '../../../src-main/approvals/grant';
import { api, closeSockets, REQ, socket } from './support';

const servers: SignalingServer[] = [];
afterEach(async () => {
  closeSockets();
  for (const s of servers.splice(0)) await s.close();
});

async function server(approvals?: { requestTtlSec?: number }) {
  const s = await startSignalingServer({ secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', log: () => {}, ...(approvals ? { approvals } : {}) });
  servers.push(s);
  return s;
}

describe('approvals on the signaling server', () => {
  it('a request reaches supervisors live; an agent cannot decide; the supervisor\'s approval is a grant the agent can verify', async () => {
    const s = await server();
    const alice = s.mintAgentToken('alice', { name: 'Alice Agent' });
    const bob = s.mintAgentToken('bob', { name: 'Bob Agent' });
    const sam = s.mintAgentToken('sam', { name: 'Sam Supervisor', roles: ['agent', 'supervisor'] });
    const agentSock = await socket(s, alice);
    const bobSock = await socket(s, bob);
    const supSock = await socket(s, sam);

    const created = await api(s, alice, 'POST', '/approvals', REQ);
    expect(created.status).toBe(201);
    const { request } = await created.json() as { request: { requestId: string } };
    const live = await supSock.next('approval_requested') as { request: Record<string, unknown> };
    expect(live.request).toMatchObject({ requestId: request.requestId, caseId: 7, customerName: 'Grace Hopper', amountMinor: 600_00, currency: 'USD', reason: 'outage week', agent: { sub: 'alice', name: 'Alice Agent' } });
    // another agent's socket does not see it, and cannot list or decide it
    expect(bobSock.frames.some((f) => f.type === 'approval_requested')).toBe(false);
    expect((await api(s, bob, 'GET', '/approvals/pending')).status).toBe(403);
    const byAgent = await api(s, bob, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'approve' });
    expect(byAgent.status).toBe(403);
    expect(await byAgent.json()).toMatchObject({ error: { code: 'forbidden' } });
    // no bearer, or a bad one: 401
    expect((await fetch(`${s.url}/approvals/pending`)).status).toBe(401);
    expect((await api(s, 'garbage.token', 'GET', '/approvals/pending')).status).toBe(401);

    const pending = await (await api(s, sam, 'GET', '/approvals/pending')).json() as { requests: unknown[] };
    expect(pending.requests).toHaveLength(1);
    expect((await api(s, sam, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'approve' })).status).toBe(200);
    const decided = await agentSock.next('approval_decided') as { outcome: string, grant: string };
    expect(decided.outcome).toBe('approved');
    expect(await supSock.next('approval_closed')).toMatchObject({ requestId: request.requestId, outcome: 'approved' });
    // the grant verifies against the server's published JWKS, bound to this credit
    const keys = createRemoteJWKSet(new URL(`${s.url}/approvals/jwks.json`));
    const v = await verifyGrant(decided.grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice', installId: 'inst-1' }, { issuer: s.url, keys });
    expect(v).toMatchObject({ approverId: 'sam', approverName: 'Sam Supervisor' });
    // a second decision: already decided
    expect((await api(s, sam, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'decline' })).status).toBe(409);
  });

  it('nobody approves their own request, and a declined one gives the agent no grant', async () => {
    const s = await server();
    const sam = s.mintAgentToken('sam', { roles: ['agent', 'supervisor'] });
    const eve = s.mintAgentToken('eve', { roles: ['agent', 'supervisor'] });
    const samSock = await socket(s, sam);
    const { request } = await (await api(s, sam, 'POST', '/approvals', REQ)).json() as { request: { requestId: string } };
    const own = await api(s, sam, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'approve' });
    expect(own.status).toBe(403);
    expect((await (await api(s, sam, 'GET', '/approvals/pending')).json() as { requests: unknown[] }).requests).toHaveLength(0);
    expect((await api(s, eve, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'decline' })).status).toBe(200);
    const d = await samSock.next('approval_decided') as { outcome: string, grant?: string };
    expect(d.outcome).toBe('declined');
    expect(d.grant).toBeUndefined();
  });

  it('a request nobody answers expires: the agent is told and a late approval is refused', async () => {
    const s = await server({ requestTtlSec: 1 });
    const alice = s.mintAgentToken('alice');
    const sam = s.mintAgentToken('sam', { roles: ['supervisor'] });
    const agentSock = await socket(s, alice);
    const { request } = await (await api(s, alice, 'POST', '/approvals', REQ)).json() as { request: { requestId: string } };
    expect(await agentSock.next('approval_decided')).toMatchObject({ requestId: request.requestId, outcome: 'expired' });
    expect((await api(s, sam, 'POST', `/approvals/${request.requestId}/decision`, { decision: 'approve' })).status).toBe(410);
  });
});
