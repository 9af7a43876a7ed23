import { describe, expect, test } from 'vitest';
import { mintAgentToken, safeEqualSecret, verifyAgentToken } from '../../../signaling-server/auth';

const SECRET = 'unit-secret-0123456789';
const NOW = 1_800_000_000_000;

describe('agent tokens', () => {
  test('a minted token verifies and carries the agent id, name and expiry', () => {
    const t = mintAgentToken(SECRET, 'agent-7', { name: 'Aiko', ttlSec: 3600, now: NOW });
    expect(t).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    const r = verifyAgentToken(SECRET, t, NOW + 1000);
    expect(r).toEqual({ ok: true, value: { sub: 'agent-7', name: 'Aiko', iat: NOW / 1000, exp: NOW / 1000 + 3600, kid: 'k1' } });
  });

  test('an expired token is refused as unauthorized', () => {
    const t = mintAgentToken(SECRET, 'agent-7', { ttlSec: 60, now: NOW });
    expect(verifyAgentToken(SECRET, t, NOW + 59_000).ok).toBe(true);
    expect(verifyAgentToken(SECRET, t, NOW + 60_000)).toMatchObject({ ok: false, code: 'unauthorized', message: 'token has expired' });
  });

  test('a token signed with another secret is refused', () => {
    const t = mintAgentToken('another-secret-0123456789', 'agent-7', { now: NOW });
    expect(verifyAgentToken(SECRET, t, NOW)).toMatchObject({ ok: false, code: 'unauthorized', message: 'token signature is invalid' });
  });

  test('changing the payload (e.g. the agent id) breaks the signature', () => {
    const t = mintAgentToken(SECRET, 'agent-7', { now: NOW });
    const [, mac] = t.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'agent-1', iat: NOW / 1000, exp: NOW / 1000 + 99999, kid: 'k1' })).toString('base64url');
    expect(verifyAgentToken(SECRET, `${forged}.${mac}`, NOW).ok).toBe(false);
  });

  test.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['three parts', 'a.b.c'],
    ['payload not JSON', `${Buffer.from('nope').toString('base64url')}.xxx`],
    ['payload missing exp', `${Buffer.from(JSON.stringify({ sub: 'a', iat: 1, kid: 'k1' })).toString('base64url')}.xxx`],
    ['payload with bad sub', `${Buffer.from(JSON.stringify({ sub: 'a b', iat: 1, exp: 2, kid: 'k1' })).toString('base64url')}.xxx`],
    ['very long', 'a'.repeat(5000)],
  ])('a garbled token (%s) is refused without throwing', (_n, tok) => {
    expect(verifyAgentToken(SECRET, tok, NOW)).toMatchObject({ ok: false, code: 'unauthorized' });
  });

  test('key rotation: a token signed with the old kid still verifies while that key is in the ring', () => {
    const old = mintAgentToken('old-secret-0123456789', 'agent-7', { kid: 'k0', now: NOW });
    expect(verifyAgentToken({ k0: 'old-secret-0123456789', k1: SECRET }, old, NOW).ok).toBe(true);
    expect(verifyAgentToken({ k1: SECRET }, old, NOW)).toMatchObject({ ok: false, message: 'token key is not known' });
  });

  test('a token dated in the future (beyond a minute of skew) is refused', () => {
    const t = mintAgentToken(SECRET, 'agent-7', { now: NOW + 5 * 60_000 });
    expect(verifyAgentToken(SECRET, t, NOW).ok).toBe(false);
  });

  test('minting refuses bad agent ids and empty secrets', () => {
    expect(() => mintAgentToken(SECRET, 'has space')).toThrow(/agent id/);
    expect(() => mintAgentToken('', 'a')).toThrow(/secret/);
  });

  test('safeEqualSecret compares secrets of different lengths without throwing', () => {
    expect(safeEqualSecret('abc', 'abc')).toBe(true);
    expect(safeEqualSecret('abc', 'abcd')).toBe(false);
    expect(safeEqualSecret('', 'x')).toBe(false);
  });
});
