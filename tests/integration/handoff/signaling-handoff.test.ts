/**
 * Hand-offs through a real signaling server and real ws clients: presence
 * and the directory, warm transfer (the customer's room and seat survive,
 * agent 2 is seated beside agent 1, agent 1 leaves), decline, cancel,
 * time-out, a receiver that vanishes, a cold transfer to a queue raced by
 * two agents, a consult with the customer told to wait, revoking a
 * technician, and who may do what.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONTEXT, Client, customer, invite, startServer } from '../signaling/harness';

/** Two stand-in built pages, told apart by their text. */
function pagesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'va-pages-'));
  for (const page of ['customer', 'technician']) {
    mkdirSync(join(dir, page));
    writeFileSync(join(dir, page, 'index.html'), `<!doctype html><html><head></head><body>${page} page</body></html>`);
  }
  return dir;
}

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

const DIRECTORY = [
  { id: 'alice', name: 'Alice', skills: ['billing'], queues: ['billing'] },
  { id: 'bob', name: 'Bob', skills: ['billing', 'fraud'], queues: ['billing'] },
  { id: 'carol', name: 'Carol', skills: ['network'], queues: ['billing', 'network'] },
  { id: 'tech', name: 'Tess', skills: ['fibre'], queues: [] },
];

async function signIn(id: string, roles: Array<'agent' | 'supervisor' | 'technician'> = ['agent']) {
  const c = await Client.open(server);
  clients.push(c);
  c.send({ type: 'auth', v: 1, token: server.mintAgentToken(id, { name: DIRECTORY.find((d) => d.id === id)?.name ?? id, roles }) });
  const welcome = await c.next('welcome');
  return { c, welcome };
}

/** alice with a customer in her room, bob and carol signed in. */
async function scene(opts: Parameters<typeof startServer>[0] = {}) {
  ({ server } = await startServer({ directory: DIRECTORY, ...opts }));
  const alice = await signIn('alice');
  const inv = await invite(alice.c);
  const cu = await customer(server, inv.token);
  clients.push(cu.c);
  await alice.c.next('peer_joined');
  const bob = await signIn('bob');
  const carol = await signIn('carol');
  return { alice, cu, bob, carol, roomId: inv.roomId };
}

describe('presence and directory', () => {
  test('signed-in people with status, skills and queues; status changes and sign-out show', async () => {
    const s = await scene();
    s.bob.c.send({ type: 'presence', status: 'away' });
    await s.bob.c.sync();
    s.alice.c.send({ type: 'directory', reqId: 'd1' });
    const d = await s.alice.c.next('directory', (m) => m.reqId === 'd1');
    expect(d.queues).toEqual(['billing', 'network']);
    expect(d.people).toEqual([
      { id: 'alice', name: 'Alice', roles: ['agent'], status: 'on_call', skills: ['billing'], queues: ['billing'] },
      { id: 'bob', name: 'Bob', roles: ['agent'], status: 'away', skills: ['billing', 'fraud'], queues: ['billing'] },
      { id: 'carol', name: 'Carol', roles: ['agent'], status: 'available', skills: ['network'], queues: ['billing', 'network'] },
    ]);
    s.carol.c.close();
    await expect.poll(async () => {
      s.alice.c.send({ type: 'directory', reqId: 'd2' });
      return (await s.alice.c.next('directory', (m) => m.reqId === 'd2')).people.map((p) => p.id);
    }).toEqual(['alice', 'bob']);
  });

  test('a customer cannot read the directory or hand anything over', async () => {
    const s = await scene();
    s.cu.c.send({ type: 'directory' });
    expect((await s.cu.c.next('error')).code).toBe('unauthorized');
  });
});

describe('warm transfer', () => {
  test('agent 2 joins the live room beside agent 1, the customer keeps its seat, agent 1 leaves on complete', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', reqId: 'r1', handoffId: 'h1', kind: 'warm', to: { agentId: 'bob' }, note: 'disputes the roaming fee', caseRef: '42', customerName: 'Kim' });
    expect(await s.alice.c.next('handoff_update', (m) => m.reqId === 'r1')).toMatchObject({ handoffId: 'h1', phase: 'offered' });
    const offer = await s.bob.c.next('handoff_offer');
    expect(offer).toMatchObject({ handoffId: 'h1', kind: 'warm', from: { agentId: 'alice', name: 'Alice' }, note: 'disputes the roaming fee', caseRef: '42', customerName: 'Kim' });
    // a retry of the same request: the same hand-off, no second offer
    s.alice.c.send({ type: 'handoff_request', reqId: 'r2', handoffId: 'h1', kind: 'warm', to: { agentId: 'bob' } });
    expect(await s.alice.c.next('handoff_update', (m) => m.reqId === 'r2')).toMatchObject({ phase: 'offered' });
    await s.bob.c.sync();
    expect(s.bob.c.received.filter((m) => m.type === 'handoff_offer')).toHaveLength(0);

    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h1', accept: true });
    const w = await s.bob.c.next('welcome');
    expect(w.roomId).toBe(s.roomId);
    expect(w.members.map((m) => m.role).sort()).toEqual(['agent', 'customer']);
    const joinedAtCustomer = await s.cu.c.next('peer_joined');
    expect(joinedAtCustomer.member).toMatchObject({ role: 'agent', name: 'Bob', agentId: 'bob', memberId: w.memberId });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'accepted')).toMatchObject({ by: 'bob', memberId: w.memberId });

    // bob signals to the customer through the same room; the customer answers him
    const customerId = s.cu.welcome.memberId;
    s.bob.c.send({ type: 'signal', to: customerId, data: { type: 'offer', sdp: 'v=0 bob' } });
    expect(await s.cu.c.next('signal')).toMatchObject({ from: w.memberId });
    s.cu.c.send({ type: 'signal', to: w.memberId, data: { type: 'answer', sdp: 'v=0 answer' } });
    expect((await s.bob.c.next('signal')).data).toMatchObject({ type: 'answer' });

    // bob cannot complete a warm transfer; alice can
    s.bob.c.send({ type: 'handoff_complete', handoffId: 'h1' });
    expect((await s.bob.c.next('error')).code).toBe('forbidden');
    s.alice.c.send({ type: 'handoff_complete', handoffId: 'h1' });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'completed')).toBeTruthy();
    expect(await s.bob.c.next('handoff_update', (m) => m.phase === 'completed')).toBeTruthy();
    expect(await s.cu.c.next('peer_left')).toMatchObject({ memberId: s.alice.welcome.memberId, role: 'agent', reason: 'hangup' });
    expect(await s.cu.c.next('notice')).toMatchObject({ notice: 'transferred', name: 'Bob' });
    // the room is bob's now: his hang-up ends it for the customer; alice's socket is out of it
    s.alice.c.send({ type: 'signal', to: customerId, data: { type: 'offer', sdp: 'x' } });
    expect((await s.alice.c.next('error')).code).toBe('not_in_room');
    s.bob.c.send({ type: 'hangup' });
    expect(await s.cu.c.next('ended')).toMatchObject({ reason: 'agent_hangup' });
  });

  test('declined: alice keeps the customer, no seat was added', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h2', kind: 'warm', to: { agentId: 'bob' } });
    await s.bob.c.next('handoff_offer');
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h2', accept: false });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'declined')).toBeTruthy();
    expect(await s.cu.c.next('notice')).toMatchObject({ notice: 'resumed' });
    // a late accept is too late
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h2', accept: true });
    expect(await s.bob.c.next('handoff_update', (m) => m.handoffId === 'h2' && m.phase === 'failed')).toBeTruthy();
    await s.cu.c.sync();
    expect(s.cu.c.received.filter((m) => m.type === 'peer_joined')).toHaveLength(0);
  });

  test('cancelled after agent 2 joined: agent 2 is taken out, the customer stays with agent 1', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h3', kind: 'warm', to: { agentId: 'bob' } });
    await s.bob.c.next('handoff_offer');
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h3', accept: true });
    const w = await s.bob.c.next('welcome');
    await s.cu.c.next('peer_joined');
    s.alice.c.send({ type: 'handoff_cancel', handoffId: 'h3' });
    expect(await s.bob.c.next('handoff_update', (m) => m.phase === 'cancelled')).toBeTruthy();
    expect(await s.cu.c.next('peer_left')).toMatchObject({ memberId: w.memberId });
    // cancelling again is harmless
    s.alice.c.send({ type: 'handoff_cancel', handoffId: 'h3' });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'cancelled')).toBeTruthy();
    s.bob.c.send({ type: 'signal', to: s.cu.welcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect((await s.bob.c.next('error')).code).toBe('not_in_room');
    s.alice.c.send({ type: 'signal', to: s.cu.welcome.memberId, data: { type: 'offer', sdp: 'still mine' } });
    expect((await s.cu.c.next('signal')).from).toBe(s.alice.welcome.memberId);
  });

  test('the receiving workstation crashes after joining: agent 1 sees it leave and the customer is still with agent 1', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h4', kind: 'warm', to: { agentId: 'bob' } });
    await s.bob.c.next('handoff_offer');
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h4', accept: true });
    const w = await s.bob.c.next('welcome');
    s.bob.c.ws.terminate();
    expect(await s.alice.c.next('peer_left', (m) => m.memberId === w.memberId)).toBeTruthy();
    // agent 1's workstation cancels on that; the customer is told they are off hold
    s.alice.c.send({ type: 'handoff_cancel', handoffId: 'h4' });
    await s.alice.c.next('handoff_update', (m) => m.phase === 'cancelled');
    s.alice.c.send({ type: 'signal', to: s.cu.welcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect((await s.cu.c.next('signal')).from).toBe(s.alice.welcome.memberId);
  });

  test('the second agent hanging up leaves only their seat; the customer room lives on', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h5', kind: 'warm', to: { agentId: 'bob' } });
    await s.bob.c.next('handoff_offer');
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'h5', accept: true });
    const w = await s.bob.c.next('welcome');
    s.bob.c.send({ type: 'hangup' });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'target_gone')).toBeTruthy();
    expect(await s.cu.c.next('peer_left')).toMatchObject({ memberId: w.memberId });
    await s.cu.c.sync();
    expect(s.cu.c.received.filter((m) => m.type === 'ended')).toHaveLength(0);
  });

  test('times out when nobody answers; the customer is off hold', async () => {
    const s = await scene({ handoffTimeoutSec: 30 });
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h6', kind: 'warm', to: { agentId: 'bob' }, timeoutSec: 5 });
    await s.bob.c.next('handoff_offer');
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'timeout', 9000)).toBeTruthy();
    expect(await s.bob.c.next('handoff_update', (m) => m.phase === 'timeout')).toBeTruthy();
  });

  test('to someone not signed in, or to oneself: refused', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', reqId: 'x', handoffId: 'h7', kind: 'warm', to: { agentId: 'nobody' } });
    expect(await s.alice.c.next('error')).toMatchObject({ code: 'agent_unavailable', reqId: 'x' });
    s.alice.c.send({ type: 'handoff_request', handoffId: 'h8', kind: 'warm', to: { agentId: 'alice' } });
    expect((await s.alice.c.next('error')).code).toBe('agent_unavailable');
    // bob (no customer) has nothing to hand over
    s.bob.c.send({ type: 'handoff_request', handoffId: 'h9', kind: 'warm', to: { agentId: 'carol' } });
    expect((await s.bob.c.next('error')).code).toBe('not_in_room');
  });

  test('a technician identity cannot transfer, nor invite a customer or another technician', async () => {
    ({ server } = await startServer({ directory: DIRECTORY }));
    const t = await signIn('tech', ['technician']);
    t.c.send({ type: 'handoff_request', handoffId: 'ht', kind: 'warm', to: { agentId: 'bob' } });
    expect((await t.c.next('error')).code).toBe('forbidden');
    t.c.send({ type: 'create_invite', reqId: 'i1' });
    expect(await t.c.next('error')).toMatchObject({ code: 'forbidden', reqId: 'i1' });
    t.c.send({ type: 'create_invite', reqId: 'i2', role: 'technician' });
    expect(await t.c.next('error')).toMatchObject({ code: 'forbidden', reqId: 'i2' });
    // a supervisor may (they take customers too)
    const sup = await signIn('sup', ['supervisor']);
    sup.c.send({ type: 'create_invite', reqId: 'i3' });
    expect(await sup.c.next('invite_created')).toMatchObject({ reqId: 'i3' });
  });
});

describe('cold transfer to a queue', () => {
  test('every available queue member is offered it, exactly one takes it, agent 1 leaves when the receiver has the customer', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'q1', kind: 'cold', to: { queue: 'billing' }, note: 'wants a callback' });
    expect(await s.cu.c.next('notice')).toMatchObject({ notice: 'transfer_waiting' });
    await s.bob.c.next('handoff_offer');
    await s.carol.c.next('handoff_offer');
    s.bob.c.send({ type: 'handoff_answer', handoffId: 'q1', accept: true });
    s.carol.c.send({ type: 'handoff_answer', handoffId: 'q1', accept: true });
    const w = await s.bob.c.next('welcome');
    expect(await s.carol.c.next('handoff_update', (m) => m.handoffId === 'q1' && m.phase === 'taken')).toBeTruthy();
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'accepted')).toMatchObject({ by: 'bob' });
    // bob's workstation has the customer's media: it completes, alice's seat goes
    s.bob.c.send({ type: 'handoff_complete', handoffId: 'q1' });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'completed')).toBeTruthy();
    expect(await s.cu.c.next('peer_left')).toMatchObject({ memberId: s.alice.welcome.memberId });
    // bob's re-auth (a reload) finds the room: it is his
    const again = await signIn('bob');
    expect(again.welcome).toMatchObject({ roomId: s.roomId, memberId: w.memberId });
  });

  test('a queue with nobody available waits; an agent who becomes available is offered it', async () => {
    ({ server } = await startServer({ directory: DIRECTORY }));
    const alice = await signIn('alice');
    const inv = await invite(alice.c);
    const cu = await customer(server, inv.token);
    clients.push(cu.c);
    alice.c.send({ type: 'handoff_request', handoffId: 'q2', kind: 'cold', to: { queue: 'network' } });
    expect(await alice.c.next('handoff_update', (m) => m.phase === 'offered')).toBeTruthy();
    const carol = await signIn('carol');
    expect(await carol.c.next('handoff_offer')).toMatchObject({ handoffId: 'q2', queue: 'network' });
  });
});

describe('consult', () => {
  test('the customer is told to wait (video kept or paused), the colleague sees the room, ending it brings the agent back', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'c1', kind: 'consult', to: { agentId: 'carol' }, video: 'paused', note: 'is this fee right?' });
    expect(await s.cu.c.next('notice')).toEqual({ type: 'notice', notice: 'hold', video: 'paused' });
    await s.carol.c.next('handoff_offer');
    s.carol.c.send({ type: 'handoff_answer', handoffId: 'c1', accept: true });
    const w = await s.carol.c.next('welcome');
    expect(w.members.some((m) => m.role === 'customer')).toBe(true);
    s.alice.c.send({ type: 'handoff_complete', handoffId: 'c1' });
    expect(await s.carol.c.next('handoff_update', (m) => m.phase === 'completed')).toBeTruthy();
    expect(await s.cu.c.next('peer_left')).toMatchObject({ memberId: w.memberId });
    expect(await s.cu.c.next('notice')).toMatchObject({ notice: 'resumed' });
    // the room is still alice's
    s.alice.c.send({ type: 'signal', to: s.cu.welcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect((await s.cu.c.next('signal')).from).toBe(s.alice.welcome.memberId);
  });

  test('the colleague hangs up: the agent is told, the customer is off hold', async () => {
    const s = await scene();
    s.alice.c.send({ type: 'handoff_request', handoffId: 'c2', kind: 'consult', to: { agentId: 'carol' } });
    await s.carol.c.next('handoff_offer');
    s.carol.c.send({ type: 'handoff_answer', handoffId: 'c2', accept: true });
    await s.carol.c.next('welcome');
    s.carol.c.send({ type: 'handoff_cancel', handoffId: 'c2' });
    expect(await s.alice.c.next('handoff_update', (m) => m.phase === 'target_gone')).toBeTruthy();
    expect(await s.cu.c.next('notice', (m) => m.notice === 'resumed')).toBeTruthy();
  });
});

describe('technician guest', () => {
  test('revoked: seat and socket gone at once, the customer is told', async () => {
    const s = await scene();
    const ti = await invite(s.alice.c, { role: 'technician' });
    const tech = await customer(server, ti.token);
    clients.push(tech.c);
    expect(tech.welcome.role).toBe('technician');
    await s.cu.c.next('peer_joined', (m) => m.member.role === 'technician');
    const t0 = Date.now();
    s.alice.c.send({ type: 'guest_revoke', memberId: tech.welcome.memberId });
    expect(await tech.c.next('ended')).toBeTruthy();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(await s.cu.c.next('peer_left', (m) => m.role === 'technician')).toBeTruthy();
    expect(await s.cu.c.next('notice')).toMatchObject({ notice: 'guest_revoked' });
    // the customer cannot be revoked this way, and the technician cannot resume
    s.alice.c.send({ type: 'guest_revoke', memberId: s.cu.welcome.memberId });
    expect((await s.alice.c.next('error')).code).toBe('forbidden');
    const back = await Client.open(server);
    clients.push(back);
    back.send({ type: 'resume', v: 1, resumeToken: tech.welcome.resumeToken });
    expect((await back.next('error')).code).toBe('resume_invalid');
  });

  test('a technician is named by the agent, never told the customer\'s context packet, and gets its own page', async () => {
    const s = await scene({ staticDir: pagesDir() });
    const ti = await invite(s.alice.c, { role: 'technician', name: 'Tess (field)' });
    // the guest's own page (src-renderer/technician/), not the customer's
    const page = await (await fetch(`http://127.0.0.1:${server.port}/join/${ti.token}`)).text();
    expect(page).toContain('technician page');
    const cuPage = await (await fetch(`http://127.0.0.1:${server.port}/join/${(await invite(s.alice.c)).token}`)).text();
    expect(cuPage).toContain('customer page');
    const tech = await customer(server, ti.token, { ...CONTEXT, ani: '+15550001111' });
    clients.push(tech.c);
    expect(tech.welcome.role).toBe('technician');
    const cuSeen = tech.welcome.members.find((m) => m.role === 'customer');
    expect(cuSeen).toBeTruthy();
    expect(cuSeen!.context).toBeUndefined();
    // the customer is told who joined, by the agent's name for them
    expect((await s.cu.c.next('peer_joined', (m) => m.member.role === 'technician')).member.name).toBe('Tess (field)');
    expect((await s.alice.c.next('peer_joined', (m) => m.member.role === 'technician')).member.name).toBe('Tess (field)');
    // the customer's page reloads (resume): the agent sees its context again, the technician does not
    s.cu.c.close();
    await s.alice.c.next('peer_left', (m) => m.role === 'customer');
    const back = await Client.open(server);
    clients.push(back);
    back.send({ type: 'resume', v: 1, resumeToken: s.cu.welcome.resumeToken, context: { ...CONTEXT, ani: '+15559998888' } });
    await back.next('welcome');
    expect((await s.alice.c.next('peer_joined', (m) => m.member.role === 'customer')).member.context?.ani).toBe('+15559998888');
    const toTech = await tech.c.next('peer_joined', (m) => m.member.role === 'customer');
    expect(toTech.member.context).toBeUndefined();
    expect(JSON.stringify(tech.c.received)).not.toContain('+1555999');
    // the guest seat cannot invite, revoke, tell the customer anything or hand the customer over
    tech.c.send({ type: 'create_invite', reqId: 'ti1', role: 'technician' });
    expect(await tech.c.next('error', (m) => m.reqId === 'ti1')).toMatchObject({ code: 'unauthorized' });
    for (const frame of [
      { type: 'guest_revoke', memberId: s.cu.welcome.memberId },
      { type: 'notify', notice: 'hold' },
      { type: 'handoff_request', handoffId: 'tx1', kind: 'warm', to: { agentId: 'bob' } },
    ]) {
      tech.c.send(frame);
      expect(['not_in_room', 'forbidden', 'unauthorized']).toContain((await tech.c.next('error')).code);
    }
    await s.alice.c.sync();
    expect(s.alice.c.received.filter((m) => m.type === 'notice' || m.type === 'handoff_update')).toEqual([]);
    expect(s.bob.c.received.filter((m) => m.type === 'handoff_offer')).toEqual([]);
  });
});
