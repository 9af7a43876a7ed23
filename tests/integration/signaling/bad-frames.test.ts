import fc from 'fast-check';
import { afterEach, describe, expect, test } from 'vitest';
import { MAX_FRAME_BYTES } from '../../../signaling-server/protocol';
import { MemoryStore } from '../../../signaling-server/memory-store';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, pair, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

async function healthy(): Promise<boolean> {
  const r = await fetch(`http://127.0.0.1:${server.port}/healthz`);
  return r.status === 200 && ((await r.json()) as { ok: boolean }).ok;
}

describe('bad frames get typed errors; the socket and the server stay up', () => {
  test.each([
    ['not JSON', 'hello there', 'bad_frame'],
    ['JSON array', '[1,2,3]', 'invalid_message'],
    ['unknown type', JSON.stringify({ type: 'teleport' }), 'invalid_message'],
    ['future protocol version', JSON.stringify({ type: 'auth', v: 9, token: 'x' }), 'unsupported_version'],
    ['frame over 64 KiB', JSON.stringify({ type: 'ping', reqId: 'a'.repeat(MAX_FRAME_BYTES) }), 'too_large'],
    ['signal before auth', JSON.stringify({ type: 'signal', to: 'm-1', data: { type: 'offer', sdp: 'x' } }), 'unauthorized'],
    ['bad agent token', JSON.stringify({ type: 'auth', v: 1, token: 'abc.def' }), 'unauthorized'],
  ])('%s -> %s, then the same socket still answers ping', async (_n, raw, code) => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.send(raw);
    const err = await c.next('error');
    expect(err.code).toBe(code);
    expect(err.message).not.toBe('');
    await c.sync();
    expect(await healthy()).toBe(true);
  });

  test('a binary frame is refused with bad_frame', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.ws.send(Buffer.from(JSON.stringify({ type: 'ping' })), { binary: true });
    expect(await c.next('error')).toMatchObject({ code: 'bad_frame' });
  });

  test('an invalid frame echoes a well-formed reqId so the client can match the error', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'create_invite', reqId: 'req-9', ttlSec: 1 });
    expect(await c.next('error')).toMatchObject({ code: 'invalid_message', reqId: 'req-9' });
  });

  test('a frame above the hard ws cap (1 MiB) closes that socket with 1009; other sockets and the server carry on', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    const big = await Client.open(server);
    clients.push(r.agent, r.customer, big);
    big.send('x'.repeat(1024 * 1024 + 10));
    expect((await big.closed).code).toBe(1009);
    r.agent.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'still here' } });
    expect((await r.customer.next('signal')).data).toMatchObject({ sdp: 'still here' });
    expect(await healthy()).toBe(true);
  });

  test('auth/join on a socket that is already in a room is refused, the seat is untouched', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    r.customer.send({ type: 'auth', v: 1, token: server.mintAgentToken('agent-1') });
    expect(await r.customer.next('error')).toMatchObject({ code: 'invalid_message' });
    r.agent.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'x' } });
    expect(await r.customer.next('signal')).toMatchObject({ from: r.agentWelcome.memberId });
  });

  test('a handler that fails (store error) answers internal, logs it, and the server keeps serving', async () => {
    class FlakyStore extends MemoryStore {
      fail = false;
      override async getRoom(roomId: string) {
        if (this.fail) throw new Error('store unavailable');
        return super.getRoom(roomId);
      }
    }
    const store = new FlakyStore();
    let logs: Record<string, unknown>[];
    ({ server, logs } = await startServer({ store }));
    const r = await pair(server);
    clients.push(r.agent, r.customer);
    store.fail = true;
    // (signals between two sockets of this node no longer read the store; a new invite does)
    r.agent.send({ type: 'create_invite', reqId: 'during-outage' });
    expect(await r.agent.next('error')).toMatchObject({ code: 'internal', message: 'internal server error' });
    expect(logs.some((l) => l.ev === 'handler_error' && String(l.err).includes('store unavailable'))).toBe(true);
    store.fail = false;
    r.agent.send({ type: 'signal', to: r.customerWelcome.memberId, data: { type: 'offer', sdp: 'y' } });
    expect((await r.customer.next('signal')).data).toMatchObject({ sdp: 'y' });
  });

  test('fuzz: random garbage and random near-valid messages never crash, always answer, never leak into a room', async () => {
    ({ server } = await startServer());
    const r = await pair(server);
    const fuzz = await Client.open(server);
    clients.push(r.agent, r.customer, fuzz);
    const types = ['auth', 'join', 'resume', 'create_invite', 'signal', 'hangup', 'ping', 'x'];
    const nearValid = fc.record({
      type: fc.constantFrom(...types),
      v: fc.option(fc.integer({ min: -2, max: 3 }), { nil: undefined }),
      to: fc.option(fc.constantFrom(r.agentWelcome.memberId, r.customerWelcome.memberId, 'm-x', ''), { nil: undefined }),
      data: fc.option(fc.anything(), { nil: undefined }),
      token: fc.option(fc.string(), { nil: undefined }),
      invite: fc.option(fc.string({ minLength: 16, maxLength: 60 }), { nil: undefined }),
      reqId: fc.option(fc.string({ maxLength: 10 }), { nil: undefined }),
    }).map((o) => JSON.stringify(o));
    const frames = fc.sample(fc.oneof(fc.string(), fc.json(), nearValid), { numRuns: 300, seed: 42 });
    for (const f of frames) fuzz.send(f);
    await fuzz.sync();
    // exactly one answer per frame (an error, or a pong for a valid ping): nothing silently swallowed
    expect(fuzz.received.filter((m) => m.type === 'error' || m.type === 'pong')).toHaveLength(frames.length);
    expect(fuzz.received.filter((m) => m.type === 'error').every((m) => m.type === 'error' && m.message.length > 0)).toBe(true);
    await Promise.all([r.agent.sync(), r.customer.sync()]);
    expect([...r.agent.received, ...r.customer.received].filter((m) => m.type === 'signal')).toEqual([]);
    expect(await healthy()).toBe(true);
  });
});
