/** Uploaded stills in this node's memory (the default, one node). Bounded in total bytes. */
import type { AppendResult, StillUploads, UploadRecord } from './upload-store';

interface Held { rec: UploadRecord, parts: Buffer[], received: number, until: number }

export class MemoryStillUploads implements StillUploads {
  private readonly held = new Map<string, Held>();
  private total = 0;

  /** `maxTotalBytes`: announced sizes of every live upload together (a create past it is refused). */
  constructor(private readonly maxTotalBytes = 256 * 1024 * 1024, private readonly now: () => number = Date.now) {}

  private sweep(): void {
    const t = this.now();
    for (const [id, h] of this.held) if (h.until <= t) this.drop(id, h);
  }

  private drop(id: string, h: Held): void {
    this.held.delete(id);
    this.total -= h.rec.bytes;
  }

  private live(id: string): Held | undefined {
    const h = this.held.get(id);
    if (h && h.until <= this.now()) { this.drop(id, h); return undefined; }
    return h;
  }

  async create(rec: UploadRecord, ttlMs: number): Promise<boolean> {
    this.sweep();
    if (this.held.has(rec.id) || this.total + rec.bytes > this.maxTotalBytes) return false;
    this.held.set(rec.id, { rec: { ...rec }, parts: [], received: 0, until: this.now() + ttlMs });
    this.total += rec.bytes;
    return true;
  }

  async append(id: string, offset: number, chunk: Buffer): Promise<AppendResult> {
    const h = this.live(id);
    if (!h) return { ok: false, reason: 'unknown', received: 0 };
    if (offset !== h.received) return { ok: false, reason: 'offset_mismatch', received: h.received };
    if (h.received + chunk.length > h.rec.bytes) return { ok: false, reason: 'too_large', received: h.received };
    h.parts.push(Buffer.from(chunk));
    h.received += chunk.length;
    return { ok: true, received: h.received };
  }

  async status(id: string): Promise<{ rec: UploadRecord, received: number } | undefined> {
    const h = this.live(id);
    return h ? { rec: { ...h.rec }, received: h.received } : undefined;
  }

  async read(id: string): Promise<{ rec: UploadRecord, bytes: Buffer } | undefined> {
    const h = this.live(id);
    if (!h) return undefined;
    if (h.parts.length > 1) h.parts = [Buffer.concat(h.parts)];
    return { rec: { ...h.rec }, bytes: Buffer.from(h.parts[0] ?? Buffer.alloc(0)) };
  }

  async remove(id: string): Promise<void> {
    const h = this.held.get(id);
    if (h) this.drop(id, h);
  }

  async openFor(roomId: string, memberId: string): Promise<number> {
    this.sweep();
    let n = 0;
    for (const h of this.held.values()) if (h.rec.roomId === roomId && h.rec.memberId === memberId && h.received < h.rec.bytes) n++;
    return n;
  }

  async close(): Promise<void> { this.held.clear(); this.total = 0; }
}
