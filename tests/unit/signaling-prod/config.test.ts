import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, redact } from '../../../signaling-server/config/index';
import { DEFAULT_ABUSE_LIMITS } from '../../../signaling-server/limits/index';

const dir = mkdtempSync(join(tmpdir(), 'sigcfg-'));
function file(name: string, body: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
}
const KEY = 'k'.repeat(40);

describe('signaling configuration', () => {
  it('with nothing configured gives the embedded default', () => {
    const r = loadConfig({ argv: [], env: {} });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.host).toBe('127.0.0.1');
    expect(r.config.port).toBe(7800);
    expect(r.config.redis).toBeUndefined();
    expect(r.config.tls).toBeUndefined();
    expect(r.config.ice.turn).toBeUndefined();
    expect(r.config.limits.maxMembersPerRoom).toBe(3);
    expect(r.config.limits.maxFrameBytes).toBe(DEFAULT_ABUSE_LIMITS.maxFrameBytes);
    expect(r.config.invites.ttlSec).toBe(900);
    expect(r.config.nodeId).toMatch(/^[A-Za-z0-9_.-]+$/);
  });

  it('merges flags over env over file over defaults', () => {
    const f = file('prec.json', { port: 1111, host: '0.0.0.0', publicUrl: 'https://file.example', limits: { messagesPerSec: 7 } });
    const r = loadConfig({ argv: ['--config', f, '--port', '3333'], env: { SIGNALING_PORT: '2222', SIGNALING_PUBLIC_URL: 'https://env.example' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.port).toBe(3333);
    expect(r.config.publicUrl).toBe('https://env.example');
    expect(r.config.host).toBe('0.0.0.0');
    expect(r.config.limits.messagesPerSec).toBe(7);
    // untouched siblings of a partially given object keep their defaults
    expect(r.config.limits.maxMembersPerRoom).toBe(3);
    expect(r.sources.port).toBe('flag --port');
    expect(r.sources.publicUrl).toBe('env SIGNALING_PUBLIC_URL');
    expect(r.sources.host).toBe(`file ${f}`);
  });

  it('names the field and the source of a bad value', () => {
    const f = file('bad.json', { limits: { maxMembersPerRoom: 9 } });
    const r = loadConfig({ argv: ['--config', f], env: { SIGNALING_PORT: '70000' } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.find((e) => e.startsWith('port (env SIGNALING_PORT)'))).toBeTruthy();
    expect(r.errors.find((e) => e.startsWith(`limits.maxMembersPerRoom (file ${f})`))).toBeTruthy();
  });

  it('rejects non-numbers, unknown flags, unknown file keys and unreadable files clearly', () => {
    const r1 = loadConfig({ argv: ['--port', 'eighty'], env: {} });
    expect(!r1.ok && r1.errors[0]).toMatch(/^port \(flag --port\): "eighty" is not an integer/);
    const r2 = loadConfig({ argv: ['--prot', '1'], env: {} });
    expect(!r2.ok && r2.errors[0]).toMatch(/unknown flag --prot/);
    const f = file('unknown.json', { prot: 1 });
    const r3 = loadConfig({ argv: ['--config', f], env: {} });
    expect(!r3.ok && r3.errors.join('\n')).toMatch(/unknown setting prot/);
    const r4 = loadConfig({ argv: ['--config', join(dir, 'missing.json')], env: {} });
    expect(!r4.ok && r4.errors[0]).toMatch(/cannot read: ENOENT/);
    const r5 = loadConfig({ argv: ['--config', file('broken.json', '{ "port": ')], env: {} });
    expect(!r5.ok && r5.errors[0]).toMatch(/not valid JSON/);
  });

  it('never takes secrets from flags', () => {
    const r = loadConfig({ argv: ['--turn-secret', 'abcdefabcdefabcdef'], env: {} });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0]).toMatch(/SIGNALING_TURN_SECRET/);
  });

  it('reads signing keys, TURN and redis from the environment and validates them', () => {
    const r = loadConfig({ argv: [], env: {
      SIGNALING_AUTH_KEYS: `old:${KEY}:retired,new:${'n'.repeat(40)}`,
      SIGNALING_TURN_SECRET: 'a-shared-secret-123', SIGNALING_TURN_URLS: 'turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp',
      SIGNALING_REDIS_URL: 'redis://127.0.0.1:6379', SIGNALING_TRUSTED_PROXIES: '10.0.0.0/8,loopback',
    } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.auth.keys.map((k) => [k.kid, k.retired])).toEqual([['old', true], ['new', false]]);
    expect(r.config.ice.turn?.urls).toHaveLength(2);
    expect(r.config.redis?.prefix).toBe('sig:');
    expect(r.config.trustedProxies).toEqual(['10.0.0.0/8', 'loopback']);
    expect(JSON.stringify(redact(r.config))).not.toContain('a-shared-secret-123');

    const bad = loadConfig({ argv: [], env: { SIGNALING_AUTH_KEYS: 'a:short', SIGNALING_TURN_URLS: 'http://x', SIGNALING_TURN_SECRET: 'x'.repeat(20), SIGNALING_TRUSTED_PROXIES: '10.0.0.0/40' } });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    const all = bad.errors.join('\n');
    expect(all).toMatch(/auth\.keys\.0\.secret \(env SIGNALING_AUTH_KEYS\): secret must be at least 16/);
    expect(all).toMatch(/ice\.turn\.urls\.0 \(env SIGNALING_TURN_URLS\): must be a turn:/);
    expect(all).toMatch(/trustedProxies\.0 \(env SIGNALING_TRUSTED_PROXIES\)/);
  });

  it('refuses an active key that is missing or retired', () => {
    const f = file('keys.json', { auth: { keys: [{ kid: 'a', secret: KEY, retired: true }], activeKid: 'a' } });
    const r = loadConfig({ argv: ['--config', f], env: {} });
    expect(!r.ok && r.errors.join()).toMatch(/auth\.activeKid .*retired/);
    const r2 = loadConfig({ argv: ['--config', f, '--active-kid', 'zz'], env: {} });
    expect(!r2.ok && r2.errors.join()).toMatch(/auth\.activeKid \(flag --active-kid\): no key with kid "zz"/);
  });

  it('supports --set for settings without a named flag and warns about unknown SIGNALING_ variables', () => {
    const r = loadConfig({ argv: ['--set', 'limits.codes.digits=9', '--set=drain.graceSec=2'], env: { SIGNALING_PROT: '1' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.limits.codes.digits).toBe(9);
    expect(r.config.drain.graceSec).toBe(2);
    expect(r.warnings[0]).toMatch(/SIGNALING_PROT/);
  });
});
