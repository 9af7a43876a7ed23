/**
 * Agent side of a still transfer. Every chunk is checked before it is kept:
 * a known transfer, the announced total, its index in range, and exactly the
 * length its index implies. When all chunks are in, the sha256 of the whole
 * (crypto.subtle) must equal the offer's; a mismatch rejects the still. A
 * stalled transfer times out; after a reconnect the missing chunks are asked
 * for again (resume). Bounded: size, chunk count, concurrent transfers.
 */
import type { BinaryFrame, Messenger } from '../call/peer/data-channel';
import { sha256Hex } from '../bytes/sha256';
import { STILLS_NS, type StillOffer, type StillMsg } from './protocol';

export interface ReceivedStill { transferId: number; requestId?: string; bytes: Uint8Array; sha256: string; mime: StillOffer['mime']; width: number; height: number; source: StillOffer['source'] }
export interface RecvProgress { transferId: number; received: number; total: number; bytes: number; state: 'receiving' | 'verifying' | 'done' | 'failed'; error?: string; requestId?: string; source: StillOffer['source'] }

const MAX_CONCURRENT = 2;
const STALL_MS = 30_000;

interface Incoming { offer: StillOffer; chunks: boolean[]; received: number; buf: Uint8Array; timer: ReturnType<typeof setTimeout> | null }

export class StillReceiver {
  private readonly inflight = new Map<number, Incoming>();
  private readonly stillFns = new Set<(s: ReceivedStill) => void>();
  private readonly progressFns = new Set<(p: RecvProgress) => void>();

  constructor(private readonly m: Messenger, private readonly stallMs = STALL_MS) {}

  onStill(fn: (s: ReceivedStill) => void): () => void { this.stillFns.add(fn); return () => this.stillFns.delete(fn); }
  onProgress(fn: (p: RecvProgress) => void): () => void { this.progressFns.add(fn); return () => this.progressFns.delete(fn); }

  /** Ask for every chunk not yet received (after the data channel comes back). */
  resumeAll(): void {
    for (const [transferId, t] of this.inflight) {
      const missing = t.chunks.flatMap((c, i) => (c ? [] : [i]));
      if (missing.length) this.m.send(STILLS_NS, { kind: 'resume', transferId, missing });
    }
  }

  onMessage(msg: StillMsg): void {
    if (msg.kind === 'offer') {
      if (this.inflight.size >= MAX_CONCURRENT) { this.m.send(STILLS_NS, { kind: 'error', transferId: msg.transferId, code: 'busy', message: 'two stills are already arriving' }); return; }
      if (this.inflight.has(msg.transferId)) return;
      const t: Incoming = { offer: msg, chunks: new Array<boolean>(msg.chunks).fill(false), received: 0, buf: new Uint8Array(msg.bytes), timer: null };
      this.inflight.set(msg.transferId, t);
      this.arm(msg.transferId, t);
      this.emit(t, 'receiving');
    } else if (msg.kind === 'abort') {
      const t = this.inflight.get(msg.transferId);
      if (t) this.fail(msg.transferId, t, 'aborted', false);
    }
  }

  onFrame(f: BinaryFrame): void {
    const t = this.inflight.get(f.transferId);
    if (!t) { this.m.send(STILLS_NS, { kind: 'error', transferId: f.transferId || 1, code: 'unknown_transfer', message: 'no offer for this transfer' }); return; }
    const o = t.offer;
    const expectLen = f.seq === o.chunks - 1 ? o.bytes - o.chunkSize * (o.chunks - 1) : o.chunkSize;
    if (f.total !== o.chunks || f.seq >= o.chunks || f.payload.length !== expectLen) {
      this.fail(f.transferId, t, 'bad_chunk', true, `chunk ${f.seq}/${f.total} of ${f.payload.length} bytes does not fit the offer`);
      return;
    }
    if (t.chunks[f.seq]) return; // a resent chunk we already have
    t.buf.set(f.payload, f.seq * o.chunkSize);
    t.chunks[f.seq] = true;
    t.received++;
    this.arm(f.transferId, t);
    if (t.received % 8 === 0 || t.received === o.chunks) {
      this.m.send(STILLS_NS, { kind: 'progress', transferId: f.transferId, received: t.received });
      this.emit(t, 'receiving');
    }
    if (t.received === o.chunks) void this.verify(f.transferId, t);
  }

  private async verify(transferId: number, t: Incoming): Promise<void> {
    if (t.timer) clearTimeout(t.timer);
    t.timer = null;
    this.emit(t, 'verifying');
    const got = await sha256Hex(t.buf);
    if (!this.inflight.has(transferId)) return;
    if (got !== t.offer.sha256) { this.fail(transferId, t, 'hash_mismatch', true, 'the still does not match its sha256; it was changed or damaged on the way'); return; }
    this.inflight.delete(transferId);
    this.m.send(STILLS_NS, { kind: 'done', transferId, sha256: got });
    this.emit(t, 'done');
    const o = t.offer;
    const still: ReceivedStill = { transferId, bytes: t.buf, sha256: got, mime: o.mime, width: o.width, height: o.height, source: o.source, ...(o.requestId ? { requestId: o.requestId } : {}) };
    for (const fn of this.stillFns) fn(still);
  }

  private arm(transferId: number, t: Incoming): void {
    if (t.timer) clearTimeout(t.timer);
    t.timer = setTimeout(() => this.fail(transferId, t, 'timeout', true, 'no chunk for too long'), this.stallMs);
  }

  private fail(transferId: number, t: Incoming, code: 'hash_mismatch' | 'bad_chunk' | 'timeout' | 'aborted', tell: boolean, message: string = code): void {
    if (t.timer) clearTimeout(t.timer);
    this.inflight.delete(transferId);
    if (tell) this.m.send(STILLS_NS, { kind: 'error', transferId, code, message });
    this.emit(t, 'failed', code);
  }

  private emit(t: Incoming, state: RecvProgress['state'], error?: string): void {
    const p: RecvProgress = { transferId: t.offer.transferId, received: t.received, total: t.offer.chunks, bytes: t.offer.bytes, source: t.offer.source, state, ...(error ? { error } : {}), ...(t.offer.requestId ? { requestId: t.offer.requestId } : {}) };
    for (const fn of this.progressFns) fn(p);
  }

  close(): void {
    for (const [id, t] of this.inflight) this.fail(id, t, 'aborted', true);
  }
}
