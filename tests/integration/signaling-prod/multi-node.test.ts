/**
 * Scale-out, for real: two signaling node PROCESSES sharing one real
 * redis-server. Agent on node A, customer on node B: they pair and signal;
 * a node is SIGKILLed mid-call and the peers recover through the survivor
 * with their resume token / agent token; no invite is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintAgentToken } from '../../../signaling-server/auth';
import { startRedis, type Running } from './servers';
import { grantKeyFile } from '../../support/grant-key';
import { agentOn, customerOn, inviteFrom, Peer, SECRET, startNode, type Node } from './nodes';

let redis: Running;
const nodes: Node[] = [];
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => {
  await Promise.all(nodes.map((n) => n.kill('SIGKILL')));
  await redis?.stop();
});

async function node(prefix: string, id: string): Promise<Node> {
  const n = await startNode(['--redis-url', redis.url, '--node-id', id, '--set', `redis.prefix="${prefix}"`, '--set', 'redis.nodeTtlSec=2'], { SIGNALING_APPROVALS_KEY_FILE: grantKeyFile() });
  nodes.push(n);
  return n;
}
const token = (agentId: string) => mintAgentToken(SECRET, agentId, { ttlSec: 600 });
const offer = { type: 'offer' as const, sdp: 'v=0 offer' };
const answer = { type: 'answer' as const, sdp: 'v=0 answer' };

describe('two nodes on one redis', () => {
  it('agent on node A and customer on node B pair, signal both ways, and hang up across nodes', async () => {
    const [a, b] = await Promise.all([node('p1:', 'node-a'), node('p1:', 'node-b')]);
    const agent = await agentOn(a.wsUrl, token('agent-x'));
    const inv = await inviteFrom(agent.p);
    expect(inv.url.startsWith(a.url)).toBe(true);
    const cust = await customerOn(b.wsUrl, inv.token); // the invite was minted on A
    expect(cust.welcome.members.map((m) => m.role)).toEqual(['agent']);
    const joined = await agent.p.next('peer_joined');
    expect(joined.member.memberId).toBe(cust.welcome.memberId);
    expect(joined.member.context?.os).toBe('Android 15');

    agent.p.send({ type: 'signal', to: cust.welcome.memberId, data: offer });
    expect((await cust.p.next('signal')).data).toEqual(offer);
    cust.p.send({ type: 'signal', to: cust.welcome.members[0]!.memberId, data: answer });
    const back = await agent.p.next('signal');
    expect(back).toMatchObject({ from: cust.welcome.memberId, data: answer });

    // single use holds across nodes: the same invite on node A is refused
    const again = await Peer.open(a.wsUrl);
    again.send({ type: 'join', v: 1, invite: inv.token, context: { browser: 'x', os: 'y', deviceClass: 'phone', screen: { width: 1, height: 1, dpr: 1 }, locale: 'en', timeZone: 'UTC' } });
    expect((await again.next('error')).code).toBe('invite_used');

    agent.p.send({ type: 'hangup' });
    expect((await cust.p.next('ended')).reason).toBe('agent_hangup');
    for (const p of [agent.p, cust.p, again]) p.close();
  }, 180_000);

  it('a node killed mid-call: the customer resumes on the survivor, the agent sees it leave and come back, signals flow again; an invite minted on the dead node still works', async () => {
    const [a, b] = await Promise.all([node('p2:', 'node-a2'), node('p2:', 'node-b2')]);
    const agent = await agentOn(a.wsUrl, token('agent-y'));
    const inv = await inviteFrom(agent.p);
    const cust = await customerOn(b.wsUrl, inv.token);
    await agent.p.next('peer_joined');
    const agentSeat = cust.welcome.members[0]!.memberId;
    agent.p.send({ type: 'signal', to: cust.welcome.memberId, data: offer });
    await cust.p.next('signal');

    // a second agent mints an invite on node B, which then dies before anyone uses it
    const agent2 = await agentOn(b.wsUrl, token('agent-z'));
    const pending = await inviteFrom(agent2.p);

    await b.kill('SIGKILL');
    await cust.p.closed; // the customer's socket died with its node
    const left = await agent.p.next('peer_left', (m) => m.memberId === cust.welcome.memberId, 15_000);
    expect(left.reason).toBe('timeout'); // noticed by node A's reaper (node B's liveness key lapsed)

    // the customer page reconnects (same URL behind a load balancer; here: node A) with its resume token
    const back = await Peer.open(a.wsUrl);
    back.send({ type: 'resume', v: 1, resumeToken: cust.welcome.resumeToken! });
    const w = await back.next('welcome');
    expect(w.memberId).toBe(cust.welcome.memberId);
    expect(w.roomId).toBe(cust.welcome.roomId);
    expect((await agent.p.next('peer_joined')).member.memberId).toBe(cust.welcome.memberId);
    // ICE restart offer and answer over the surviving node
    agent.p.send({ type: 'signal', to: w.memberId, data: { type: 'offer', sdp: 'restart' } });
    expect((await back.next('signal')).data).toEqual({ type: 'offer', sdp: 'restart' });
    back.send({ type: 'signal', to: agentSeat, data: answer });
    expect((await agent.p.next('signal')).data).toEqual(answer);

    // agent-z reconnects to node A and keeps its room; its invite (minted on B) is still good there
    const agent2b = await agentOn(a.wsUrl, token('agent-z'));
    expect(agent2b.welcome.roomId).toBe(pending.roomId);
    const late = await customerOn(a.wsUrl, pending.token);
    expect(late.welcome.roomId).toBe(pending.roomId);
    await agent2b.p.next('peer_joined');
    for (const p of [agent.p, back, agent2b.p, late.p]) p.close();
  }, 180_000);

  it('an agent whose node dies re-authenticates on the other node and gets its room and customer back', async () => {
    const [a, b] = await Promise.all([node('p3:', 'node-a3'), node('p3:', 'node-b3')]);
    const agent = await agentOn(a.wsUrl, token('agent-w'));
    const inv = await inviteFrom(agent.p);
    const cust = await customerOn(b.wsUrl, inv.token);
    await agent.p.next('peer_joined');
    await a.kill('SIGKILL');
    await agent.p.closed;
    expect((await cust.p.next('peer_left', () => true, 15_000)).role).toBe('agent');
    const again = await agentOn(b.wsUrl, token('agent-w'));
    expect(again.welcome.roomId).toBe(cust.welcome.roomId);
    expect(again.welcome.members.map((m) => m.memberId)).toEqual([cust.welcome.memberId]);
    expect((await cust.p.next('peer_joined')).member.role).toBe('agent');
    again.p.send({ type: 'signal', to: cust.welcome.memberId, data: offer });
    expect((await cust.p.next('signal')).data).toEqual(offer);
    for (const p of [again.p, cust.p]) p.close();
  }, 180_000);
});
