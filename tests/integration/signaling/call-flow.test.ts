import { afterEach, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { CONTEXT, Client, agent, invite, pair, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

describe('a visual call through the signaling server', () => {
  test('agent creates an invite, customer joins, both get each other and offer/answer/ICE relay both ways', async () => {
    ({ server } = await startServer());
    const p = await pair(server);
    clients.push(p.agent, p.customer);
    expect(p.agentWelcome.role).toBe('agent');
    expect(p.inv.url).toMatch(new RegExp(`^${server.url}/join/[A-Za-z0-9_-]{43}$`));
    expect(p.customerWelcome).toMatchObject({ role: 'customer', roomId: p.inv.roomId, members: [{ role: 'agent', memberId: p.agentWelcome.memberId }] });
    expect(p.customerWelcome.resumeToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(p.joined.member).toEqual({ memberId: p.customerWelcome.memberId, role: 'customer', context: CONTEXT });

    p.agent.send({ type: 'signal', to: p.customerWelcome.memberId, data: { type: 'offer', sdp: 'v=0 offer' } });
    expect(await p.customer.next('signal')).toEqual({ type: 'signal', from: p.agentWelcome.memberId, data: { type: 'offer', sdp: 'v=0 offer' } });
    p.customer.send({ type: 'signal', to: p.agentWelcome.memberId, data: { type: 'answer', sdp: 'v=0 answer' } });
    expect((await p.agent.next('signal')).data).toEqual({ type: 'answer', sdp: 'v=0 answer' });
    const cand = { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host', sdpMid: '0', sdpMLineIndex: 0 } };
    p.customer.send({ type: 'signal', to: p.agentWelcome.memberId, data: cand });
    expect((await p.agent.next('signal')).data).toEqual(cand);
    expect(server.stats().relayed).toBe(3);
  });

  test('every member gets the configured ICE servers in welcome', async () => {
    const iceServers = [{ urls: 'stun:127.0.0.1:3478' }, { urls: ['turn:127.0.0.1:3479?transport=udp'], username: 'u', credential: 'c' }];
    ({ server } = await startServer({ iceServers }));
    const p = await pair(server);
    clients.push(p.agent, p.customer);
    expect(p.agentWelcome.iceServers).toEqual(iceServers);
    expect(p.customerWelcome.iceServers).toEqual(iceServers);
  });

  test('ping is answered with pong carrying the reqId', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'ping', reqId: 'r1' });
    const pong = await c.next('pong');
    expect(pong.reqId).toBe('r1');
    expect(typeof pong.t).toBe('number');
  });

  test('a burst of 500 frames on one socket is answered completely and in order', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    for (let i = 0; i < 500; i++) c.send({ type: 'ping', reqId: `b${i}` });
    await c.next('pong', (m) => m.reqId === 'b499');
    const ids = c.received.filter((m) => m.type === 'pong').map((m) => (m.type === 'pong' ? m.reqId : ''));
    expect(ids).toEqual(Array.from({ length: 499 }, (_, i) => `b${i}`));
  });

  test('invite URL carries the page and ref the agent attached', async () => {
    ({ server } = await startServer({ publicUrl: 'https://assist.example.test/' }));
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c, { page: '/billing', ref: 'ivr-7' });
    expect(inv.url).toMatch(/^https:\/\/assist\.example\.test\/join\/[A-Za-z0-9_-]{43}\?page=%2Fbilling&ref=ivr-7$/);
  });
});

describe('starting the server', () => {
  test('a port already in use is a clear error, not a crash', async () => {
    ({ server } = await startServer());
    await expect(startServer({ port: server.port })).rejects.toThrow(/already in use/);
  });

  test('a missing or short secret is refused at start', async () => {
    await expect(startServer({ secret: 'short' })).rejects.toThrow(/secret/);
  });
});
