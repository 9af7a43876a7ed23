/**
 * The production behaviours of one node, against a real server on
 * 127.0.0.1:0: abuse limits answered with typed errors and counted in
 * /metrics, short numeric codes, TURN credentials in welcome, drain, TLS,
 * and trusted forwarded headers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { startSignalingServer, type SignalingOptions, type SignalingServer } from '../../../signaling-server/server';
import { CONTEXT, Peer } from './nodes';

let server: SignalingServer | undefined;
const peers: Peer[] = [];
afterEach(async () => {
  for (const p of peers.splice(0)) p.close();
  await server?.close();
  server = undefined;
});

async function start(opts: Partial<SignalingOptions> = {}): Promise<SignalingServer> {
  server = await startSignalingServer({ secret: 'server-prod-secret-0123456789', port: 0, heartbeatMs: 60_000, log: () => {}, ...opts });
  return server;
}
async function open(s: SignalingServer, headers?: Record<string, string>): Promise<Peer> {
  const p = await Peer.open(s.wsUrl, headers ? { headers } : {});
  peers.push(p);
  return p;
}
async function agent(s: SignalingServer, id = 'agent-1') {
  const p = await open(s);
  p.send({ type: 'auth', v: 1, token: s.mintAgentToken(id) });
  return { p, welcome: await p.next('welcome') };
}
async function invite(p: Peer, extra: Record<string, unknown> = {}) {
  const reqId = `r${Math.random().toString(36).slice(2, 8)}`;
  p.send({ type: 'create_invite', reqId, ...extra });
  const m = await p.next('invite_created', (x) => x.reqId === reqId);
  return { ...m, token: new URL(m.url).pathname.split('/').pop()! };
}
async function joinWith(s: SignalingServer, token: string) {
  const p = await open(s);
  p.send({ type: 'join', v: 1, invite: token, context: CONTEXT });
  return { p, first: await p.nextOf(['welcome', 'error']) };
}
async function metric(s: SignalingServer, line: string): Promise<number> {
  const text = await (await fetch(`${s.url}/metrics`)).text();
  const m = text.split('\n').find((l) => l.startsWith(line + ' '));
  return m ? Number(m.slice(line.length + 1)) : 0;
}

describe('abuse limits', () => {
  it('message rate: frames over the bucket get rate_limited with a retry hint, counted; the socket recovers', async () => {
    const s = await start({ abuse: { messagesPerSec: 5, messageBurst: 5 } });
    const p = await open(s);
    for (let i = 0; i < 8; i++) p.send({ type: 'ping', reqId: `p${i}` });
    const err = await p.next('error');
    expect(err.code).toBe('rate_limited');
    expect(err.retryAfterMs).toBeGreaterThan(0);
    expect(await metric(s, 'signaling_limit_hits_total{limit="message_rate"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(s, 'signaling_errors_total{code="rate_limited"}')).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 1200));
    p.send({ type: 'ping', reqId: 'later' });
    expect((await p.next('pong', (m) => m.reqId === 'later')).type).toBe('pong');
  });

  it('connection rate per address: the socket over the limit is told rate_limited and closed', async () => {
    const s = await start({ abuse: { connectionsPerMinPerAddress: 60, connectionBurstPerAddress: 3 } });
    for (let i = 0; i < 3; i++) await open(s);
    const fourth = await open(s);
    expect((await fourth.next('error')).code).toBe('rate_limited');
    expect((await fourth.closed).code).toBe(1008);
    expect(await metric(s, 'signaling_limit_hits_total{limit="connection_rate"}')).toBe(1);
  });

  it('frame size: a frame over the limit gets too_large and is counted', async () => {
    const s = await start({ limits: { maxFrameBytes: 2048 } });
    const p = await open(s);
    p.send({ type: 'ping', reqId: 'x'.repeat(3000) });
    expect((await p.next('error')).code).toBe('too_large');
    expect(await metric(s, 'signaling_limit_hits_total{limit="frame_size"}')).toBe(1);
  });

  it('room members: a fourth member is refused room_full (agent + customer + technician is the maximum)', async () => {
    const s = await start();
    const a = await agent(s);
    const c = await invite(a.p);
    const t = await invite(a.p, { role: 'technician' });
    expect((await joinWith(s, c.token)).first.type).toBe('welcome');
    expect((await joinWith(s, t.token)).first.type).toBe('welcome');
    const extra = await invite(a.p, { role: 'technician' });
    const r = await joinWith(s, extra.token);
    expect(r.first).toMatchObject({ type: 'error', code: 'room_full' });
    expect(await metric(s, 'signaling_limit_hits_total{limit="room_members"}')).toBe(1);
  });

  it('auth and idle time-outs: a socket that never authenticates, or goes quiet, is told timeout and closed', async () => {
    const s = await start({ heartbeatMs: 100, abuse: { authTimeoutSec: 1, idleTimeoutSec: 2 } });
    const anon = await open(s);
    expect((await anon.next('error', () => true, 5000)).code).toBe('timeout');
    expect((await anon.closed).code).toBe(4008);
    const a = await agent(s);
    const t0 = Date.now();
    expect((await a.p.next('error', () => true, 6000)).code).toBe('timeout');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1500);
    expect(await metric(s, 'signaling_limit_hits_total{limit="idle_timeout"}')).toBe(2);
  });
});

describe('short numeric codes', () => {
  it('a caller types the code: the page exchanges it for a fresh link once; the original link is then used', async () => {
    const s = await start({ abuse: { codes: { digits: 8 } } });
    const a = await agent(s);
    const inv = await invite(a.p, { code: true, page: '/billing' });
    expect(inv.code).toMatch(/^\d{8}$/);
    const form = await fetch(`${s.url}/code`, { headers: { 'accept-language': 'ja-JP' } });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('セッションコード');
    const spaced = `${inv.code!.slice(0, 4)} ${inv.code!.slice(4)}`;
    const r = await fetch(`${s.url}/code`, { method: 'POST', redirect: 'manual', body: new URLSearchParams({ code: spaced }) });
    expect(r.status).toBe(303);
    const loc = r.headers.get('location')!;
    expect(loc).toMatch(new RegExp(`^${s.url}/join/[A-Za-z0-9_-]{43}\\?page=%2Fbilling$`));
    const token = new URL(loc).pathname.split('/').pop()!;
    expect((await joinWith(s, token)).first.type).toBe('welcome');
    expect((await a.p.next('peer_joined')).member.role).toBe('customer');
    // single use: the code is gone, and the link it stood for is used
    const again = await fetch(`${s.url}/code`, { method: 'POST', body: new URLSearchParams({ code: inv.code! }) });
    expect(again.status).toBe(400);
    expect((await joinWith(s, inv.token)).first).toMatchObject({ type: 'error', code: 'invite_used' });
  });

  it('wrong codes lock the address out after the limit (429 with Retry-After), and are counted', async () => {
    const s = await start({ abuse: { codes: { digits: 8, maxFailuresPerAddress: 3, lockoutSec: 600 } } });
    const a = await agent(s);
    const inv = await invite(a.p, { code: true });
    const wrong = inv.code === '00000000' ? '00000001' : '00000000';
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${s.url}/code`, { method: 'POST', body: new URLSearchParams({ code: wrong }) });
      expect(r.status).toBe(400);
      expect(await r.text()).toContain('data-error="wrong"');
    }
    // now even the right code is refused from this address: guessing stops here
    const locked = await fetch(`${s.url}/code`, { method: 'POST', body: new URLSearchParams({ code: inv.code! }) });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await locked.text()).toContain('data-error="locked"');
    expect(await metric(s, 'signaling_limit_hits_total{limit="code_address_lockout"}')).toBe(1);
    const bad = await fetch(`${s.url}/code`, { method: 'POST', body: new URLSearchParams({ code: 'abc' }) });
    expect(bad.status).toBe(429);
  });

  it('every invite carries a code when the node is configured so', async () => {
    const s = await start({ codes: true });
    const a = await agent(s);
    expect((await invite(a.p)).code).toMatch(/^\d{10}$/);
  });
});

describe('TURN credentials in welcome', () => {
  it('each member gets its own short-lived TURN REST credential next to the STUN servers', async () => {
    const s = await start({ ice: { stunUrls: ['stun:127.0.0.1:3478'], turn: { secret: 'turn-secret-0123456789', urls: ['turn:127.0.0.1:3478?transport=udp'], ttlSec: 600 } } });
    const a = await agent(s);
    const inv = await invite(a.p);
    const c = await joinWith(s, inv.token);
    if (c.first.type !== 'welcome') throw new Error('no welcome');
    const [stunA, turnA] = a.welcome.iceServers;
    const turnC = c.first.iceServers[1]!;
    expect(stunA).toEqual({ urls: 'stun:127.0.0.1:3478' });
    expect(turnA!.username).toMatch(new RegExp(`^\\d+:${a.welcome.memberId}$`));
    expect(turnC.username).toMatch(new RegExp(`^\\d+:${c.first.memberId}$`));
    const expiry = Number(turnC.username!.split(':')[0]);
    expect(expiry * 1000 - Date.now()).toBeGreaterThan(590_000);
    expect(expiry * 1000 - Date.now()).toBeLessThanOrEqual(600_000);
  });
});

describe('operations', () => {
  it('/metrics exposes sockets, rooms, invites, relayed messages, errors and relay latency', async () => {
    const s = await start();
    const a = await agent(s);
    const inv = await invite(a.p);
    const c = await joinWith(s, inv.token);
    await a.p.next('peer_joined');
    if (c.first.type !== 'welcome') throw new Error('no welcome');
    a.p.send({ type: 'signal', to: c.first.memberId, data: { type: 'offer', sdp: 'x' } });
    await c.p.next('signal');
    c.p.send('garbage');
    await c.p.next('error');
    const r = await fetch(`${s.url}/metrics`);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await r.text();
    expect(text).toContain('signaling_sockets_open 2');
    expect(text).toContain('signaling_rooms_active 1');
    expect(text).toContain('signaling_invites_created_total 1');
    expect(text).toContain('signaling_invites_redeemed_total 1');
    expect(text).toContain('signaling_relayed_messages_total{path="local"} 1');
    expect(text).toContain('signaling_errors_total{code="bad_frame"} 1');
    expect(text).toContain('signaling_relay_latency_seconds_count 1');
  });

  it('drain: clients are told to reconnect, new sockets get unavailable, /healthz says 503, the rest is closed 1012 after the grace', async () => {
    const s = await start();
    const a = await agent(s);
    const draining = s.drain(800);
    expect(await a.p.next('reconnect')).toEqual({ type: 'reconnect', reason: 'draining', graceMs: 800 });
    const h = await fetch(`${s.url}/healthz`);
    expect(h.status).toBe(503);
    expect(((await h.json()) as { draining: boolean }).draining).toBe(true);
    const late = await open(s);
    expect((await late.next('error')).code).toBe('unavailable');
    expect((await a.p.closed).code).toBe(1012);
    await draining;
    server = undefined;
  });
});

describe('TLS and proxies', () => {
  it('serves https and wss on one port from certificate files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigtls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const ca = readFileSync(join(dir, 'cert.pem'));
    const s = await start({ tls: { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') } });
    expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(s.wsUrl).toMatch(/^wss:/);
    const body = await new Promise<string>((resolve, reject) => {
      request(`${s.url}/healthz`, { ca }, (res) => { let b = ''; res.on('data', (d) => { b += String(d); }); res.on('end', () => resolve(b)); }).on('error', reject).end();
    });
    expect(JSON.parse(body).ok).toBe(true);
    const p = await Peer.open(s.wsUrl, { ca });
    peers.push(p);
    p.send({ type: 'auth', v: 1, token: s.mintAgentToken('tls-agent') });
    expect((await p.next('welcome')).role).toBe('agent');
    // a missing certificate stops the node with an error naming the field
    await expect(startSignalingServer({ secret: 'x'.repeat(20), port: 0, log: () => {}, tls: { certFile: join(dir, 'nope.pem'), keyFile: join(dir, 'key.pem') } })).rejects.toThrow(/tls\.certFile: cannot read/);
  });

  it('X-Forwarded-For is honoured only from a trusted proxy (per-address limits follow the real client)', async () => {
    const limits = { connectionsPerMinPerAddress: 60, connectionBurstPerAddress: 1 };
    // untrusted: a forged header changes nothing, both sockets count against 127.0.0.1
    let s = await start({ abuse: limits });
    await open(s, { 'x-forwarded-for': '198.51.100.1' });
    const second = await open(s, { 'x-forwarded-for': '198.51.100.2' });
    expect((await second.next('error')).code).toBe('rate_limited');
    await s.close();
    // trusted loopback proxy: each forwarded client has its own bucket
    s = await start({ abuse: limits, trustedProxies: ['loopback'] });
    const x = await open(s, { 'x-forwarded-for': '198.51.100.1' });
    const y = await open(s, { 'x-forwarded-for': '198.51.100.2' });
    for (const p of [x, y]) { p.send({ type: 'ping', reqId: 'ok' }); expect((await p.next('pong')).reqId).toBe('ok'); }
    const again = await open(s, { 'x-forwarded-for': '203.0.113.5, 198.51.100.1' });
    expect((await again.next('error')).code).toBe('rate_limited');
  });
});
