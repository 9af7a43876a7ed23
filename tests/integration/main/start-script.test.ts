import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSignIn } from '../auth/support';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startWorkstation, type StartedWorkstation } from '../../../scripts/start';
import { memoryLogger } from '../../../src-main/log';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'va-start-')); });
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

/** Wait until the output holds both lines (or the process dies). */
function waitForLines(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolveOut, rejectOut) => {
    let out = '';
    const timer = setTimeout(() => rejectOut(new Error(`timed out; output so far:\n${out}`)), timeoutMs);
    const check = () => {
      if (/^Workstation: \S+$/m.test(out) && /^Signaling: \S+$/m.test(out)) { clearTimeout(timer); resolveOut(out); }
    };
    child.stdout!.on('data', (c: Buffer) => { out += c.toString(); check(); });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); rejectOut(new Error(`start exited early (${code}):\n${out}`)); });
  });
}

describe('npm start (scripts/start.ts)', () => {
  it('prints the reason, then Workstation and Signaling URLs that answer, and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, VISUAL_ASSIST_SIGNALING_PORT: '0', VISUAL_ASSIST_WEB_PORT: '0', VISUAL_ASSIST_DATA: join(dir, 'spawned'), VISUAL_ASSIST_HOST: 'auto' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const out = await waitForLines(child, 45_000);
      const lines = out.split('\n');
      const wi = lines.findIndex((l) => l.startsWith('Workstation: '));
      expect(lines[wi + 1]).toMatch(/^Signaling: http:\/\/127\.0\.0\.1:\d+$/);
      // No Electron binary can be downloaded here, so the reason line must say why the web host is used.
      expect(lines.slice(0, wi).join('\n')).toMatch(/Electron.*using the web host|using the web host/);
      const workstationUrl = lines[wi]!.slice('Workstation: '.length);
      expect(workstationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#k=[A-Za-z0-9_-]{43}$/);
      const signalingUrl = lines[wi + 1]!.slice('Signaling: '.length);

      const secret = workstationUrl.split('#k=')[1]!;
      const origin = new URL(workstationUrl).origin;
      const invoke = async (channel: string) => (await fetch(`${origin}/api/invoke`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${secret}` },
        body: JSON.stringify({ channel, input: {} }),
      })).json() as Promise<{ ok: boolean; value: Record<string, unknown> & { url: string }; error?: { code: string } }>;
      // With no configuration, users sign in on the embedded provider with the demo users (README).
      expect(out).toContain(`Sign-in: ${signalingUrl}/oidc`);
      expect(await invoke('app:getSessionConfig')).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
      expect(await invoke('auth:status')).toMatchObject({ ok: true, value: { mode: 'oidc', user: null, issuer: `${signalingUrl}/oidc` } });
      const start = await invoke('auth:signIn');
      // follow the browser's path through the provider's form and the web host's callback
      await browserSignIn(start.value.url, 'agent', 'demo-agent', 'http://never.invalid/');
      expect(await invoke('auth:status')).toMatchObject({ ok: true, value: { user: { sub: 'agent', name: 'Demo Agent', roles: ['agent'] } } });
      const body = await invoke('app:getSessionConfig') as unknown as { ok: boolean; value: { signalingUrl: string; agentToken: string; host: string; agentId: string } };
      expect(body.ok).toBe(true);
      expect(body.value.agentId).toBe('agent');
      expect(body.value.signalingUrl).toBe(signalingUrl);
      expect(body.value.host).toBe('web');
      expect(body.value.agentToken.length).toBeGreaterThan(20);
      expect((await fetch(`${signalingUrl}/healthz`)).status).toBe(200);

      const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
      await expect(fetch(`${signalingUrl}/healthz`)).rejects.toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 120_000);

  it('startWorkstation() runs in-process on port 0, mints tokens the signaling server accepts, and closes both', async () => {
    let ws: StartedWorkstation | undefined;
    try {
      ws = await startWorkstation({ host: 'web', signalingPort: 0, webPort: 0, dataDir: join(dir, 'inproc'), log: memoryLogger(), signalingLog: () => {} });
      expect(ws.host).toBe('web');
      expect(ws.workstationUrl).toBe(`${ws.web!.webHost.origin}/#k=${ws.secret}`);
      const r = await ws.web!.router.dispatch('app:getSessionConfig', {}, { host: 'web' });
      expect(r.ok).toBe(true);
      const token = (r as { ok: true; value: { agentToken: string } }).value.agentToken;

      // The token must authenticate on the real signaling socket.
      const { WebSocket } = await import('ws');
      const sock = new WebSocket(ws.signalingUrl.replace(/^http/, 'ws') + '/ws');
      const first = await new Promise<Record<string, unknown>>((res, rej) => {
        sock.once('open', () => sock.send(JSON.stringify({ type: 'auth', v: 1, token })));
        sock.once('message', (d) => res(JSON.parse(String(d))));
        sock.once('error', rej);
      });
      sock.close();
      expect(first).toMatchObject({ type: 'welcome', role: 'agent' });
    } finally {
      await ws?.close();
    }
    await expect(fetch(`${ws!.signalingUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(`${ws!.web!.webHost.origin}/`)).rejects.toThrow();
  });
});
