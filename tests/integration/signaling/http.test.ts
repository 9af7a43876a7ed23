import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { SignalingServer } from '../../../signaling-server/server';
import { Client, agent, invite, startServer } from './harness';

let server: SignalingServer;
const clients: Client[] = [];
let staticDir: string;

beforeAll(() => {
  // a stand-in for the Vite output (dist/renderer), so this test does not depend on a build
  staticDir = mkdtempSync(join(tmpdir(), 'sig-static-'));
  mkdirSync(join(staticDir, 'customer'));
  mkdirSync(join(staticDir, 'assets'));
  writeFileSync(join(staticDir, 'customer', 'index.html'), '<!doctype html><title>customer</title><script type="module" src="/assets/customer-abc123.js"></script>');
  writeFileSync(join(staticDir, 'assets', 'customer-abc123.js'), 'console.log(1)');
  writeFileSync(join(staticDir, 'assets', 'style-1.css'), 'body{}');
  writeFileSync(join(staticDir, 'secret.txt'), 'outside assets');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server?.close();
});

const base = () => `http://127.0.0.1:${server.port}`;

function expectCommonHeaders(res: Response): void {
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('permissions-policy')).toBe('camera=(self), microphone=(self), display-capture=(self)');
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
}

describe('customer page at /join/:token', () => {
  test('is served with the strict CSP, no-referrer, no-store and the other security headers', async () => {
    ({ server } = await startServer({ staticDir }));
    const a = await agent(server);
    clients.push(a.c);
    const inv = await invite(a.c);
    const res = await fetch(`${base()}/join/${inv.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('<title>customer</title>');
    expectCommonHeaders(res);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const csp = res.headers.get('content-security-policy')!;
    for (const d of ["default-src 'self'", `connect-src 'self' ws://127.0.0.1:${server.port}`, "img-src 'self' data: blob:", "media-src 'self' blob:",
      "style-src 'self' 'unsafe-inline'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  test('uses wss: in connect-src when the public URL is https', async () => {
    ({ server } = await startServer({ staticDir, publicUrl: 'https://assist.example.test' }));
    const res = await fetch(`${base()}/join/${'a'.repeat(43)}`);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' wss://assist.example.test");
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });

  test('when the page is not built: a clear 503 text, and the server keeps running', async () => {
    ({ server } = await startServer({ staticDir: join(staticDir, 'nope') }));
    const res = await fetch(`${base()}/join/${'a'.repeat(43)}`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/not built.*npm run build:web/);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  test('only GET/HEAD are allowed', async () => {
    ({ server } = await startServer({ staticDir }));
    const res = await fetch(`${base()}/join/${'a'.repeat(43)}`, { method: 'POST' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('assets, health, unknown paths', () => {
  test('/assets/* is served with the right MIME type and a long immutable cache', async () => {
    ({ server } = await startServer({ staticDir }));
    const js = await fetch(`${base()}/assets/customer-abc123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectCommonHeaders(js);
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${base()}/assets/style-1.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  test('path traversal out of /assets is refused', async () => {
    ({ server } = await startServer({ staticDir }));
    for (const p of ['/assets/..%2fsecret.txt', '/assets/%2e%2e/secret.txt', '/assets/..%5csecret.txt', '/assets/missing.js', '/assets/%E0%A4%A']) {
      const res = await fetch(`${base()}${p}`);
      expect([400, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('outside assets');
    }
  });

  test('GET /healthz reports ok, uptime, sockets and rooms', async () => {
    ({ server } = await startServer({ staticDir }));
    const a = await agent(server);
    clients.push(a.c);
    await invite(a.c);
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expectCommonHeaders(res);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ ok: true, sockets: 1, rooms: 1 });
    expect(typeof body.uptimeSec).toBe('number');
  });

  test('unknown paths are a JSON 404, and the telephony route does not exist without a telephony secret', async () => {
    ({ server } = await startServer({ staticDir }));
    const res = await fetch(`${base()}/etc/passwd`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'not found' } });
    expect((await fetch(`${base()}/telephony/contact`, { method: 'POST' })).status).toBe(404);
  });

  test('/favicon.ico is a quiet 204 (no 404 noise in the customer\'s console)', async () => {
    ({ server } = await startServer({ staticDir }));
    expect((await fetch(`${base()}/favicon.ico`)).status).toBe(204);
  });
});
