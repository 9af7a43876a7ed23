import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, test } from 'vitest';
import { verifyAgentToken } from '../../../signaling-server/auth';

const TSX = 'node_modules/.bin/tsx';
const SECRET = 'cli-secret-0123456789abcdef';
let child: ReturnType<typeof spawn> | undefined;
afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGTERM');
  child = undefined;
});

describe('npm run signaling (cli.ts)', () => {
  test('starts one node, prints "Signaling: <url>" as its first line, serves /healthz, and stops on SIGTERM', async () => {
    child = spawn(TSX, ['signaling-server/cli.ts', '--port', '0'], { env: { ...process.env, SIGNALING_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    const first = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (d: Buffer) => {
        buf += String(d);
        const nl = buf.indexOf('\n');
        if (nl >= 0) resolve(buf.slice(0, nl));
      });
      child!.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(first).toMatch(/^Signaling: http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.slice('Signaling: '.length);
    const h = await fetch(`${url}/healthz`);
    expect(((await h.json()) as { ok: boolean }).ok).toBe(true);
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 90_000);

  test('SIGNALING_DIRECTORY names the hand-off directory file; a bad one stops the start naming its problem', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'cli-dir-'));
    try {
      const file = join(dir, 'directory.json');
      writeFileSync(file, JSON.stringify({ people: [{ id: 'bob', queues: 'billing' }] }));
      const r = await promisify(execFile)(TSX, ['signaling-server/cli.ts', '--port', '0'], { env: { ...process.env, SIGNALING_SECRET: SECRET, SIGNALING_DIRECTORY: file } }).then(() => null, (e: { code: number, stderr: string }) => e);
      expect(r?.code).not.toBe(0);
      expect(r?.stderr).toMatch(/directory: 0\.queues/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  test('token --agent ID --ttl 8h prints a token the server accepts for 8 hours', async () => {
    const { stdout } = await promisify(execFile)(TSX, ['signaling-server/cli.ts', 'token', '--agent', 'agent-7', '--ttl', '8h'], { env: { ...process.env, SIGNALING_SECRET: SECRET } });
    const token = stdout.trim();
    const v = verifyAgentToken(SECRET, token, Date.now());
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.value.sub).toBe('agent-7');
      expect(v.value.exp - v.value.iat).toBe(8 * 3600);
    }
  }, 90_000);

  test('token without SIGNALING_SECRET fails with a clear message and exit code 2', async () => {
    const env = { ...process.env };
    delete env.SIGNALING_SECRET;
    const err = await promisify(execFile)(TSX, ['signaling-server/cli.ts', 'token', '--agent', 'a'], { env }).catch((e: { code: number, stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/SIGNALING_SECRET/);
  }, 90_000);
});
