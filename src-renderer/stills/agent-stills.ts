/**
 * Agent side of the stills transport, one per call: receives every still the
 * customer device sends (receiver.ts verifies chunks and sha256) into the
 * call's StillMap, and asks for a full-resolution still on demand. If the
 * device declines, cannot capture, or nothing arrives in time, it falls back
 * to grabbing a frame of the remote video — marked as such, since it is the
 * compressed stream, not the camera's own picture.
 */
import type { Messenger } from '../call/peer/data-channel';
import { createStore, type Store } from '../call/observable-store';
import { sha256Hex } from '../bytes/sha256';
import { grabRemoteFrame } from './capture';
import { STILLS_NS, type StillMsg } from './protocol';
import { StillReceiver, type RecvProgress } from './receiver';
import { StillMap, type AgentStill } from './still-map';
import { stillsHub } from './wire';

export type { AgentStill } from './still-map';
export interface AgentStillsState { receiving: RecvProgress | null; requesting: boolean; error: string | null }

/** How long to wait for the device to answer at all, and then for its capture to start arriving. */
const ANSWER_WAIT_MS = 6_000;
const CAPTURE_WAIT_MS = 30_000;

export class AgentStills {
  readonly store: Store<AgentStillsState> = createStore<AgentStillsState>({ receiving: null, requesting: false, error: null });
  /** Every still of this call by sha256; the agent's views share it. */
  readonly map = new StillMap();
  private readonly receiver: StillReceiver;
  private readonly offs: Array<() => void> = [];
  private pending: { requestId: string; resolve: (how: 'offer' | 'declined' | 'timeout') => void; accepted: () => void } | null = null;

  constructor(private readonly m: Messenger) {
    this.receiver = new StillReceiver(m);
    const hub = stillsHub(m);
    const onMsg = (msg: StillMsg) => {
      if (msg.kind === 'offer' && this.pending && msg.requestId === this.pending.requestId) this.pending.resolve('offer');
      if (msg.kind === 'declined' && this.pending?.requestId === msg.requestId) this.pending.resolve('declined');
      if (msg.kind === 'accepted' && this.pending?.requestId === msg.requestId) this.pending.accepted();
      this.receiver.onMessage(msg);
    };
    const onFrame = (f: Parameters<StillReceiver['onFrame']>[0]) => this.receiver.onFrame(f);
    hub.msg.add(onMsg);
    hub.frame.add(onFrame);
    this.offs.push(() => { hub.msg.delete(onMsg); hub.frame.delete(onFrame); });
    // Freeze stills come and go with the annotation: they do not show as a transfer in the OCR panel.
    this.offs.push(this.receiver.onProgress((p) => { if (p.source !== 'freeze') this.store.set({ receiving: p.state === 'done' || p.state === 'failed' ? null : p, ...(p.state === 'failed' ? { error: p.error ?? 'failed' } : {}) }); }));
    this.offs.push(this.receiver.onStill((s) => this.map.put({ id: s.sha256.slice(0, 16), bytes: s.bytes, sha256: s.sha256, mime: s.mime, width: s.width, height: s.height, source: s.source, at: Date.now() })));
    this.offs.push(m.onOpenChange((open) => { if (open) this.receiver.resumeAll(); }));
  }

  /** Every still as it arrives (camera, file, freeze, frame grab). Returns unsubscribe. */
  onStill(fn: (s: AgentStill) => void): () => void { return this.map.onAdded(fn); }

  /** Ask for a full-resolution still; falls back to a frame of `video`. Resolves when a still has arrived or the fallback ran. */
  async request(video: HTMLVideoElement | null): Promise<'camera' | 'frame' | 'failed'> {
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
        const offA = this.receiver.onStill((s) => { if (s.requestId === requestId) { offA(); offB(); resolve(true); } });
        const offB = this.receiver.onProgress((p) => { if (p.requestId === requestId && p.state === 'failed') { offA(); offB(); resolve(false); } });
      });
      this.store.set({ requesting: false });
      if (ok) return 'camera';
    }
    try {
      if (!video) throw new Error('no video');
      const f = await grabRemoteFrame(video);
      this.map.put({ id: `frame-${Date.now().toString(36)}`, bytes: f.bytes, sha256: await sha256Hex(f.bytes), mime: f.mime, width: f.width, height: f.height, source: 'frame', at: Date.now() });
      this.store.set({ requesting: false });
      return 'frame';
    } catch {
      this.store.set({ requesting: false, error: 'no_still' });
      return 'failed';
    }
  }

  close(): void { for (const o of this.offs.splice(0)) o(); this.receiver.close(); }
}
