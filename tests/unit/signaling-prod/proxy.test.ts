import { describe, expect, it } from 'vitest';
import { clientInfo, TrustedProxies } from '../../../signaling-server/config/index';

function req(remoteAddress: string, headers: Record<string, string> = {}, encrypted = false) {
  return { socket: { remoteAddress, encrypted } as never, headers };
}

describe('forwarded headers', () => {
  it('are ignored from peers that are not trusted proxies', () => {
    const t = new TrustedProxies(['10.0.0.1']);
    const c = clientInfo(req('203.0.113.9', { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' }), t);
    expect(c).toEqual({ address: '203.0.113.9', secure: false, viaProxy: false });
    const none = clientInfo(req('::ffff:10.0.0.1', { 'x-forwarded-for': '1.2.3.4' }), new TrustedProxies([]));
    expect(none.address).toBe('10.0.0.1');
  });

  it('give the client address and scheme behind a trusted proxy', () => {
    const t = new TrustedProxies(['10.0.0.0/8']);
    const c = clientInfo(req('::ffff:10.1.2.3', { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' }), t);
    expect(c).toEqual({ address: '198.51.100.7', secure: true, viaProxy: true });
  });

  it('take the right-most untrusted hop, so a client cannot spoof its address by prepending one', () => {
    const t = new TrustedProxies(['10.0.0.0/8', 'loopback']);
    const c = clientInfo(req('127.0.0.1', { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.5' }), t);
    expect(c.address).toBe('198.51.100.7');
  });

  it('handle IPv6 proxies and clients', () => {
    const t = new TrustedProxies(['2001:db8::/32']);
    const c = clientInfo(req('2001:db8::1', { 'x-forwarded-for': '2001:db9::42' }), t);
    expect(c.address).toBe('2001:db9::42');
  });
});
