/**
 * Property-based fuzzing (fast-check) of every inbound message type and of
 * raw garbage, against one node and against two nodes sharing a real
 * redis-server (rooms split across the nodes, so the pub/sub routing is
 * fuzzed too). Properties, for every generated frame:
 *  - the server answers a frame the protocol rejects with exactly the typed
 *    error parseClientFrame names (and never anything untyped);
 *  - the socket and the node stay up (the next ping is answered, /healthz ok);
 *  - no byte reaches a socket outside the sender's room (room B's members and
 *    an unauthenticated bystander receive nothing at all).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode, parseClientFrame, parseServerFrame } from '../../../signaling-server/protocol';
import { RedisStore } from '../../../signaling-server/redis/index';
import { grantKeyFile } from '../../support/grant-key';
import { startSignalingServer, type SignalingServer } from '../../../signaling-server/server';
import { CONTEXT, Peer } from './nodes';
import { startRedis, type Running } from './servers';

const SECRET = 'fuzz-secret-0123456789abcdef';
let redis: Running;
beforeAll(async () => { redis = await startRedis(); });
afterAll(async () => { await redis?.stop(); });

// fuzzing sends thousands of frames from one address: the abuse limits are not what is under test here
const OPEN_LIMITS = { messagesPerSec: 100_000, messageBurst: 100_000, connectionsPerMinPerAddress: 100_000, connectionBurstPerAddress: 100_000 };

async function nodesFor(mode: 'single' | 'redis'): Promise<SignalingServer[]> {
  if (mode === 'single') return [await startSignalingServer({ secret: SECRET, port: 0, log: () => {}, abuse: OPEN_LIMITS })];
  const prefix = `fz${Date.now()}:`;
  return Promise.all(['fz-1', 'fz-2'].map((nodeId) => startSignalingServer({
    secret: SECRET, port: 0, log: () => {}, abuse: OPEN_LIMITS, nodeId,
    store: new RedisStore({ url: redis.url, prefix, nodeId }), redis: { url: redis.url, prefix }, approvals: { signingKeyFile: grantKeyFile() },
  })));
}

interface Pair { agent: Peer; customer: Peer; agentId: string; customerId: string; roomId: string; resumeToken: string }

async function pairAcross(agentNode: SignalingServer, customerNode: SignalingServer, agentId: string): Promise<Pair> {
  const agent = await Peer.open(agentNode.wsUrl);
  agent.send({ type: 'auth', v: 1, token: agentNode.mintAgentToken(agentId) });
  await agent.next('welcome');
  agent.send({ type: 'create_invite', reqId: 'i' });
  const inv = await agent.next('invite_created');
  const customer = await Peer.open(customerNode.wsUrl);
  customer.send({ type: 'join', v: 1, invite: new URL(inv.url).pathname.split('/').pop(), context: CONTEXT });
  const w = await customer.next('welcome');
  const joined = await agent.next('peer_joined');
  return { agent, customer, agentId: w.members[0]!.memberId, customerId: joined.member.memberId, roomId: w.roomId!, resumeToken: w.resumeToken! };
}

/** Frames shaped like each inbound message type, with every field sometimes wrong. */
function messageArb(ids: string[], tokens: string[]): fc.Arbitrary<string> {
  const id = fc.oneof(fc.constantFrom(...ids), fc.string({ maxLength: 140 }), fc.constant(''));
  const v = fc.oneof(fc.constant(1), fc.integer({ min: -3, max: 5 }), fc.constant('1'), fc.constant(null));
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const context = fc.oneof(fc.constant(CONTEXT), fc.record({ browser: fc.string(), os: fc.string(), deviceClass: fc.string() }), fc.anything());
  const signalData = fc.oneof(
    fc.record({ type: fc.constantFrom('offer', 'answer', 'pranswer', 'rollback'), sdp: maybe(fc.string({ maxLength: 300 })) }),
    fc.record({ type: fc.constant('candidate'), candidate: fc.record({ candidate: fc.string({ maxLength: 200 }), sdpMid: maybe(fc.string({ maxLength: 10 })), sdpMLineIndex: maybe(fc.integer({ min: -5, max: 80 })) }) }),
    fc.record({ type: fc.constant('renegotiate'), renegotiate: fc.boolean() }),
    fc.record({ type: fc.constant('transceiverRequest'), transceiverRequest: fc.record({ kind: fc.constantFrom('audio', 'video', 'data') }) }),
    fc.anything(),
  );
  const msgs = [
    fc.record({ type: fc.constant('auth'), v, token: fc.oneof(fc.constantFrom(...tokens), fc.string({ maxLength: 300 })) }),
    fc.record({ type: fc.constant('join'), v, invite: fc.oneof(fc.string({ minLength: 16, maxLength: 80 }), fc.string()), context }),
    fc.record({ type: fc.constant('resume'), v, resumeToken: fc.oneof(fc.constantFrom(...tokens), fc.string({ minLength: 10, maxLength: 80 })), context: maybe(context) }),
    fc.record({ type: fc.constant('create_invite'), reqId: maybe(id), ttlSec: maybe(fc.integer({ min: -10, max: 100_000 })), page: maybe(fc.string()), ref: maybe(fc.string()), role: maybe(fc.constantFrom('customer', 'technician', 'agent')), code: maybe(fc.anything()) }),
    fc.record({ type: fc.constant('signal'), to: id, data: signalData }),
    fc.record({ type: fc.constant('hangup'), reqId: maybe(id) }),
    fc.record({ type: fc.constant('ping'), reqId: maybe(id) }),
    fc.record({ type: fc.string({ maxLength: 20 }) }, { requiredKeys: [] }),
  ];
  const extraKey = fc.tuple(fc.string({ maxLength: 8 }), fc.anything());
  return fc.tuple(fc.oneof(...msgs), fc.option(extraKey, { nil: undefined })).map(([m, extra]) => JSON.stringify(extra ? { ...(m as object), [extra[0]]: extra[1] } : m));
}

const garbageArb: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json({ maxDepth: 4 }),
  fc.uint8Array({ maxLength: 300 }),
  fc.constantFrom('', '{', 'null', '[]', '{"type":"signal"', '\u0000\u0000', '{"__proto__":{"x":1},"type":"ping"}', '{"type":"ping","constructor":{"prototype":{}}}'),
);

async function roundTrip(sender: Peer, frame: string | Uint8Array, tag: string): Promise<{ answers: ReturnType<typeof parseServerFrame>[] }> {
  const before = sender.all.length;
  if (typeof frame === 'string') sender.ws.send(frame); else sender.ws.send(frame, { binary: true });
  sender.send({ type: 'ping', reqId: tag });
  await sender.next('pong', (m) => m.reqId === tag, 8000);
  const got = sender.all.slice(before).filter((m) => !(m.type === 'pong' && m.reqId === tag));
  return { answers: got.map((m) => parseServerFrame(JSON.stringify(m))) };
}

describe.each(['single', 'redis'] as const)('fuzzing, %s', (mode) => {
  let nodes: SignalingServer[];
  let roomA: Pair, roomB: Pair, bystander: Peer;
  let n = 0;

  beforeAll(async () => {
    nodes = await nodesFor(mode);
    const [n1, n2] = [nodes[0]!, nodes[nodes.length - 1]!];
    roomA = await pairAcross(n1, n2, 'agent-a'); // agent on node 1, customer on node 2
    roomB = await pairAcross(n2, n1, 'agent-b'); // the other way round
    bystander = await Peer.open(n1.wsUrl);
  }, 60_000);
  afterAll(async () => {
    for (const p of [roomA.agent, roomA.customer, roomB.agent, roomB.customer, bystander]) p.close();
    await Promise.all(nodes.map((s) => s.close()));
  });

  const outsiders = () => [roomB.agent, roomB.customer, bystander];

  async function check(sender: Peer, frame: string | Uint8Array): Promise<void> {
    const outsideBefore = outsiders().map((p) => p.all.length);
    const { answers } = await roundTrip(sender, frame, `t${++n}`);
    // everything the server said is a valid, typed server frame
    for (const a of answers) expect(a.ok).toBe(true);
    const verdict = typeof frame === 'string' ? parseClientFrame(frame) : { ok: false as const, code: 'bad_frame' as const };
    if (!verdict.ok) {
      const errors = answers.flatMap((a) => (a.ok && a.value.type === 'error' ? [a.value] : []));
      expect(errors).toHaveLength(1);
      expect(errors[0]!.code).toBe(verdict.code);
      expect(ErrorCode.safeParse(errors[0]!.code).success).toBe(true);
    }
    // in Redis mode a leak would travel over pub/sub: give it the time to arrive
    if (mode === 'redis') { roomB.customer.send({ type: 'ping', reqId: `s${n}` }); await roomB.customer.next('pong', (m) => m.reqId === `s${n}`); }
    outsiders().forEach((p, i) => {
      const fresh = p.all.slice(outsideBefore[i]).filter((m) => m.type !== 'pong');
      expect(fresh).toEqual([]);
    });
  }

  it('raw garbage frames: typed error each, nothing leaks, node stays up', async () => {
    await fc.assert(fc.asyncProperty(garbageArb, async (f) => { await check(roomA.customer, f); }), { numRuns: 150, seed: 6 });
  }, 120_000);

  it('every inbound message type, fuzzed, from a room member (customer) and from an unauthenticated socket', async () => {
    const ids = [roomA.agentId, roomA.customerId, roomB.agentId, roomB.customerId, roomA.roomId, roomB.roomId];
    const tokens = [roomB.resumeToken, nodes[0]!.mintAgentToken('agent-b')];
    const anon = await Peer.open(nodes[nodes.length - 1]!.wsUrl);
    try {
      // hangup would legitimately end room A for the customer; it is fuzzed from the anonymous socket
      const arb = messageArb(ids, tokens).filter((f) => !f.includes('"type":"hangup"'));
      await fc.assert(fc.asyncProperty(arb, async (f) => { await check(roomA.customer, f); }), { numRuns: 200, seed: 7 });
      // the anonymous socket must not take a seat by chance: auth/resume with room B's real credentials are kept out
      const anonArb = messageArb(ids, ['not-a-real-token-000000000000']);
      await fc.assert(fc.asyncProperty(anonArb, async (f) => {
        const before = anon.all.length;
        await check(anon, f);
        // if the fuzz made it an agent (valid auth with a random id cannot happen: tokens are signed) it would show here
        expect(anon.all.slice(before).some((m) => m.type === 'welcome')).toBe(false);
      }), { numRuns: 200, seed: 8 });
    } finally {
      anon.close();
    }
    // room A still works end to end after all that, and so does every node
    roomA.agent.send({ type: 'signal', to: roomA.customerId, data: { type: 'offer', sdp: 'after fuzz' } });
    expect((await roomA.customer.next('signal', (m) => m.data.type === 'offer' && (m.data as { sdp?: string }).sdp === 'after fuzz')).from).toBe(roomA.agentId);
    for (const s of nodes) expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  }, 180_000);
});
