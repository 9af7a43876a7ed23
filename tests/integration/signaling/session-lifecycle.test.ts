import { afterEach, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { CONTEXT, Client, agent, pair, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

describe('resume, hang-up, disconnect', () => {
  test('a customer who reloads resumes the same seat (same memberId) and the agent sees peer_left then peer_joined', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent);
    r.customer.close();
    expect(await r.agent.next('peer_left')).toEqual({ type: 'peer_left', memberId: r.customerWelcome.memberId, role: 'customer', reason: 'disconnect' });
    const again = await Client.open(server);
    clients.push(again);
    again.send({ type: 'resume', v: 1, resumeToken: r.customerWelcome.resumeToken, context: { ...CONTEXT, locale: 'ja-JP' } });
    const w = await again.next('welcome');
    expect(w).toMatchObject({ memberId: r.customerWelcome.memberId, role: 'customer', roomId: r.inv.roomId, resumeToken: r.customerWelcome.resumeToken });
    expect(w.members.map((m) => m.memberId)).toEqual([r.agentWelcome.memberId]);
    const joined = await r.agent.next('peer_joined');
    expect(joined.member.memberId).toBe(r.customerWelcome.memberId);
    expect(joined.member.context?.locale).toBe('ja-JP');
    // and signaling works on the resumed seat
    r.agent.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'again' } });
    expect((await again.next('signal')).data).toEqual({ type: 'offer', sdp: 'again' });
  });

  test('resuming while the old socket is still open closes the old socket and moves the seat', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    const second = await Client.open(server);
    clients.push(second);
    second.send({ type: 'resume', v: 1, resumeToken: r.customerWelcome.resumeToken });
    expect((await second.next('welcome')).memberId).toBe(r.customerWelcome.memberId);
    expect((await r.customer.closed).code).toBe(4001);
    r.agent.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'to-new' } });
    expect((await second.next('signal')).data).toMatchObject({ sdp: 'to-new' });
  });

  test('a made-up resume token is refused with resume_invalid', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'resume', v: 1, resumeToken: Buffer.alloc(32, 1).toString('base64url') });
    expect(await c.next('error')).toMatchObject({ code: 'resume_invalid' });
  });

  test('an agent who reconnects is re-attached to its open room and the customer sees the agent come back', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.customer);
    r.agent.close();
    expect(await r.customer.next('peer_left')).toMatchObject({ memberId: r.agentWelcome.memberId, role: 'agent', reason: 'disconnect' });
    const back = await agent(server, 'agent-1');
    clients.push(back.c);
    expect(back.welcome).toMatchObject({ memberId: r.agentWelcome.memberId, roomId: r.inv.roomId, role: 'agent' });
    expect(back.welcome.members.map((m) => m.memberId)).toEqual([r.customerWelcome.memberId]);
    expect((await r.customer.next('peer_joined')).member).toMatchObject({ memberId: r.agentWelcome.memberId, role: 'agent' });
    r.customer.send({ type: 'signal', to: r.agentWelcome.memberId, data: { type: 'answer', sdp: 'hi' } });
    expect((await back.c.next('signal')).from).toBe(r.customerWelcome.memberId);
  });

  test('agent hang-up ends the call on both sides and voids the customer\'s resume token', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    r.agent.send({ type: 'hangup' });
    expect(await r.customer.next('ended')).toEqual({ type: 'ended', reason: 'agent_hangup' });
    expect(await r.agent.next('ended')).toEqual({ type: 'ended', reason: 'agent_hangup' });
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'resume', v: 1, resumeToken: r.customerWelcome.resumeToken });
    expect(await c.next('error')).toMatchObject({ code: 'resume_invalid' });
    const h = await fetch(`http://127.0.0.1:${server.port}/healthz`);
    expect(((await h.json()) as { rooms: number }).rooms).toBe(0);
  });

  test('customer hang-up: the agent gets peer_left (hangup), the seat is freed and the room stays open', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    r.customer.send({ type: 'hangup' });
    expect(await r.agent.next('peer_left')).toEqual({ type: 'peer_left', memberId: r.customerWelcome.memberId, role: 'customer', reason: 'hangup' });
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'resume', v: 1, resumeToken: r.customerWelcome.resumeToken });
    expect(await c.next('error')).toMatchObject({ code: 'resume_invalid' });
    // the agent can invite someone else into the same room
    r.agent.send({ type: 'create_invite', reqId: 'n' });
    expect((await r.agent.next('invite_created')).roomId).toBe(r.inv.roomId);
  });

  test('hangup outside a room is not_in_room', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    a.c.send({ type: 'hangup', reqId: 'h1' });
    expect(await a.c.next('error')).toMatchObject({ code: 'not_in_room', reqId: 'h1' });
  });

  test('a room nobody is connected to is ended after the idle limit (sweep), voiding its resume tokens', async () => {
    const clock = { t: 1_800_000_000_000 };
    ({ server } = await startServer({ now: () => clock.t, limits: { roomIdleMs: 60_000, sweepIntervalMs: 20 } }));
    const r = await pair(server);
    r.agent.close();
    r.customer.close();
    await r.customer.closed;
    await new Promise((res) => setTimeout(res, 60));
    clock.t += 61_000;
    await new Promise((res) => setTimeout(res, 80));
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'resume', v: 1, resumeToken: r.customerWelcome.resumeToken });
    expect(await c.next('error')).toMatchObject({ code: 'resume_invalid' });
  });
});

describe('heartbeats', () => {
  test('a socket that stops answering pings is dropped and the other side gets peer_left (timeout)', async () => {
    ({ server } = await startServer({ heartbeatMs: 100 }));
    const a = await agent(server);
    clients.push(a.c);
    a.c.send({ type: 'create_invite', reqId: 'i' });
    const inv = await a.c.next('invite_created');
    // a customer whose network died: it never answers the server's pings
    const dead = new Client(`ws://127.0.0.1:${server.port}/ws`, { autoPong: false });
    await new Promise((res) => dead.ws.once('open', res));
    clients.push(dead);
    dead.send({ type: 'join', v: 1, invite: new URL(inv.url).pathname.split('/').pop(), context: CONTEXT });
    const w = await dead.next('welcome');
    await a.c.next('peer_joined');
    const left = await a.c.next('peer_left', undefined, 3000);
    expect(left).toEqual({ type: 'peer_left', memberId: w.memberId, role: 'customer', reason: 'timeout' });
    await dead.closed;
    // the agent (whose client answers pings) is still connected
    await a.c.sync();
    expect(server.stats().sockets).toBe(1);
  });
});
