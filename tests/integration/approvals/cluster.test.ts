/**
 * Approvals across two real signaling nodes on one real redis-server, behind
 * one public URL (as behind a load balancer) with one shared grant key: an
 * agent on node A asks, a supervisor on node B sees it live and decides, the
 * agent's socket on A gets a grant that verifies with the key set served by
 * A; a late decision is refused; two supervisors racing on both nodes get one
 * winner; a node restart keeps the pending request; expiry tells the agent
 * once; a Redis refusing writes is a retryable 503. And the start-up rule:
 * several nodes without a shared key refuse to start; a rotation's second
 * key is published.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import { connectRedis, RedisStore } from '../../../signaling-server/redis/index';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';
import { createGrantSigner } from '../../../signaling-server/approvals/grant-signer';
import { verifyGrant } from '../../../src-main/approvals/grant';
import { startRedis, type Running } from '../signaling-prod/servers';
import { grantKeyFile } from '../../support/grant-key';
import { api, closeSockets, REQ, socket, waitFor, type Endpoint, type Frame } from './support';

/** The balancer's address: every node's public URL, so the grants' issuer. */
const PUBLIC = 'https://signal.example.test';
const SECRET = 'approvals-cluster-secret-0123456789abcdef';

let redis: Running;
const running = new Set<SignalingServer>();
beforeAll(async () => { redis = await startRedis(); });
afterEach(async () => {
  closeSockets();
  for (const s of running) await s.close();
  running.clear();
});
afterAll(async () => { await redis?.stop(); });

let prefixes = 0;
interface Node extends Endpoint { s: SignalingServer, token(sub: string, o?: { name?: string, supervisor?: boolean }): string }

async function node(prefix: string, nodeId: string, o: { requestTtlSec?: number, keyFile?: string } = {}): Promise<Node> {
  const s = await startSignalingServer({
    secret: SECRET, port: 0, host: '127.0.0.1', publicUrl: PUBLIC, log: () => {}, nodeId,
    store: new RedisStore({ url: redis.url, prefix, nodeId, nodeTtlMs: 2000 }), redis: { url: redis.url, prefix },
    approvals: { signingKeyFile: o.keyFile ?? grantKeyFile(), ...(o.requestTtlSec ? { requestTtlSec: o.requestTtlSec } : {}) },
  });
  running.add(s);
  return {
    s, url: `http://127.0.0.1:${s.port}`, wsUrl: `ws://127.0.0.1:${s.port}/ws`,
    token: (sub, t = {}) => s.mintAgentToken(sub, { ...(t.name ? { name: t.name } : {}), roles: t.supervisor ? ['agent', 'supervisor'] : ['agent'] }),
  };
}

async function twoNodes(o: { requestTtlSec?: number } = {}): Promise<[Node, Node, string]> {
  const prefix = `apc${++prefixes}-${process.pid}:`;
  const [a, b] = await Promise.all([node(prefix, 'node-a', o), node(prefix, 'node-b', o)]);
  return [a, b, prefix];
}

async function ask(n: Node, token: string): Promise<string> {
  const res = await api(n, token, 'POST', '/approvals', REQ);
  expect(res.status).toBe(201);
  return ((await res.json()) as { request: { requestId: string } }).request.requestId;
}

const forId = (id: string) => (f: Frame) => f.requestId === id || (f.request as { requestId?: string } | undefined)?.requestId === id;

describe('approvals across two nodes on one redis', () => {
  it('asked on A, seen live and listed on B, decided on B; the agent on A gets a grant that verifies with A\'s key set; a late decision on A is already_decided', async () => {
    const [a, b] = await twoNodes();
    const alice = a.token('alice', { name: 'Alice Agent' });
    const sam = b.token('sam', { name: 'Sam Supervisor', supervisor: true });
    const eve = a.token('eve', { name: 'Eve Supervisor', supervisor: true });
    const agentOnA = await socket(a, alice);
    const samOnB = await socket(b, sam);
    const eveOnA = await socket(a, eve);

    const id = await ask(a, alice);
    expect((await samOnB.next('approval_requested', forId(id))).request).toMatchObject({ requestId: id, amountMinor: 600_00, agent: { sub: 'alice', name: 'Alice Agent' } });
    await eveOnA.next('approval_requested', forId(id));
    const pending = (await (await api(b, sam, 'GET', '/approvals/pending')).json()) as { requests: Array<{ requestId: string }> };
    expect(pending.requests.map((r) => r.requestId)).toEqual([id]);
    expect(await api(a, alice, 'GET', `/approvals/${id}`).then((r) => r.json())).toEqual({ state: 'open' });

    const decided = await api(b, sam, 'POST', `/approvals/${id}/decision`, { decision: 'approve' });
    expect(decided.status).toBe(200);
    expect(await decided.json()).toEqual({ outcome: 'approved' });
    const d = await agentOnA.next('approval_decided', forId(id)) as { outcome: string, grant: string };
    expect(d.outcome).toBe('approved');
    // signed on B, verified with the key set fetched from A (the shared key), issuer the public URL
    const keys = createRemoteJWKSet(new URL(`${a.url}/approvals/jwks.json`));
    const v = await verifyGrant(d.grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice', installId: 'inst-1' }, { issuer: PUBLIC, keys });
    expect(v).toMatchObject({ approverId: 'sam', approverName: 'Sam Supervisor' });
    expect(await eveOnA.next('approval_closed', forId(id))).toMatchObject({ outcome: 'approved', by: 'Sam Supervisor' });

    const late = await api(a, eve, 'POST', `/approvals/${id}/decision`, { decision: 'decline' });
    expect(late.status).toBe(409);
    expect(await late.json()).toMatchObject({ error: { code: 'already_decided' } });
    // the agent (reconnected anywhere) reads the outcome; nobody else can
    expect(await api(b, alice, 'GET', `/approvals/${id}`).then((r) => r.json())).toEqual({ state: 'approved', grant: d.grant, approver: { sub: 'sam', name: 'Sam Supervisor' } });
    expect((await api(b, eve, 'GET', `/approvals/${id}`)).status).toBe(404);
    expect(agentOnA.count('approval_decided', forId(id))).toBe(1);
  });

  it('two supervisors deciding the same requests at the same instant on both nodes: exactly one wins each', async () => {
    const [a, b] = await twoNodes();
    const alice = a.token('alice');
    const sam = a.token('sam', { supervisor: true });
    const eve = b.token('eve', { supervisor: true });
    const agentOnB = await socket(b, alice);
    const ids = await Promise.all([ask(a, alice), ask(b, alice), ask(a, alice), ask(b, alice), ask(a, alice)]);
    const results = await Promise.all(ids.flatMap((id) => [
      api(a, sam, 'POST', `/approvals/${id}/decision`, { decision: 'approve' }).then((r) => ({ id, by: 'sam', status: r.status })),
      api(b, eve, 'POST', `/approvals/${id}/decision`, { decision: 'decline' }).then((r) => ({ id, by: 'eve', status: r.status })),
    ]));
    for (const id of ids) {
      const mine = results.filter((r) => r.id === id);
      expect(mine.map((r) => r.status).sort()).toEqual([200, 409]);
      const winner = mine.find((r) => r.status === 200)!;
      // the agent hears the winner's decision, and only it
      const d = await agentOnB.next('approval_decided', forId(id));
      expect(d.outcome).toBe(winner.by === 'sam' ? 'approved' : 'declined');
    }
    expect(agentOnB.count('approval_decided')).toBe(ids.length);
  });

  it('node A restarts on the same redis: the pending request is still there; decided on B, the agent back on A is told', async () => {
    const [a, b, prefix] = await twoNodes();
    const alice = a.token('alice');
    const sam = b.token('sam', { supervisor: true });
    await socket(a, alice);
    const id = await ask(a, alice);

    await a.s.close();
    running.delete(a.s);
    const a2 = await node(prefix, 'node-a');
    expect(a2.url).not.toBe(a.url);
    const agentBack = await socket(a2, alice); // the workstation reconnects (through the balancer) to the new node A
    expect(await api(a2, alice, 'GET', `/approvals/${id}`).then((r) => r.json())).toEqual({ state: 'open' });
    const pending = (await (await api(a2, sam, 'GET', '/approvals/pending')).json()) as { requests: Array<{ requestId: string }> };
    expect(pending.requests.map((r) => r.requestId)).toEqual([id]);

    expect((await api(b, sam, 'POST', `/approvals/${id}/decision`, { decision: 'approve' })).status).toBe(200);
    const d = await agentBack.next('approval_decided', forId(id)) as { outcome: string, grant: string };
    expect(d.outcome).toBe('approved');
    const keys = createRemoteJWKSet(new URL(`${a2.url}/approvals/jwks.json`));
    await expect(verifyGrant(d.grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice' }, { issuer: PUBLIC, keys })).resolves.toMatchObject({ approverId: 'sam' });
  });

  it('the agent\'s node restarts while the supervisor on B approves: the frame is lost, but back on the new A the status carries the grant, which verifies; nobody else reads it', async () => {
    const [a, b, prefix] = await twoNodes();
    const alice = a.token('alice');
    const sam = b.token('sam', { name: 'Sam Supervisor', supervisor: true });
    const eve = b.token('eve', { supervisor: true });
    const agentOnA = await socket(a, alice);
    const id = await ask(a, alice);

    await a.s.close();
    running.delete(a.s);
    expect((await api(b, sam, 'POST', `/approvals/${id}/decision`, { decision: 'approve' })).status).toBe(200);
    const a2 = await node(prefix, 'node-a');
    await socket(a2, alice);
    expect(agentOnA.count('approval_decided', forId(id))).toBe(0);
    const st = await api(a2, alice, 'GET', `/approvals/${id}`).then((r) => r.json()) as { state: string, grant: string, approver: unknown };
    expect(st).toMatchObject({ state: 'approved', approver: { sub: 'sam', name: 'Sam Supervisor' } });
    const keys = createRemoteJWKSet(new URL(`${a2.url}/approvals/jwks.json`));
    await expect(verifyGrant(st.grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice', installId: 'inst-1' }, { issuer: PUBLIC, keys })).resolves.toMatchObject({ approverId: 'sam' });
    expect((await api(a2, eve, 'GET', `/approvals/${id}`)).status).toBe(404);
    expect((await api(b, b.token('bob'), 'GET', `/approvals/${id}`)).status).toBe(404);
  });

  it('a request nobody answers expires once: the agent\'s sockets on both nodes are told once, supervisors once, a late decision is refused', async () => {
    const [a, b] = await twoNodes({ requestTtlSec: 1 });
    const alice = a.token('alice');
    const sam = b.token('sam', { supervisor: true });
    const aliceOnA = await socket(a, alice);
    const aliceOnB = await socket(b, alice);
    const samOnB = await socket(b, sam);
    const id = await ask(a, alice);
    for (const sock of [aliceOnA, aliceOnB]) expect(await sock.next('approval_decided', forId(id))).toMatchObject({ outcome: 'expired' });
    expect(await samOnB.next('approval_closed', forId(id))).toMatchObject({ outcome: 'expired' });
    // proving a second telling never comes takes time: both nodes sweep every second; give each two more sweeps
    await new Promise((r) => setTimeout(r, 2200));
    expect([aliceOnA.count('approval_decided', forId(id)), aliceOnB.count('approval_decided', forId(id)), samOnB.count('approval_closed', forId(id))]).toEqual([1, 1, 1]);
    for (const n of [a, b]) {
      const late = await api(n, sam, 'POST', `/approvals/${id}/decision`, { decision: 'approve' });
      expect(late.status).toBe(410);
    }
    expect(await api(b, alice, 'GET', `/approvals/${id}`).then((r) => r.json())).toEqual({ state: 'expired' });
  });

  it('the open limits hold across nodes: five asked through both, the sixth refused on either', async () => {
    const [a, b] = await twoNodes();
    const alice = a.token('alice');
    await Promise.all([ask(a, alice), ask(b, alice), ask(a, alice), ask(b, alice), ask(a, alice)]);
    for (const n of [a, b]) {
      const res = await api(n, alice, 'POST', '/approvals', REQ);
      expect(res.status).toBe(429);
      expect(await res.json()).toMatchObject({ error: { code: 'too_many' } });
    }
  });

  it('while Redis refuses writes, asking answers 503 unavailable (retryable), and works again after', async () => {
    const [a] = await twoNodes();
    const alice = a.token('alice');
    const admin = connectRedis(redis.url, 'approvals-test-admin');
    try {
      // a primary that lost its replicas refuses every write (scripts included) with NOREPLICAS
      await admin.config('SET', 'min-replicas-to-write', '1');
      const res = await api(a, alice, 'POST', '/approvals', REQ);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('2');
      expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
    } finally {
      await admin.config('SET', 'min-replicas-to-write', '0');
      await admin.quit();
    }
    await ask(a, alice);
  });
});

describe('the grant key with several nodes', () => {
  it('nodes on redis refuse to start without one shared signing key file, or with one they cannot read, saying what to set', async () => {
    const prefix = `apk${process.pid}:`;
    const store = new RedisStore({ url: redis.url, prefix, nodeId: 'nokey' });
    await expect(startSignalingServer({ secret: SECRET, port: 0, host: '127.0.0.1', log: () => {}, store, redis: { url: redis.url, prefix } }))
      .rejects.toThrow(/shared grant-signing key.*SIGNALING_APPROVALS_KEY_FILE/);
    await expect(startSignalingServer({ secret: SECRET, port: 0, host: '127.0.0.1', log: () => {}, store, redis: { url: redis.url, prefix }, approvals: { signingKeyFile: '/nonexistent/grant.pem' } }))
      .rejects.toThrow(/approvals: cannot read \/nonexistent\/grant\.pem \(ENOENT\)/);
    await store.close();
  });

  it('during a key rotation the key set lists the other key too, so grants of nodes on either key verify', async () => {
    const oldKey = grantKeyFile(true);
    const newKey = grantKeyFile(true);
    // step 1 of a rotation: every node signs with the old key and publishes the new one; step 2: the reverse
    const step1 = await createGrantSigner(PUBLIC, oldKey, [newKey]);
    const step2 = await createGrantSigner(PUBLIC, newKey, [oldKey]);
    expect(step1.jwks.keys.map((k) => k.kid).sort()).toEqual(step2.jwks.keys.map((k) => k.kid).sort());
    expect(step1.jwks.keys).toHaveLength(2);
    for (const k of step1.jwks.keys) expect(k).not.toHaveProperty('d');
    const prefix = `apr${process.pid}:`;
    // a node in step 2 serves a key set with which a grant of a step-1 node verifies
    const claims = { sub: 'alice', jti: 'g-1', nonce: 'n'.repeat(22), rid: 'apr-1', case: 7, amt: 600_00, cur: 'USD', approver: { sub: 'sam' } };
    const grant = await step1.sign(claims, { nowMs: Date.now(), ttlSec: 300 });
    const s2 = await startSignalingServer({
      secret: SECRET, port: 0, host: '127.0.0.1', publicUrl: PUBLIC, log: () => {}, nodeId: 'rot-2',
      store: new RedisStore({ url: redis.url, prefix, nodeId: 'rot-2' }), redis: { url: redis.url, prefix },
      approvals: { signingKeyFile: newKey, publishKeyFiles: [oldKey] },
    });
    running.add(s2);
    const keys = createRemoteJWKSet(new URL(`http://127.0.0.1:${s2.port}/approvals/jwks.json`));
    await expect(verifyGrant(grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice' }, { issuer: PUBLIC, keys })).resolves.toMatchObject({ approverId: 'sam' });
    // without the published old key the same grant does not verify
    const bare = await createGrantSigner(PUBLIC, newKey);
    await expect(verifyGrant(grant, { caseId: 7, amountMinor: 600_00, currency: 'USD', agentId: 'alice' }, { issuer: PUBLIC, keys: createLocalJWKSet(bare.jwks) })).rejects.toMatchObject({ code: 'approval_invalid' });
  });
});
