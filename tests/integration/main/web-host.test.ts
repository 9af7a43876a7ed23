import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWebWorkstation, type WebWorkstation } from '../../../src-main/web-host/workstation';
import { memoryLogger } from '../../../src-main/log';

// Real HTTP against a real web host on 127.0.0.1 (port 0), real services with a temp data dir.
let dir: string;
let ws: WebWorkstation;
let port: number;
let secret: string;

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function http(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { Host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const invoke = (channel: string, input: unknown, headers: Record<string, string> = {}) =>
  http({
    method: 'POST',
    path: '/api/invoke',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, Origin: `http://127.0.0.1:${port}`, ...headers },
    body: JSON.stringify({ channel, input }),
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'va-webhost-'));
  const staticDir = join(dir, 'renderer');
  await mkdir(join(staticDir, 'app'), { recursive: true });
  await mkdir(join(staticDir, 'assets'), { recursive: true });
  await writeFile(join(staticDir, 'app', 'index.html'), '<!doctype html><title>Workstation</title><script type="module" src="/assets/main-abc.js"></script>');
  await writeFile(join(staticDir, 'assets', 'main-abc.js'), 'console.log("hi")');
  await writeFile(join(dir, 'outside.txt'), 'secret file');
  ws = await startWebWorkstation({
    config: { dataDir: join(dir, 'data'), webHostPort: 0, signalingUrl: 'http://127.0.0.1:7800', agentId: 'agent-7', agentName: 'Ann' },
    deps: { mintAgentToken: (id, o) => `token-for-${id}-${o.name}-${o.ttlSec}` },
    staticDir,
    log: memoryLogger(),
  });
  port = ws.webHost.port;
  secret = ws.webHost.secret;
});
afterAll(async () => {
  await ws?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('web host', () => {
  it('binds 127.0.0.1 and prints a URL carrying a 256-bit base64url secret in the fragment', () => {
    expect(ws.webHost.workstationUrl).toBe(`http://127.0.0.1:${port}/#k=${secret}`);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('serves the workstation page with a strict CSP, nosniff and no caching', async () => {
    const r = await http({ path: '/' });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<title>Workstation</title>');
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).toContain('connect-src \'self\' http://127.0.0.1:7800 ws://127.0.0.1:7800');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('serves assets with their MIME type and refuses path traversal', async () => {
    const js = await http({ path: '/assets/main-abc.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    for (const p of ['/assets/../../outside.txt', '/assets/%2e%2e/%2e%2e/outside.txt', '/assets/..%2f..%2foutside.txt', '/outside.txt', '/app/index.html']) {
      const r = await http({ path: p });
      expect(r.status, p).toBe(404);
      expect(r.body).not.toContain('secret file');
    }
  });

  it('answers a real invoke round trip through the router and services', async () => {
    const set = await invoke('audio:setPrefs', { inputId: 'mic-1', inputLabel: 'Headset' });
    expect(set.status).toBe(200);
    expect(JSON.parse(set.body)).toMatchObject({ ok: true, value: { inputId: 'mic-1', inputLabel: 'Headset' } });
    const get = JSON.parse((await invoke('audio:getPrefs', {})).body);
    expect(get).toEqual({ ok: true, value: { inputId: 'mic-1', inputLabel: 'Headset', outputId: null, outputLabel: null } });
  });

  it('hands the renderer the signaling URL and a freshly minted agent token', async () => {
    const r = JSON.parse((await invoke('app:getSessionConfig', {})).body);
    expect(r).toMatchObject({ ok: true, value: { agentId: 'agent-7', displayName: 'Ann', signalingUrl: 'http://127.0.0.1:7800', host: 'web', agentToken: expect.stringContaining('token-for-agent-7-Ann-') } });
  });

  it('passes router errors through as typed results', async () => {
    expect(JSON.parse((await invoke('nope:nothing', {})).body)).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    expect(JSON.parse((await invoke('audio:setPrefs', { inputId: 5 })).body)).toMatchObject({ ok: false, error: { code: 'invalid_argument' } });
  });

  it('refuses a missing or wrong secret with 401', async () => {
    const missing = await invoke('audio:getPrefs', {}, { Authorization: '' });
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const wrong = await invoke('audio:getPrefs', {}, { Authorization: `Bearer ${secret.slice(0, -1)}x` });
    expect(wrong.status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) with 421, on pages and API', async () => {
    for (const host of ['evil.example:' + port, `127.0.0.1:${port + 1}`, 'evil.example']) {
      expect((await http({ path: '/', headers: { Host: host } })).status, host).toBe(421);
      const api = await invoke('audio:getPrefs', {}, { Host: host });
      expect(api.status).toBe(421);
      expect(JSON.parse(api.body).error.code).toBe('misdirected_request');
    }
    expect((await http({ path: '/', headers: { Host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses a cross-origin request with 403 even with the right secret', async () => {
    const r = await invoke('audio:getPrefs', {}, { Origin: 'https://evil.example' });
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
  });

  it('refuses non-JSON bodies with 400 and a wrong content type with 415', async () => {
    const bad = await http({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: '{"channel":' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    const shape = await http({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: '[1,2]' });
    expect(shape.status).toBe(400);
    const form = await http({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'text/plain', Authorization: `Bearer ${secret}` }, body: '{}' });
    expect(form.status).toBe(415);
  });

  it('refuses a body over 16 MiB with 413 and keeps serving', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 10, 0x20);
    const r = await http({ method: 'POST', path: '/api/invoke', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` }, body: big });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'payload_too_large' } });
    expect(JSON.parse((await invoke('audio:getPrefs', {})).body).ok).toBe(true);
  });

  it('stops reading a chunked body (no Content-Length) as soon as it passes 16 MiB', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/invoke', headers: {
        Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json', Authorization: `Bearer ${secret}`, 'Transfer-Encoding': 'chunked',
      } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); req.destroy(); });
      req.on('error', (e) => (/EPIPE|ECONNRESET/.test(String(e)) ? undefined : reject(e)));
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      // Keep sending until the server answers: it must not wait for the end of the body.
      let sent = 0;
      const pump = () => { while (sent < 64 && req.write(chunk)) sent++; if (sent < 64) req.once('drain', () => { sent++; pump(); }); };
      pump();
    });
    expect(status).toBe(413);
    expect(JSON.parse((await invoke('audio:getPrefs', {})).body).ok).toBe(true);
  });

  it('refuses GET on the API and POST on pages', async () => {
    expect((await http({ path: '/api/invoke', headers: { Authorization: `Bearer ${secret}` } })).status).toBe(405);
    expect((await http({ method: 'POST', path: '/', body: '' })).status).toBe(405);
  });
});

describe('web host start', () => {
  it('says which port is taken and how to choose another', async () => {
    await expect(startWebWorkstation({
      config: { dataDir: join(dir, 'data2'), webHostPort: port },
      staticDir: join(dir, 'renderer'),
      log: memoryLogger(),
    })).rejects.toThrow(new RegExp(`port ${port} .*in use.*VISUAL_ASSIST_WEB_PORT`));
  });
});
