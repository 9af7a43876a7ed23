/**
 * The real client address and scheme of a request. X-Forwarded-For and
 * X-Forwarded-Proto are believed ONLY when the TCP peer is a configured
 * trusted proxy; otherwise anyone could claim any address and walk around
 * the per-address limits. With a chain of proxies, the client is the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy.
 */
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';

export interface ClientInfo { address: string; secure: boolean; viaProxy: boolean }

export function normaliseAddress(a: string | undefined): string {
  if (!a) return 'unknown';
  const s = a.trim().replace(/^\[|\]$/g, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(s);
  return m ? m[1]! : s.toLowerCase();
}

export class TrustedProxies {
  private list = new BlockList();
  readonly empty: boolean;
  constructor(entries: string[]) {
    this.empty = entries.length === 0;
    for (const e of entries) {
      if (e === 'loopback') { this.list.addSubnet('127.0.0.0', 8, 'ipv4'); this.list.addAddress('::1', 'ipv6'); continue; }
      const [addr, bits] = e.split('/');
      const fam = isIP(addr!) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(addr!, fam);
      else this.list.addSubnet(addr!, Number(bits), fam);
    }
  }
  has(address: string): boolean {
    if (this.empty) return false;
    const a = normaliseAddress(address);
    const fam = isIP(a);
    if (!fam) return false;
    return this.list.check(a, fam === 6 ? 'ipv6' : 'ipv4');
  }
}

function headerValue(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h.join(',') : h;
}

export function clientInfo(req: Pick<IncomingMessage, 'headers' | 'socket'>, trusted: TrustedProxies): ClientInfo {
  const peer = normaliseAddress(req.socket.remoteAddress);
  const tlsSocket = Boolean((req.socket as { encrypted?: boolean }).encrypted);
  if (!trusted.has(peer)) return { address: peer, secure: tlsSocket, viaProxy: false };
  const xff = headerValue(req.headers['x-forwarded-for']);
  let address = peer;
  if (xff) {
    const hops = xff.split(',').map((x) => normaliseAddress(x)).filter((x) => isIP(x));
    // Walk from the nearest hop outwards; stop at the first address we do not trust.
    for (let i = hops.length - 1; i >= 0; i--) {
      address = hops[i]!;
      if (!trusted.has(address)) break;
    }
  }
  const proto = headerValue(req.headers['x-forwarded-proto'])?.split(',').pop()?.trim().toLowerCase();
  return { address, secure: proto === 'https' || proto === 'wss' || (proto === undefined && tlsSocket), viaProxy: true };
}
