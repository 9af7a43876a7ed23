/**
 * A supervisor's decision is not lost when the agent's socket is down at that
 * moment: the workstation's main process (approvals:status through the router,
 * over HTTP with the agent's token) gets the server-kept grant, which verifies
 * against the server's key set and credits once on a real SQLite case cache; a
 * second use is refused as replayed; nobody else can read it; after the
 * grant's lifetime the status says approved, without a grant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';
import { CaseService } from '../../../src-main/cases/service';
import { createCaseHandlers, type GrantCheck } from '../../../src-main/cases/handlers';
import { createApprovalHandlers } from '../../../src-main/approvals/handlers';
import { createApprovalService } from '../../../src-main/approvals/service';
import { ApprovalError } from '../../../src-main/approvals/grant';
import { createServiceAuth } from '../../../src-main/auth/service';
import { ApiFailure, createRouter, type Handlers } from '../../../src-main/router';
import { createLogger } from '../../../src-main/log';
import { api, closeSockets, socket } from './support';

const servers: SignalingServer[] = [];
const dirs: string[] = [];
const services: CaseService[] = [];
afterEach(async () => {
  closeSockets();
  for (const s of services.splice(0)) await s.close();
  for (const s of servers.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function server(approvals?: { grantTtlSec?: number }) {
  const s = await startSignalingServer({ secret: randomBytes(32).toString('base64url'), port: 0, host: '127.0.0.1', log: () => {}, ...(approvals ? { approvals } : {}) });
  servers.push(s);
  return s;
}

/** A workstation as main runs it: its case cache, its approval service on the server, one router. */
async function workstation(s: SignalingServer, sub: string, name: string, roles: Array<'agent' | 'supervisor'> = ['agent']) {
  const dir = mkdtempSync(join(tmpdir(), 'va-redeliver-'));
  dirs.push(dir);
  const svc = new CaseService({ dataDir: dir, agentId: sub });
  services.push(svc);
  const auth = createServiceAuth({ sub, name, roles }, async () => s.mintAgentToken(sub, { name, roles }));
  const cases = { get: () => svc };
  const approvals = createApprovalService({ signalingUrl: s.url, auth, cases });
  const checkGrant: GrantCheck = (grant, want) => approvals.verify(grant, want).catch((err: unknown) => {
    if (err instanceof ApprovalError) throw new ApiFailure(err.code, err.message);
    throw err;
  });
  const router = createRouter({ ...createCaseHandlers({ cases, checkGrant }), ...createApprovalHandlers({ approvals, auth }) } as unknown as Handlers, { log: createLogger({ level: 'error', sink: () => {} }) });
  const ipc = (channel: string, input: unknown) => router.dispatch(channel, input, { host: 'web' });
  const cu = await svc.createCustomer({ name: 'Grace Hopper', phones: ['+1 415 555 2671'], account: { number: 'ACC-1', plan: 'Fiber', expectedMonthlyMinor: 69_99, currency: 'USD' } });
  const c = await svc.createCase({ customerId: cu.id, accountId: cu.accounts[0]!.id, subject: 'Outage' });
  const credits = async () => (await svc.history(c.id)).filter((e) => e.body.type === 'credit');
  return { ipc, c, credits, token: () => s.mintAgentToken(sub, { name, roles }) };
}

/** The agent asks (600 > the 500 limit) with its socket open, then the socket goes down. */
async function askThenDropSocket(s: SignalingServer, ws: Awaited<ReturnType<typeof workstation>>) {
  const sock = await socket(s, ws.token());
  expect(await ws.ipc('cases:issueCredit', { caseId: ws.c.id, amountMinor: 600_00, reason: 'outage week' })).toMatchObject({ ok: true, value: { state: 'needs_approval' } });
  const asked = await ws.ipc('approvals:request', { caseId: ws.c.id, amountMinor: 600_00, reason: 'outage week' });
  if (!asked.ok) throw new Error(`approvals:request failed: ${asked.error.message}`);
  const requestId = (asked.value as { requestId: string }).requestId;
  const closed = new Promise((r) => sock.ws.once('close', r));
  sock.ws.close();
  await closed;
  return { requestId, sock };
}

describe('a decision made while the agent\'s socket is down is not lost', () => {
  it('status returns the grant; it verifies and credits once; a second use is replayed; nobody else reads it', async () => {
    const s = await server();
    const alice = await workstation(s, 'alice', 'Alice Agent');
    const bob = await workstation(s, 'bob', 'Bob Agent');
    const sam = s.mintAgentToken('sam', { name: 'Sam Supervisor', roles: ['agent', 'supervisor'] });
    const { requestId, sock } = await askThenDropSocket(s, alice);
    expect(await alice.ipc('approvals:status', { requestId })).toEqual({ ok: true, value: { state: 'open' } });

    expect((await api(s, sam, 'POST', `/approvals/${requestId}/decision`, { decision: 'approve' })).status).toBe(200);
    // the live frame went nowhere: the old socket saw none
    expect(sock.frames.some((f) => f.type === 'approval_decided')).toBe(false);
    // the socket comes back (the workstation asks on its welcome)
    await socket(s, alice.token());
    const st = await alice.ipc('approvals:status', { requestId });
    expect(st).toMatchObject({ ok: true, value: { state: 'approved', approver: { sub: 'sam', name: 'Sam Supervisor' }, grant: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) } });
    const grant = (st as { value: { grant: string } }).value.grant;

    // another agent, or a supervisor who is not the asker, cannot read it (IPC and HTTP alike)
    expect(await bob.ipc('approvals:status', { requestId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bySam = await api(s, sam, 'GET', `/approvals/${requestId}`);
    expect(bySam.status).toBe(404);
    expect(JSON.stringify(await bySam.json())).not.toContain(grant.split('.')[2]!);
    expect((await fetch(`${s.url}/approvals/${requestId}`)).status).toBe(401);

    // main verifies it against the server's key set and writes the approved credit, once
    const credit = () => alice.ipc('cases:issueCredit', { caseId: alice.c.id, amountMinor: 600_00, reason: 'outage week', approvalGrant: grant });
    expect(await credit()).toMatchObject({ ok: true, value: { state: 'approved', event: { agentId: 'alice', body: { approvedBy: 'sam', approverName: 'Sam Supervisor' } } } });
    // fetched again (a second reconnect) it is the same grant, and a second use is refused
    expect(await alice.ipc('approvals:status', { requestId })).toMatchObject({ ok: true, value: { grant } });
    expect(await credit()).toMatchObject({ ok: false, error: { code: 'approval_replayed' } });
    expect(await alice.credits()).toHaveLength(1);
    // the grant is still bound to its credit: another amount is refused
    expect(await alice.ipc('cases:issueCredit', { caseId: alice.c.id, amountMinor: 700_00, reason: 'x', approvalGrant: grant })).toMatchObject({ ok: false, error: { code: 'approval_mismatch' } });
  });

  it('a decline is there too, with no grant; a supervisor-only workstation cannot ask for status', async () => {
    const s = await server();
    const alice = await workstation(s, 'alice', 'Alice Agent');
    const sup = await workstation(s, 'sam', 'Sam Supervisor', ['supervisor']);
    const { requestId } = await askThenDropSocket(s, alice);
    expect((await api(s, sup.token(), 'POST', `/approvals/${requestId}/decision`, { decision: 'decline' })).status).toBe(200);
    expect(await alice.ipc('approvals:status', { requestId })).toEqual({ ok: true, value: { state: 'declined', approver: { sub: 'sam', name: 'Sam Supervisor' } } });
    expect(await sup.ipc('approvals:status', { requestId })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await alice.ipc('approvals:status', { requestId: '../pending' })).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('after the grant\'s lifetime the status says approved, without a grant', async () => {
    const s = await server({ grantTtlSec: 1 });
    const alice = await workstation(s, 'alice', 'Alice Agent');
    const sam = s.mintAgentToken('sam', { name: 'Sam Supervisor', roles: ['supervisor'] });
    const { requestId } = await askThenDropSocket(s, alice);
    expect((await api(s, sam, 'POST', `/approvals/${requestId}/decision`, { decision: 'approve' })).status).toBe(200);
    // the grant lives 1 s: asked until it is gone (at most a few seconds on a loaded machine)
    let late = await alice.ipc('approvals:status', { requestId });
    const end = Date.now() + 10_000;
    while (late.ok && (late.value as { grant?: string }).grant && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 100));
      late = await alice.ipc('approvals:status', { requestId });
    }
    expect(late).toEqual({ ok: true, value: { state: 'approved', approver: { sub: 'sam', name: 'Sam Supervisor' } } });
    expect(await alice.credits()).toHaveLength(0);
  });
});
