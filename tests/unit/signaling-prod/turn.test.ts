import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { iceServersFor, turnCredential } from '../../../signaling-server/turn';

describe('TURN REST credentials', () => {
  it('follow the TURN REST API: <expiry>:<member>, base64 hmac-sha1', () => {
    const now = 1_700_000_000_000;
    const c = turnCredential('s3cret-s3cret-s3cret', 'cust-1', 600, now);
    expect(c.username).toBe(`${1_700_000_000 + 600}:cust-1`);
    expect(c.credential).toBe(createHmac('sha1', 's3cret-s3cret-s3cret').update(c.username).digest('base64'));
    expect(c.expiresAt).toBe((1_700_000_000 + 600) * 1000);
  });

  it('give each member its own credential, next to the STUN and extra servers from config', () => {
    const cfg = { stunUrls: ['stun:127.0.0.1:3478'], turn: { secret: 'x'.repeat(20), urls: ['turn:127.0.0.1:3478?transport=udp'], ttlSec: 300 }, extra: [{ urls: 'stun:stun.example:3478' }] };
    const a = iceServersFor('agent-1', cfg);
    const b = iceServersFor('cust-1', cfg);
    expect(a[0]).toEqual({ urls: 'stun:127.0.0.1:3478' });
    expect(a[1]!.username).toMatch(/:agent-1$/);
    expect(b[1]!.username).toMatch(/:cust-1$/);
    expect(a[1]!.credential).not.toBe(b[1]!.credential);
    expect(a[2]).toEqual({ urls: 'stun:stun.example:3478' });
    expect(iceServersFor('x', { stunUrls: [] })).toEqual([]);
  });
});
