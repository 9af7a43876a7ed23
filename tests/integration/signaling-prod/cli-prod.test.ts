/** The production CLI: configuration errors name field and source; key rotation through the token command. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyAgentToken } from '../../../signaling-server/auth';
import { Peer, startNode } from './nodes';

const run = promisify(execFile);
const TSX = 'node_modules/.bin/tsx';
const K1 = 'k1-secret-0123456789abcdef0123456789';
const K2 = 'k2-secret-0123456789abcdef0123456789';

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('SIGNALING_')) delete env[k];
  return { ...env, ...extra };
}

describe('npm run signaling (production configuration)', () => {
  it('refuses a bad configuration with exit code 2, naming every bad field and where it came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sigcli-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ limits: { maxMembersPerRoom: 7 }, redis: { url: 'http://nope' } }));
    const err = await run(TSX, ['signaling-server/cli.ts', '--config', file, '--host', '127.0.0.1'], { env: cleanEnv({ SIGNALING_PORT: '99999', SIGNALING_TURN_URLS: 'turn:x', SIGNALING_LOG_LEVEL: 'loud' }) })
      .catch((e: { code: number, stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    const stderr = (err as { stderr: string }).stderr;
    expect(stderr).toMatch(/configuration error/);
    expect(stderr).toMatch(/limits\.maxMembersPerRoom \(file .*bad\.json\)/);
    expect(stderr).toMatch(/redis\.url \(file .*bad\.json\): must be redis:\/\//);
    expect(stderr).toMatch(/log\.level \(env SIGNALING_LOG_LEVEL\)/);
    expect(stderr).toMatch(/port \(env SIGNALING_PORT\)/);
  }, 60_000);

  it('refuses several nodes (redis) without one shared grant-signing key, with exit code 2 and what to set', async () => {
    const err = await run(TSX, ['signaling-server/cli.ts', '--redis-url', 'redis://127.0.0.1:1', '--host', '127.0.0.1', '--port', '0'], { env: cleanEnv({ SIGNALING_SECRET: K1 }) })
      .catch((e: { code: number, stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toMatch(/SIGNALING_APPROVALS_KEY_FILE: required with redis\.url/);
  }, 60_000);

  it('rotates keys: tokens signed with the new key, old tokens still accepted until the old key is retired', async () => {
    const env = cleanEnv({ SIGNALING_AUTH_KEYS: `k1:${K1},k2:${K2}` });
    const fresh = (await run(TSX, ['signaling-server/cli.ts', 'token', '--agent', 'agent-r', '--ttl', '1h'], { env })).stdout.trim();
    expect(verifyAgentToken({ k2: K2 }, fresh).ok).toBe(true); // the newest key signs
    const old = (await run(TSX, ['signaling-server/cli.ts', 'token', '--agent', 'agent-r', '--kid', 'k1'], { env })).stdout.trim();
    expect(verifyAgentToken({ k1: K1 }, old).ok).toBe(true);

    const node = await startNode([], { SIGNALING_AUTH_KEYS: `k1:${K1},k2:${K2}`, SIGNALING_SECRET: '' });
    try {
      for (const t of [fresh, old]) {
        const p = await Peer.open(node.wsUrl);
        p.send({ type: 'auth', v: 1, token: t });
        expect((await p.next('welcome')).role).toBe('agent');
        p.close();
      }
    } finally { await node.kill('SIGTERM'); }

    const retired = await startNode([], { SIGNALING_AUTH_KEYS: `k1:${K1}:retired,k2:${K2}`, SIGNALING_SECRET: '' });
    try {
      const p = await Peer.open(retired.wsUrl);
      p.send({ type: 'auth', v: 1, token: old });
      expect((await p.next('error')).code).toBe('unauthorized');
      p.send({ type: 'auth', v: 1, token: fresh });
      expect((await p.next('welcome')).role).toBe('agent');
      p.close();
    } finally { await retired.kill('SIGTERM'); }
  }, 120_000);

  it('drains on SIGTERM: connected clients are told to reconnect, then the node exits 0', async () => {
    const node = await startNode(['--drain-grace', '1']);
    const p = await Peer.open(node.wsUrl);
    const exited = node.kill('SIGTERM');
    expect((await p.next('reconnect', () => true, 20_000)).graceMs).toBe(1000);
    expect((await p.closed).code).toBe(1012);
    expect(await exited).toBe(0);
  }, 60_000);
});
