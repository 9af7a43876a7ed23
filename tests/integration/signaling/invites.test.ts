import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultStaticDir } from '../../../signaling-server/config/index';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, agent, customer, fakeClock, invite, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

async function status(token: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.port}/join/${token}/status`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { state: string }).state;
}

async function tryJoin(token: string) {
  const c = await Client.open(server);
  clients.push(c);
  c.send({ type: 'join', v: 1, invite: token, context: { browser: 'b', os: 'o', deviceClass: 'desktop', screen: { width: 1, height: 1, dpr: 1 }, locale: 'en', timeZone: 'UTC' } });
  return Promise.race([c.next('welcome'), c.next('error')]);
}

describe('invite lifecycle', () => {
  test('an invite token is 256 bits of base64url and only its hash is kept (the token never appears in logs)', async () => {
    let logs: Record<string, unknown>[];
    ({ server, logs } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    expect(inv.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(inv.token, 'base64url')).toHaveLength(32);
    const cu = await customer(server, inv.token);
    clients.push(cu.c);
    const dump = JSON.stringify(logs);
    expect(dump).not.toContain(inv.token);
    expect(dump).not.toContain(cu.welcome.resumeToken);
  });

  test('an invite works once: the second join is refused with invite_used and the status says used', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    expect(await status(inv.token)).toBe('valid');
    const first = await tryJoin(inv.token);
    expect(first.type).toBe('welcome');
    const second = await tryJoin(inv.token);
    expect(second).toMatchObject({ type: 'error', code: 'invite_used' });
    expect(await status(inv.token)).toBe('used');
  });

  test('the page served for an invite carries its state (valid, then used; unknown when bogus), and serving it uses nothing', async (ctx) => {
    const staticDir = defaultStaticDir();
    ctx.skip(!existsSync(join(staticDir, 'customer', 'index.html')), `customer page not built at ${staticDir} (run npm run build:web)`);
    ({ server } = await startServer({ staticDir }));
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    const stateInPage = async (token: string) => {
      const html = await (await fetch(`http://127.0.0.1:${server.port}/join/${encodeURIComponent(token)}`)).text();
      return /<meta name="va-invite-state" content="([a-z]+)">/.exec(html)?.[1];
    };
    expect(await stateInPage(inv.token)).toBe('valid');
    expect(await stateInPage(inv.token)).toBe('valid');
    expect((await tryJoin(inv.token)).type).toBe('welcome');
    expect(await stateInPage(inv.token)).toBe('used');
    expect(await stateInPage('A'.repeat(43))).toBe('unknown');
    expect(await stateInPage('"><script>alert(1)</script>')).toBe('unknown');
  });

  test('two customers racing for one invite: exactly one gets the seat', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    const results = await Promise.all([tryJoin(inv.token), tryJoin(inv.token), tryJoin(inv.token)]);
    expect(results.filter((r) => r.type === 'welcome')).toHaveLength(1);
    expect(results.filter((r) => r.type === 'error' && r.code === 'invite_used')).toHaveLength(2);
  });

  test('an invite expires after its TTL (default 15 min): status expired, join refused with invite_expired', async () => {
    const clock = fakeClock();
    ({ server } = await startServer({ now: clock.now }));
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    expect(inv.expiresAt).toBe(clock.now() + 900_000);
    clock.advance(899_000);
    expect(await status(inv.token)).toBe('valid');
    clock.advance(1_000);
    expect(await status(inv.token)).toBe('expired');
    expect(await tryJoin(inv.token)).toMatchObject({ type: 'error', code: 'invite_expired' });
  });

  test('a per-invite ttlSec overrides the default', async () => {
    const clock = fakeClock();
    ({ server } = await startServer({ now: clock.now, inviteTtlSec: 120 }));
    const a = await agent(server);
    clients.push(a.c);
    const dflt = await invite(a.c);
    const custom = await invite(a.c, { ttlSec: 30 });
    expect(dflt.expiresAt - clock.now()).toBe(120_000);
    expect(custom.expiresAt - clock.now()).toBe(30_000);
    clock.advance(30_000);
    expect(await tryJoin(custom.token)).toMatchObject({ type: 'error', code: 'invite_expired' });
  });

  test('an unknown invite is refused with invite_unknown and the status says unknown', async () => {
    ({ server } = await startServer());
    const fake = Buffer.alloc(32, 7).toString('base64url');
    expect(await status(fake)).toBe('unknown');
    expect(await status('not*a*token')).toBe('unknown');
    expect(await tryJoin(fake)).toMatchObject({ type: 'error', code: 'invite_unknown' });
  });

  test('checking the status or opening the page (link previewers) does not consume the invite', async () => {
    ({ server } = await startServer({ staticDir: '/nonexistent' }));
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    for (let i = 0; i < 3; i++) {
      expect(await status(inv.token)).toBe('valid');
      await fetch(`http://127.0.0.1:${server.port}/join/${inv.token}`);
    }
    expect((await tryJoin(inv.token)).type).toBe('welcome');
  });

  test('a technician invite joins the agent\'s same room as the third member; a fourth seat is refused', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const custInv = await invite(a.c);
    const techInv = await invite(a.c, { role: 'technician' });
    expect(techInv.roomId).toBe(custInv.roomId);
    const cu = await customer(server, custInv.token);
    const te = await customer(server, techInv.token);
    clients.push(cu.c, te.c);
    expect(te.welcome).toMatchObject({ role: 'technician', roomId: custInv.roomId });
    expect(te.welcome.members.map((m) => m.role).sort()).toEqual(['agent', 'customer']);
    expect((await cu.c.next('peer_joined')).member.role).toBe('technician');
    // a second customer invite while the customer is connected: the room is full for that seat
    const extra = await invite(a.c);
    expect(await tryJoin(extra.token)).toMatchObject({ type: 'error', code: 'room_full' });
    // and the refused invite was not burned
    expect(await status(extra.token)).toBe('valid');
  });

  test('a fresh invite replaces a customer seat whose socket is gone (customer lost the link and its resume token)', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const first = await customer(server, (await invite(a.c)).token);
    await a.c.next('peer_joined');
    first.c.close();
    await a.c.next('peer_left');
    const again = await customer(server, (await invite(a.c)).token);
    clients.push(again.c);
    expect(again.welcome.memberId).not.toBe(first.welcome.memberId);
    // the old seat's resume token no longer works
    const old = await Client.open(server);
    clients.push(old);
    old.send({ type: 'resume', v: 1, resumeToken: first.welcome.resumeToken });
    expect(await old.next('error')).toMatchObject({ code: 'resume_invalid' });
  });

  test('agent hang-up revokes the room\'s unused invites (status expired, join refused)', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    a.c.send({ type: 'hangup' });
    await a.c.next('ended');
    expect(await status(inv.token)).toBe('expired');
    expect(await tryJoin(inv.token)).toMatchObject({ type: 'error', code: 'invite_expired' });
  });

  test('create_invite reuses the agent\'s open room and makes a new room after hang-up', async () => {
    ({ server } = await startServer());
    const a = await agent(server);
    clients.push(a.c);
    const one = await invite(a.c);
    const two = await invite(a.c);
    expect(two.roomId).toBe(one.roomId);
    expect(two.token).not.toBe(one.token);
    a.c.send({ type: 'hangup' });
    await a.c.next('ended');
    const three = await invite(a.c);
    expect(three.roomId).not.toBe(one.roomId);
  });

  test('only an authenticated agent can create invites', async () => {
    ({ server } = await startServer());
    const c = await Client.open(server);
    clients.push(c);
    c.send({ type: 'create_invite', reqId: 'x1' });
    expect(await c.next('error')).toMatchObject({ code: 'unauthorized', reqId: 'x1' });
    const a = await agent(server);
    clients.push(a.c);
    const cu = await customer(server, (await invite(a.c)).token);
    clients.push(cu.c);
    cu.c.send({ type: 'create_invite', reqId: 'x2' });
    expect(await cu.c.next('error')).toMatchObject({ code: 'unauthorized', reqId: 'x2' });
  });
});
