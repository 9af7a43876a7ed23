/**
 * Agent side: asks the customer device for a full-resolution still and
 * receives it (receiver.ts verifies chunks and sha256). If the customer
 * device declines, cannot capture, or nothing arrives in time, falls back to
 * grabbing a frame of the remote video — marked as such, since it is the
 * compressed stream, not the camera's own picture.
 */
import type { Messenger } from '../call/peer/data-channel';
import { createStore, type Store } from '../call/store';
import { grabRemoteFrame } from './capture';
import { STILLS_NS, type StillMsg, type StillMime } from './protocol';
import { StillReceiver, type RecvProgress } from './receiver';
import { stillsHub } from './wire';

export interface AgentStill { id: string; bytes: Uint8Array; sha256?: string; mime: StillMime; width: number; height: number; source: 'camera' | 'file' | 'frame'; at: number }
export interface AgentStillsState { receiving: RecvProgress | null; requesting: boolean; error: string | null }

/** How long to wait for the device to answer at all, and then for its capture to start arriving. */
const ANSWER_WAIT_MS = 6_000;
const CAPTURE_WAIT_MS = 30_000;

export class AgentStills {
  readonly store: Store<AgentStillsState> = createStore<AgentStillsState>({ receiving: null, requesting: false, error: null });
  private readonly receiver: StillReceiver;
  private readonly listeners = new Set<(s: AgentStill) => void>();
  private readonly offs: Array<() => void> = [];
  private pending: { requestId: string; resolve: (how: 'offer' | 'declined' | 'timeout') => void; accepted: () => void } | null = null;

  constructor(private readonly m: Messenger, private readonly getVideo: () => HTMLVideoElement | null) {
    this.receiver = new StillReceiver(m);
    const hub = stillsHub(m);
    const onMsg = (msg: StillMsg) => {
      if (msg.kind === 'offer' && this.pending && msg.requestId === this.pending.requestId) this.pending.resolve('offer');
      if (msg.kind === 'declined' && this.pending?.requestId === msg.requestId) this.pending.resolve('declined');
      if (msg.kind === 'accepted' && this.pending?.requestId === msg.requestId) this.pending.accepted();
      this.receiver.onMessage(msg);
    };
    hub.msg.add(onMsg);
    hub.frame.add((f) => this.receiver.onFrame(f));
    this.offs.push(() => hub.msg.delete(onMsg));
    this.offs.push(this.receiver.onProgress((p) => this.store.set({ receiving: p.state === 'done' || p.state === 'failed' ? null : p, ...(p.state === 'failed' ? { error: p.error ?? 'failed' } : {}) })));
    this.offs.push(this.receiver.onStill((s) => this.emit({ id: s.sha256.slice(0, 16), bytes: s.bytes, sha256: s.sha256, mime: s.mime, width: s.width, height: s.height, source: s.source, at: Date.now() })));
    this.offs.push(m.onOpenChange((open) => { if (open) this.receiver.resumeAll(); }));
  }

  onStill(fn: (s: AgentStill) => void): () => void { this.listeners.add(fn); return () => this.listeners.delete(fn); }
  private emit(s: AgentStill): void { for (const fn of this.listeners) fn(s); }

  /** Ask for a full-resolution still; falls back to a remote frame grab. Resolves when a still has arrived or the fallback ran. */
  async request(): Promise<'camera' | 'frame' | 'failed'> {
    const requestId = Math.random().toString(36).slice(2, 12);
    this.store.set({ requesting: true, error: null });
    const sent = this.m.send(STILLS_NS, { kind: 'request', requestId });
    const how = sent.ok ? await new Promise<'offer' | 'declined' | 'timeout'>((resolve) => {
      let t = setTimeout(() => resolve('timeout'), ANSWER_WAIT_MS);
      this.pending = { requestId, resolve: (h) => { clearTimeout(t); resolve(h); }, accepted: () => { clearTimeout(t); t = setTimeout(() => resolve('timeout'), CAPTURE_WAIT_MS); } };
    }) : 'declined';
    this.pending = null;
    if (how === 'offer') {
      const ok = await new Promise<boolean>((resolve) => {
        const offA = this.onStill(() => { offA(); offB(); resolve(true); });
        const offB = this.receiver.onProgress((p) => { if (p.requestId === requestId && p.state === 'failed') { offA(); offB(); resolve(false); } });
      });
      this.store.set({ requesting: false });
      if (ok) return 'camera';
    }
    const video = this.getVideo();
    try {
      if (!video) throw new Error('no video');
      const f = await grabRemoteFrame(video);
      this.emit({ id: `frame-${Date.now().toString(36)}`, bytes: f.bytes, mime: f.mime, width: f.width, height: f.height, source: 'frame', at: Date.now() });
      this.store.set({ requesting: false });
      return 'frame';
    } catch {
      this.store.set({ requesting: false, error: 'no_still' });
      return 'failed';
    }
  }

  close(): void { for (const o of this.offs.splice(0)) o(); this.receiver.close(); }
}
