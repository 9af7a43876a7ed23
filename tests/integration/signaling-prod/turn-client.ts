/**
 * Just enough of a TURN client (RFC 5766 Allocate with long-term credentials,
 * RFC 5389 message integrity) to ask a real coturn whether it accepts a
 * credential the server minted. Browsers do the same thing in the e2e test.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

const MAGIC = 0x2112a442;
const ATTR = { USERNAME: 0x0006, MESSAGE_INTEGRITY: 0x0008, ERROR_CODE: 0x0009, REALM: 0x0014, NONCE: 0x0015, REQUESTED_TRANSPORT: 0x0019, XOR_RELAYED_ADDRESS: 0x0016 };

function attr(type: number, value: Buffer): Buffer {
  const pad = (4 - (value.length % 4)) % 4;
  const h = Buffer.alloc(4);
  h.writeUInt16BE(type, 0);
  h.writeUInt16BE(value.length, 2);
  return Buffer.concat([h, value, Buffer.alloc(pad)]);
}

function message(type: number, tid: Buffer, attrs: Buffer[], integrityKey?: Buffer): Buffer {
  let body = Buffer.concat(attrs);
  const header = (len: number) => {
    const h = Buffer.alloc(20);
    h.writeUInt16BE(type, 0);
    h.writeUInt16BE(len, 2);
    h.writeUInt32BE(MAGIC, 4);
    tid.copy(h, 8);
    return h;
  };
  if (integrityKey) {
    // the length field counts the MESSAGE-INTEGRITY attribute that follows
    const mac = createHmac('sha1', integrityKey).update(Buffer.concat([header(body.length + 24), body])).digest();
    body = Buffer.concat([body, attr(ATTR.MESSAGE_INTEGRITY, mac)]);
  }
  return Buffer.concat([header(body.length), body]);
}

function parse(buf: Buffer): { type: number, attrs: Map<number, Buffer> } {
  const type = buf.readUInt16BE(0);
  const len = buf.readUInt16BE(2);
  const attrs = new Map<number, Buffer>();
  let off = 20;
  while (off + 4 <= 20 + len) {
    const t = buf.readUInt16BE(off);
    const l = buf.readUInt16BE(off + 2);
    attrs.set(t, buf.subarray(off + 4, off + 4 + l));
    off += 4 + l + ((4 - (l % 4)) % 4);
  }
  return { type, attrs };
}

export type AllocateResult = { ok: true, relayedPort: number } | { ok: false, status: number, reason: string };

/** Allocate a UDP relay on `host:port` with TURN REST credentials; releases nothing (coturn expires it). */
export async function turnAllocate(host: string, port: number, username: string, password: string): Promise<AllocateResult> {
  const sock = createSocket('udp4');
  const request = (msg: Buffer) => new Promise<Buffer>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no TURN answer within 3 s')), 3000);
    sock.once('message', (m) => { clearTimeout(t); resolve(m); });
    sock.send(msg, port, host);
  });
  try {
    const transport = attr(ATTR.REQUESTED_TRANSPORT, Buffer.from([17, 0, 0, 0]));
    const first = parse(await request(message(0x0003, randomBytes(12), [transport])));
    const realm = first.attrs.get(ATTR.REALM);
    const nonce = first.attrs.get(ATTR.NONCE);
    if (!realm || !nonce) return { ok: false, status: first.type, reason: 'no realm/nonce challenge' };
    const key = createHash('md5').update(`${username}:${realm.toString()}:${password}`).digest();
    const second = parse(await request(message(0x0003, randomBytes(12), [
      transport, attr(ATTR.USERNAME, Buffer.from(username)), attr(ATTR.REALM, realm), attr(ATTR.NONCE, nonce),
    ], key)));
    if (second.type === 0x0103) {
      const x = second.attrs.get(ATTR.XOR_RELAYED_ADDRESS);
      return { ok: true, relayedPort: x ? x.readUInt16BE(2) ^ (MAGIC >>> 16) : 0 };
    }
    const ec = second.attrs.get(ATTR.ERROR_CODE);
    const status = ec ? ec[2]! * 100 + ec[3]! : second.type;
    return { ok: false, status, reason: ec ? ec.subarray(4).toString() : 'unexpected reply' };
  } finally {
    sock.close();
  }
}
