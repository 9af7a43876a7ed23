/**
 * logLevel: a node logging at 'warn' does not build the routine per-socket
 * records at all (they were a measurable part of the pairing path), yet
 * still reports what an operator must see.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Client, pair, startServer } from '../signaling/harness';
import type { SignalingServer } from '../../../signaling-server/server';

let server: SignalingServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const events = (logs: Record<string, unknown>[]) => logs.map((r) => r.ev);

describe('signaling log level', () => {
  it('at info (the default) logs the routine events of a call', async () => {
    const s = await startServer();
    server = s.server;
    const p = await pair(server);
    p.agent.send({ type: 'hangup' });
    await p.agent.next('ended');
    expect(events(s.logs)).toEqual(expect.arrayContaining(['ws_open', 'agent_auth', 'room_created', 'invite_created', 'join', 'room_ended']));
    // tokens never appear in clear, only their tags
    const inv = s.logs.find((r) => r.ev === 'invite_created')!;
    expect(String(inv.invite)).toMatch(/^[0-9a-f]{10}$/);
    expect(JSON.stringify(s.logs)).not.toContain(p.inv.token);
  });

  it('at warn skips them, but still logs refusals and failures', async () => {
    const s = await startServer({ logLevel: 'warn' });
    server = s.server;
    const p = await pair(server);
    p.agent.send({ type: 'hangup' });
    await p.agent.next('ended');
    const stranger = await Client.open(server);
    stranger.send({ type: 'join', v: 1, invite: p.inv.token, context: { browser: 'x', os: 'y', deviceClass: 'phone', screen: { width: 1, height: 1, dpr: 1 }, locale: 'en', timeZone: 'UTC' } });
    expect((await stranger.next('error')).code).toBe('invite_used');
    stranger.send({ type: 'auth', v: 1, token: 'not.a-token' });
    expect((await stranger.next('error')).code).toBe('unauthorized');
    const seen = events(s.logs);
    for (const routine of ['ws_open', 'agent_auth', 'room_created', 'invite_created', 'join', 'room_ended', 'ws_close']) expect(seen).not.toContain(routine);
    expect(seen).toContain('join_refused');
    expect(seen).toContain('auth_failed');
  });
});
