/**
 * Still transfer over two real messengers (the session's data-channel layer)
 * joined by an in-memory link: chunking, per-chunk checks, sha256 of the
 * whole, tampering, resume after a drop, abort.
 */
import { describe, expect, it } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { sha256Hex } from '../../../src-renderer/bytes/sha256';
import { STILLS_NS, StillMsg } from '../../../src-renderer/stills/protocol';
import { StillReceiver, type ReceivedStill, type RecvProgress } from '../../../src-renderer/stills/receiver';
import { StillSender, type SendProgress } from '../../../src-renderer/stills/sender';

type Tamper = (data: string | Uint8Array, n: number) => string | Uint8Array | null;

function link(tamper: Tamper = (d) => d) {
  const a = createMessenger(), b = createMessenger();
  let n = 0;
  let up = true;
  const pipe = (to: Messenger) => ({
    send(d: string | Uint8Array) {
      if (!up) return false;
      const copy = typeof d === 'string' ? d : d.slice();
      const out = tamper(copy, n++);
      if (out !== null) queueMicrotask(() => to.receive(out));
      return true;
    },
    bufferedAmount: () => 0,
  });
  a.attach(pipe(b)); b.attach(pipe(a));
  const sender = new StillSender(a, () => Promise.resolve());
  const receiver = new StillReceiver(b, 200);
  a.register(STILLS_NS, StillMsg, (m) => sender.onMessage(m));
  b.register(STILLS_NS, StillMsg, (m) => receiver.onMessage(m));
  b.registerBinary(STILLS_NS, (f) => receiver.onFrame(f));
  const errors: string[] = [];
  a.onError((e) => errors.push(e.code)); b.onError((e) => errors.push(e.code));
  return { a, b, sender, receiver, errors, setUp: (v: boolean) => { up = v; } };
}

function fakeJpeg(size: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  b.set([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x0b, 0xb8, 0x0f, 0xa0], 0); // SOF0 4000x3000
  return b;
}
const meta = { mime: 'image/jpeg' as const, width: 4000, height: 3000, source: 'camera' as const };

describe('full-resolution still over the data channel', () => {
  it('arrives whole in checked chunks; sha256 verified; progress on both sides', async () => {
    const { sender, receiver } = link();
    const bytes = fakeJpeg(1_000_000);
    const got: ReceivedStill[] = [];
    const recv: RecvProgress[] = [];
    const sent: SendProgress[] = [];
    receiver.onStill((s) => got.push(s));
    receiver.onProgress((p) => recv.push(p));
    const r = await sender.send(bytes, meta, (p) => sent.push(p));
    expect(r.ok).toBe(true);
    expect(got).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(got[0]!.bytes), Buffer.from(bytes))).toBe(0);
    expect(got[0]!.sha256).toBe(await sha256Hex(bytes));
    expect(got[0]!).toMatchObject({ width: 4000, height: 3000, mime: 'image/jpeg' });
    const total = Math.ceil(bytes.length / createMessenger().maxBinaryPayload);
    expect(total).toBeGreaterThan(10);
    expect(recv.at(-1)).toMatchObject({ state: 'done', received: total, total });
    expect(recv.some((p) => p.state === 'receiving' && p.received > 0 && p.received < total)).toBe(true);
    expect(sent.at(-1)).toMatchObject({ state: 'done', acked: total });
  });

  it('a tampered chunk (same length, one byte flipped) is rejected by the sha256; the sender hears hash_mismatch', async () => {
    const { sender, receiver } = link((d, n) => {
      if (typeof d !== 'string' && n === 5) { d[d.length - 1] = d[d.length - 1]! ^ 0xff; }
      return d;
    });
    const got: ReceivedStill[] = [];
    const fails: RecvProgress[] = [];
    receiver.onStill((s) => got.push(s));
    receiver.onProgress((p) => { if (p.state === 'failed') fails.push(p); });
    const r = await sender.send(fakeJpeg(400_000), meta);
    expect(r).toMatchObject({ ok: false, error: 'hash_mismatch' });
    expect(got).toEqual([]);
    expect(fails[0]!.error).toBe('hash_mismatch');
  });

  it('a chunk of the wrong length or index is refused before it is kept', async () => {
    const { sender, receiver } = link((d, n) => (typeof d !== 'string' && n === 3 ? d.subarray(0, d.length - 10) : d));
    const fails: string[] = [];
    receiver.onProgress((p) => { if (p.state === 'failed') fails.push(p.error!); });
    const r = await sender.send(fakeJpeg(300_000), meta);
    expect(r).toMatchObject({ ok: false, error: 'bad_chunk' });
    expect(fails).toEqual(['bad_chunk']);
  });

  it('offers that lie about their size or chunk count never reach the receiver', () => {
    expect(StillMsg.safeParse({ kind: 'offer', transferId: 1, bytes: 100_000, chunkSize: 65_000, chunks: 5, sha256: 'a'.repeat(64), mime: 'image/jpeg', width: 1, height: 1, source: 'camera' }).success).toBe(false);
    expect(StillMsg.safeParse({ kind: 'offer', transferId: 1, bytes: 17 * 1024 * 1024, chunkSize: 65_000, chunks: 275, sha256: 'a'.repeat(64), mime: 'image/jpeg', width: 1, height: 1, source: 'camera' }).success).toBe(false);
    expect(StillMsg.safeParse({ kind: 'offer', transferId: 1, bytes: 10, chunkSize: 2048, chunks: 1, sha256: 'a'.repeat(64), mime: 'image/gif', width: 1, height: 1, source: 'camera' }).success).toBe(false);
  });

  it('resumes after the link drops mid-transfer: the receiver asks for the missing chunks', async () => {
    let dropped = 0;
    const l = link((d, n) => {
      if (typeof d !== 'string' && n >= 4 && n < 9) { dropped++; return null; } // five chunks lost
      return d;
    });
    const got: ReceivedStill[] = [];
    l.receiver.onStill((s) => got.push(s));
    const bytes = fakeJpeg(900_000);
    const p = l.sender.send(bytes, meta);
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([]);
    l.receiver.resumeAll();
    const r = await p;
    expect(dropped).toBe(5);
    expect(r.ok).toBe(true);
    expect(Buffer.compare(Buffer.from(got[0]!.bytes), Buffer.from(bytes))).toBe(0);
  });

  it('a stalled transfer times out on the agent side and the customer is told', async () => {
    const l = link((d, n) => (typeof d !== 'string' && n >= 2 ? null : d));
    const r = await l.sender.send(fakeJpeg(500_000), meta);
    expect(r).toMatchObject({ ok: false, error: 'timeout' });
  });

  it('the customer can abort; the agent drops the partial still', async () => {
    const l = link((d, n) => (typeof d !== 'string' && n >= 3 ? null : d));
    const fails: string[] = [];
    l.receiver.onProgress((p) => { if (p.state === 'failed') fails.push(p.error!); });
    const p = l.sender.send(fakeJpeg(500_000), meta, (pr) => { if (pr.sent > 0) l.sender.abort(pr.transferId); });
    expect(await p).toMatchObject({ ok: false, error: 'aborted' });
    await new Promise((r) => setTimeout(r, 5));
    expect(fails).toEqual(['aborted']);
  });
  it('on a weak link the sender paces the still to the budget it is given, in small chunks, and it still arrives whole', async () => {
    const a = createMessenger(), b = createMessenger();
    const sentAt: Array<{ at: number; bytes: number }> = [];
    let clock = 0;
    const pipe = (to: Messenger, log: boolean) => ({
      send(d: string | Uint8Array) {
        if (log && typeof d !== 'string') sentAt.push({ at: clock, bytes: d.length });
        const copy = typeof d === 'string' ? d : d.slice();
        queueMicrotask(() => to.receive(copy));
        return true;
      },
      bufferedAmount: () => 0,
    });
    a.attach(pipe(b, true)); b.attach(pipe(a, false));
    // A virtual clock: sleeping advances it, so the test measures the pace, not the machine.
    const sender = new StillSender(a, (ms) => { clock += ms; return Promise.resolve(); }, () => clock);
    const receiver = new StillReceiver(b, 200);
    a.register(STILLS_NS, StillMsg, (m) => sender.onMessage(m));
    b.register(STILLS_NS, StillMsg, (m) => receiver.onMessage(m));
    b.registerBinary(STILLS_NS, (f) => receiver.onFrame(f));
    const got: ReceivedStill[] = [];
    receiver.onStill((s) => got.push(s));
    sender.setPace(() => 12_500); // 100 kbit/s
    const bytes = fakeJpeg(200_000);
    const r = await sender.send(bytes, meta);
    expect(r.ok).toBe(true);
    expect(got).toHaveLength(1);
    expect(got[0]!.sha256).toBe(await sha256Hex(bytes));
    expect(sentAt.length).toBeGreaterThanOrEqual(12); // 16 KiB chunks, not one 200 kB burst
    // 200 kB at 12.5 kB/s is 16 s; the first chunk goes at once, so the last leaves after ~14.7 s.
    const last = sentAt[sentAt.length - 1]!.at;
    expect(last).toBeGreaterThan(14_000);
    expect(last).toBeLessThan(17_000);
  });
});
