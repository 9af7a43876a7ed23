import { afterEach, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, agent, startServer } from './harness';

const TEL = 'telephony-secret-0123456789';
let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${server.port}/telephony/contact`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEL}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('POST /telephony/contact (ANI screen pop)', () => {
  test('delivers a screen_pop to every open socket of that agent, and only that agent; answers 202 {delivered}', async () => {
    let now = 1_800_000_000_000;
    ({ server } = await startServer({ telephonySecret: TEL, now: () => now }));
    const tab1 = await agent(server, 'agent-7');
    const tab2 = await agent(server, 'agent-7');
    const other = await agent(server, 'agent-8');
    const anon = await Client.open(server);
    clients.push(tab1.c, tab2.c, other.c, anon);
    now += 5;
    const res = await post({ ani: '+15551234567', agentId: 'agent-7', callId: 'call-42', dnis: '8005550100' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivered: 2 });
    for (const c of [tab1.c, tab2.c]) {
      expect(await c.next('screen_pop')).toEqual({ type: 'screen_pop', ani: '+15551234567', source: 'telephony', callId: 'call-42', receivedAt: now });
    }
    await Promise.all([other.c.sync(), anon.sync()]);
    expect([...other.c.received, ...anon.received].filter((m) => m.type === 'screen_pop')).toEqual([]);
  });

  test('an agent with no open socket: 202 {delivered: 0}', async () => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const res = await post({ ani: '0312345678', agentId: 'agent-away' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ delivered: 0 });
  });

  test.each([
    ['no Authorization', { authorization: '' }],
    ['wrong secret', { authorization: 'Bearer nope' }],
    ['wrong scheme', { authorization: `Basic ${TEL}` }],
  ])('%s -> 401 with a JSON error', async (_n, headers) => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const a = await agent(server, 'agent-7');
    clients.push(a.c);
    const res = await post({ ani: '+15551234567', agentId: 'agent-7' }, headers);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    await a.c.sync();
    expect(a.c.received.filter((m) => m.type === 'screen_pop')).toEqual([]);
  });

  test.each([
    ['not JSON', 'ani=1', 'bad_json'],
    ['missing ani', { agentId: 'agent-7' }, 'invalid_body'],
    ['ani with letters', { ani: 'DROP TABLE', agentId: 'agent-7' }, 'invalid_body'],
    ['agentId with spaces', { ani: '123', agentId: 'agent 7' }, 'invalid_body'],
    ['ani too long', { ani: '1'.repeat(40), agentId: 'agent-7' }, 'invalid_body'],
    ['array body', [1], 'invalid_body'],
  ])('%s -> 400 %s', async (_n, body, code) => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
  });

  test('a body over 8 KiB -> 413', async () => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const res = await post({ ani: '123', agentId: 'agent-7', callId: 'x', pad: 'y'.repeat(9000) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('too_large');
  });

  test('a non-JSON content type -> 415', async () => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const res = await post('ani=123', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
  });

  test('GET -> 405', async () => {
    ({ server } = await startServer({ telephonySecret: TEL }));
    const res = await fetch(`http://127.0.0.1:${server.port}/telephony/contact`);
    expect(res.status).toBe(405);
  });
});
