/**
 * Customer side of a still transfer: offer, then chunks as fast as the data
 * channel drains (bufferedAmount kept under a high-water mark), or paced to
 * what the call's link leaves free when it is weak (setPace), then resend
 * whatever the agent reports missing after a reconnect. Keeps the bytes until
 * the agent confirms the hash or the transfer is aborted or times out.
 */
import type { Messenger } from '../call/peer/data-channel';
import { sha256Hex } from '../bytes/sha256';
import { MAX_STILL_BYTES, STILLS_NS, randomTransferId, type StillMime, type StillMsg, type StillOffer } from './protocol';

export interface SendProgress { transferId: number; sent: number; acked: number; total: number; state: 'sending' | 'done' | 'failed'; error?: string }

const HIGH_WATER = 1024 * 1024;
/** Paced transfers go in small chunks, so the pace is smooth and progress shows. */
const PACED_CHUNK = 16 * 1024;
const KEEP_MS = 120_000;

interface Outgoing { bytes: Uint8Array; chunkSize: number; total: number; sent: number; acked: number; timer: ReturnType<typeof setTimeout>; resolve: (ok: { ok: true } | { ok: false; error: string }) => void; onProgress?: (p: SendProgress) => void; pumping: Promise<void> | null; nextAt: number }

export class StillSender {
  private readonly out = new Map<number, Outgoing>();
  private pace: () => number | null = () => null;

  constructor(private readonly m: Messenger, private readonly sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)), private readonly now = () => performance.now()) {}

  /** Where the call knows its link: bytes per second a still may use now, or null for as fast as the channel drains. */
  setPace(fn: () => number | null): void { this.pace = fn; }

  /** Handle the agent's control messages for our transfers (wired by the customer controller). */
  onMessage(msg: StillMsg): void {
    if (!('transferId' in msg)) return;
    const o = this.out.get(msg.transferId);
    if (!o) return;
    if (msg.kind === 'progress') { o.acked = msg.received; this.emit(msg.transferId, o, 'sending'); }
    else if (msg.kind === 'resume') void this.pump(msg.transferId, o, msg.missing.filter((i) => i < o.total));
    else if (msg.kind === 'done') this.finish(msg.transferId, o, { ok: true });
    else if (msg.kind === 'error' || msg.kind === 'abort') this.finish(msg.transferId, o, { ok: false, error: msg.kind === 'error' ? msg.code : 'aborted' });
  }

  /** `meta.sha256` when the caller has already hashed the bytes (the agent verifies it either way). */
  async send(bytes: Uint8Array, meta: { mime: StillMime; width: number; height: number; source: StillOffer['source']; requestId?: string; sha256?: string }, onProgress?: (p: SendProgress) => void): Promise<{ ok: true; transferId: number } | { ok: false; error: string; transferId?: number }> {
    if (bytes.length === 0) return { ok: false, error: 'empty' };
    if (bytes.length > MAX_STILL_BYTES) return { ok: false, error: 'too_large' };
    const chunkSize = Math.min(this.m.maxBinaryPayload, this.pace() === null ? 256 * 1024 : PACED_CHUNK);
    const total = Math.ceil(bytes.length / chunkSize);
    const transferId = randomTransferId();
    const sha256 = meta.sha256 ?? await sha256Hex(bytes);
    const offer: StillMsg = { kind: 'offer', transferId, bytes: bytes.length, chunkSize, chunks: total, sha256, mime: meta.mime, width: meta.width, height: meta.height, source: meta.source, ...(meta.requestId ? { requestId: meta.requestId } : {}) };
    const r = this.m.send(STILLS_NS, offer);
    if (!r.ok) return { ok: false, error: r.error.code, transferId };
    return new Promise((resolve) => {
      const o: Outgoing = {
        bytes, chunkSize, total, sent: 0, acked: 0, pumping: null, nextAt: 0, onProgress,
        timer: setTimeout(() => this.finish(transferId, o, { ok: false, error: 'timeout' }), KEEP_MS),
        resolve: (res) => resolve(res.ok ? { ok: true, transferId } : { ok: false, error: res.error, transferId }),
      };
      this.out.set(transferId, o);
      void this.pump(transferId, o, Array.from({ length: total }, (_, i) => i));
    });
  }

  abort(transferId: number, reason = 'cancelled'): void {
    const o = this.out.get(transferId);
    if (!o) return;
    this.m.send(STILLS_NS, { kind: 'abort', transferId, reason });
    this.finish(transferId, o, { ok: false, error: 'aborted' });
  }

  private async pump(transferId: number, o: Outgoing, seqs: number[]): Promise<void> {
    // One pump at a time per transfer; a resume waits for the current pass.
    while (o.pumping) await o.pumping;
    o.pumping = (async () => {
      for (const seq of seqs) {
        if (!this.out.has(transferId)) return;
        while (this.m.bufferedAmount() > HIGH_WATER) { await this.sleep(5); if (!this.out.has(transferId)) return; }
        const payload = o.bytes.subarray(seq * o.chunkSize, Math.min(o.bytes.length, (seq + 1) * o.chunkSize));
        const rate = this.pace();
        if (rate !== null && rate > 0) {
          // Token bucket of one chunk: each chunk waits its share of the rate after the last.
          const now = this.now();
          if (o.nextAt > now) { await this.sleep(o.nextAt - now); if (!this.out.has(transferId)) return; }
          o.nextAt = Math.max(now, o.nextAt) + (payload.length / rate) * 1000;
        }
        const r = this.m.sendBinary(STILLS_NS, { transferId, seq, total: o.total, payload });
        if (!r.ok) return; // channel down: the agent asks for the missing chunks when it is back
        o.sent = Math.max(o.sent, seq + 1);
        if (seq % 8 === 0 || seq === o.total - 1) this.emit(transferId, o, 'sending');
      }
    })();
    try { await o.pumping; } finally { o.pumping = null; }
  }

  private emit(transferId: number, o: Outgoing, state: SendProgress['state'], error?: string): void {
    o.onProgress?.({ transferId, sent: o.sent, acked: o.acked, total: o.total, state, ...(error ? { error } : {}) });
  }

  private finish(transferId: number, o: Outgoing, res: { ok: true } | { ok: false; error: string }): void {
    if (!this.out.delete(transferId)) return;
    clearTimeout(o.timer);
    if (res.ok) o.acked = o.total;
    this.emit(transferId, o, res.ok ? 'done' : 'failed', res.ok ? undefined : res.error);
    o.resolve(res);
  }
}
