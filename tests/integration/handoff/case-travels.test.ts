/**
 * The case travels with a hand-off: two workstations' services (each its
 * own case database), a real signaling server, real ws agents. Alice's case
 * (customer, note, evidence) is put on the hand-off; Bob, once he has
 * accepted, fetches it, it is verified and imported into his database.
 * Nobody else can read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { createServices, type Services } from '../../../src-main/services';
import { loadConfig } from '../../../src-main/config';
import { createLogger } from '../../../src-main/log';
import { Client, customer, invite, startServer } from '../signaling/harness';

let server: SignalingServer;
const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
  await server?.close();
});

function workstation(agentId: string): Services {
  const dataDir = mkdtempSync(join(tmpdir(), `va-ho-${agentId}-`));
  const s = createServices(loadConfig({ dataDir, signalingUrl: server.url, agentId, agentName: agentId }), {
    mintAgentToken: (id, o) => server.mintAgentToken(id, o), log: createLogger({ level: 'error', sink: () => {} }),
  });
  cleanup.push(async () => { await s.close(); rmSync(dataDir, { recursive: true, force: true }); });
  return s;
}

async function signIn(id: string) {
  const c = await Client.open(server);
  cleanup.push(() => c.close());
  c.send({ type: 'auth', v: 1, token: server.mintAgentToken(id, { name: id }) });
  await c.next('welcome');
  return c;
}

test('Alice\'s case is put on the hand-off, Bob imports it after accepting, a third agent cannot read it', async () => {
  ({ server } = await startServer({ directory: [{ id: 'alice', skills: [], queues: [] }, { id: 'bob', skills: [], queues: [] }] }));
  const aliceWs = workstation('alice');
  const bobWs = workstation('bob');
  const cases = aliceWs.cases.get();
  const cust = await cases.createCustomer({ name: 'Kim Tanaka', phones: ['+14155550123'] });
  const c = await cases.createCase({ customerId: cust.id, subject: 'Roaming fee' });
  await cases.addNote(c.id, 'Was in Osaka 3-9 March.');
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');
  const ev = await cases.putEvidence(c.id, 'image/png', png);

  const alice = await signIn('alice');
  const bob = await signIn('bob');
  const inv = await invite(alice);
  const cu = await customer(server, inv.token);
  cleanup.push(() => cu.c.close());
  alice.send({ type: 'handoff_request', handoffId: 'ctx1', kind: 'warm', to: { agentId: 'bob' }, caseRef: String(c.id) });
  await alice.next('handoff_update', (m) => m.phase === 'offered');

  const put = await aliceWs.handoffCases.share('ctx1', c.id);
  expect(put.files).toBeGreaterThanOrEqual(3); // manifest, case.json, the still
  bob.send({ type: 'handoff_answer', handoffId: 'ctx1', accept: true });
  await bob.next('welcome');
  const got = await bobWs.handoffCases.receive('ctx1');
  const view = await bobWs.cases.get().getCase(got.caseId);
  expect(view.customer.name).toBe('Kim Tanaka');
  const hist = await bobWs.cases.get().history(got.caseId);
  expect(JSON.stringify(hist)).toContain('Osaka 3-9 March');
  expect((await bobWs.cases.get().getEvidence((ev as { sha256: string }).sha256)).bytes.equals(png)).toBe(true);

  const eve = workstation('eve');
  await expect(eve.handoffCases.receive('ctx1')).rejects.toMatchObject({ code: 'forbidden' });

  // over HTTP the bearer is verified to an identity: none, a forged one, or a technician's is refused before any record is read
  const url = `${server.url}/handoff/ctx1/case`;
  expect((await fetch(url)).status).toBe(401);
  expect((await fetch(url, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
  const tech = await fetch(url, { headers: { authorization: `Bearer ${server.mintAgentToken('bob', { roles: ['technician'] })}` } });
  expect(tech.status).toBe(403);
  // the same subject with the agent role (what main sends: the signed-in user's token) reads it
  expect((await fetch(url, { headers: { authorization: `Bearer ${server.mintAgentToken('bob', { roles: ['agent'] })}` } })).status).toBe(200);
});
