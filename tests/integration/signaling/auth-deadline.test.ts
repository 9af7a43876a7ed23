/**
 * Sockets that never authenticate: the auth deadline runs from connect (a
 * client cannot keep an anonymous socket open by sending pings), and the
 * number of anonymous sockets is capped per address and in total.
 */
import { describe, expect, it } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, agent, fakeClock, invite, useServer } from './harness';

const { clients, start } = useServer();

async function open(s: SignalingServer): Promise<Client> {
  const c = await Client.open(s);
  clients.push(c);
  return c;
}

describe('auth deadline', () => {
  it('runs from connect: pings do not keep an unauthenticated socket open', async () => {
    const clock = fakeClock();
    const server = await start({ now: clock.now, heartbeatMs: 200, abuse: { authTimeoutSec: 1, idleTimeoutSec: 3600 } });
    const c = await open(server);
    // 2.5 s of (fake) time in steps of 400 ms, a ping in each: never quiet for a full second.
    for (let i = 0; i < 6; i++) {
      clock.advance(400);
      if (c.ws.readyState !== c.ws.OPEN) break;
      c.send({ type: 'ping', reqId: `p${i}` });
      const m = await Promise.race([c.next('pong', (x) => x.reqId === `p${i}`), c.closed.then(() => null)]);
      if (!m) break;
    }
    const err = await c.next('error', (m) => m.code === 'timeout', 3000);
    expect(err.message).toMatch(/auth/);
    expect((await c.closed).code).toBe(4008);
  });

  it('stops applying once the socket has authenticated', async () => {
    const clock = fakeClock();
    const server = await start({ now: clock.now, heartbeatMs: 200, abuse: { authTimeoutSec: 1, idleTimeoutSec: 3600 } });
    const a = await agent(server);
    clients.push(a.c);
    clock.advance(5000);
    await new Promise((r) => setTimeout(r, 700)); // several heartbeat ticks
    await a.c.sync();
    await invite(a.c);
  });
});

describe('unauthenticated socket caps', () => {
  it('caps anonymous sockets per address; authenticating frees the slot', async () => {
    const server = await start({ abuse: { maxUnauthenticatedPerAddress: 3, maxUnauthenticatedTotal: 100 } });
    const s = server;
    const first = await open(s);
    await open(s);
    await open(s);
    const fourth = await open(s);
    expect(await fourth.next('error')).toMatchObject({ code: 'rate_limited' });
    await fourth.closed;
    first.send({ type: 'auth', v: 1, token: s.mintAgentToken('agent-1') });
    await first.next('welcome');
    const fifth = await open(s);
    await fifth.sync();
    expect(fifth.received.filter((m) => m.type === 'error')).toEqual([]);
  });

  it('caps anonymous sockets in total', async () => {
    const server = await start({ abuse: { maxUnauthenticatedPerAddress: 100, maxUnauthenticatedTotal: 4 } });
    const s = server;
    for (let i = 0; i < 4; i++) await open(s);
    const over = await open(s);
    expect(await over.next('error')).toMatchObject({ code: 'rate_limited' });
    // a closed anonymous socket gives its slot back
    const gone = clients.shift()!;
    gone.close();
    await gone.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await open(s);
    await again.sync();
    expect(again.received.filter((m) => m.type === 'error')).toEqual([]);
  });
});
