import { afterEach, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, pair, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

describe('room isolation', () => {
  test('signals stay inside one room: another room\'s members and an unauthenticated socket never receive them', async () => {
    ({ server } = await startServer());
    const r1 = await pair(server, 'agent-1');
    const r2 = await pair(server, 'agent-2');
    const lurker = await Client.open(server);
    clients.push(r1.agent, r1.customer, r2.agent, r2.customer, lurker);
    expect(r1.inv.roomId).not.toBe(r2.inv.roomId);

    for (let i = 0; i < 5; i++) {
      r1.agent.send({ type: 'signal', to: r1.customerWelcome.memberId, data: { type: 'offer', sdp: `room1-${i}` } });
      r1.customer.send({ type: 'signal', to: r1.agentWelcome.memberId, data: { type: 'answer', sdp: `room1-${i}` } });
    }
    for (let i = 0; i < 5; i++) {
      await r1.customer.next('signal');
      await r1.agent.next('signal');
    }
    await Promise.all([r2.agent.sync(), r2.customer.sync(), lurker.sync()]);
    for (const outsider of [r2.agent, r2.customer, lurker]) {
      expect(outsider.received.filter((m) => m.type === 'signal')).toEqual([]);
    }
  });

  test('signal addressed to a member of another room is refused with unknown_peer and delivered nowhere', async () => {
    ({ server } = await startServer());
    const r1 = await pair(server, 'agent-1');
    const r2 = await pair(server, 'agent-2');
    clients.push(r1.agent, r1.customer, r2.agent, r2.customer);
    r1.customer.send({ type: 'signal', to: r2.agentWelcome.memberId, data: { type: 'offer', sdp: 'sneaky' } });
    expect(await r1.customer.next('error')).toMatchObject({ code: 'unknown_peer' });
    r1.agent.send({ type: 'signal', to: r2.customerWelcome.memberId, data: { type: 'offer', sdp: 'sneaky' } });
    expect(await r1.agent.next('error')).toMatchObject({ code: 'unknown_peer' });
    await Promise.all([r2.agent.sync(), r2.customer.sync()]);
    expect([...r2.agent.received, ...r2.customer.received].filter((m) => m.type === 'signal')).toEqual([]);
  });

  test('signal to oneself or to a made-up id is unknown_peer', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    r.agent.send({ type: 'signal', to: r.agentWelcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect(await r.agent.next('error')).toMatchObject({ code: 'unknown_peer' });
    r.agent.send({ type: 'signal', to: 'm-nobody', data: { type: 'offer', sdp: 'x' } });
    expect(await r.agent.next('error')).toMatchObject({ code: 'unknown_peer' });
  });

  test('an unauthenticated socket cannot signal (unauthorized) and an agent without a room gets not_in_room', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    const anon = await Client.open(server);
    clients.push(r.agent, r.customer, anon);
    anon.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect(await anon.next('error')).toMatchObject({ code: 'unauthorized' });
    anon.send({ type: 'hangup' });
    expect(await anon.next('error')).toMatchObject({ code: 'unauthorized' });

    const lonely = await Client.open(server);
    clients.push(lonely);
    lonely.send({ type: 'auth', v: 1, token: server.mintAgentToken('agent-lonely') });
    await lonely.next('welcome');
    lonely.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect(await lonely.next('error')).toMatchObject({ code: 'not_in_room' });
    await r.customer.sync();
    expect(r.customer.received.filter((m) => m.type === 'signal')).toEqual([]);
  });

  test('after an agent hang-up the former customer can no longer reach the agent', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    r.agent.send({ type: 'hangup' });
    await r.customer.next('ended');
    await r.agent.next('ended');
    r.customer.send({ type: 'signal', to: r.agentWelcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect((await r.customer.next('error')).code).toMatch(/unauthorized|not_in_room/);
    await r.agent.sync();
    expect(r.agent.received.filter((m) => m.type === 'signal')).toEqual([]);
  });
});
