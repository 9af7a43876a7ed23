/**
 * Agent side of the stills transport, one per call: receives every still the
 * customer device sends (receiver.ts verifies chunks and sha256) into the
 * call's StillMap, and asks for a full-resolution still on demand. If the
 * device declines, cannot capture, or is slow to answer, a frame of the
 * remote video stands in — marked as such, since it is the compressed
 * stream, not the camera's own picture; a slow answer still brings the
 * full-resolution still afterwards.
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
export interface AgentStillsState {
  receiving: RecvProgress | null;
  requesting: boolean;
  /** A frame of the video stands in while the device's full-resolution still is still on its way. */
  previewing: boolean;
  error: string | null;
}

/** How long before a frame of the video stands in as a preview; how long an unanswered request stays open; and the capture's wait once accepted. */
const ANSWER_WAIT_MS = 6_000;
const LATE_WAIT_MS = 45_000;
const CAPTURE_WAIT_MS = 30_000;

export class AgentStills {
  readonly store: Store<AgentStillsState> = createStore<AgentStillsState>({ receiving: null, requesting: false, previewing: false, error: null });
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

  /**
   * Ask for a full-resolution still. If the device has not answered within ANSWER_WAIT_MS (a weak
   * link can hold the data channel for seconds), a frame of `video` is shown at once as a preview
   * (marked 'frame'), and the request stays open: the device's still, when it comes, lands beside it.
   * Resolves 'camera' when the still has arrived, 'frame' when only the preview exists, 'failed' when neither.
   */
  async request(video: HTMLVideoElement | null): Promise<'camera' | 'frame' | 'failed'> {
    const requestId = Math.random().toString(36).slice(2, 12);
    this.store.set({ requesting: true, previewing: false, error: null });
    let preview = false;
    const grabPreview = async (): Promise<void> => {
      if (preview) return;
      preview = true;
      this.store.set({ previewing: true });
      if (await this.grabFrame(video)) return;
      preview = false;
      this.store.set({ previewing: false });
    };
    const sent = this.m.send(STILLS_NS, { kind: 'request', requestId });
    const how = !sent.ok ? 'declined' : await new Promise<'offer' | 'declined' | 'timeout'>((resolve) => {
      let late = setTimeout(() => resolve('timeout'), LATE_WAIT_MS);
      const answer = setTimeout(() => void grabPreview(), ANSWER_WAIT_MS);
      this.pending = {
        requestId,
        resolve: (h) => { clearTimeout(answer); clearTimeout(late); resolve(h); },
        // Accepted: the device is capturing; give its capture the whole wait from now.
        accepted: () => { clearTimeout(answer); clearTimeout(late); late = setTimeout(() => resolve('timeout'), CAPTURE_WAIT_MS); },
      };
    });
    this.pending = null;
    if (how === 'offer') {
      const ok = await new Promise<boolean>((resolve) => {
        const offA = this.receiver.onStill((s) => { if (s.requestId === requestId) { offA(); offB(); resolve(true); } });
        const offB = this.receiver.onProgress((p) => { if (p.requestId === requestId && p.state === 'failed') { offA(); offB(); resolve(false); } });
      });
      if (ok) { this.store.set({ requesting: false, previewing: false }); return 'camera'; }
    }
    if (!preview) await grabPreview();
    this.store.set({ requesting: false, previewing: false, ...(preview ? {} : { error: 'no_still' }) });
    return preview ? 'frame' : 'failed';
  }

  /** A frame of the remote video into the map, marked as such (it is the compressed stream). */
  private async grabFrame(video: HTMLVideoElement | null): Promise<boolean> {
    try {
      if (!video) return false;
      const f = await grabRemoteFrame(video);
      this.map.put({ id: `frame-${Date.now().toString(36)}`, bytes: f.bytes, sha256: await sha256Hex(f.bytes), mime: f.mime, width: f.width, height: f.height, source: 'frame', at: Date.now() });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A still the customer sent over HTTP (no data channel): fetch it with the agent's bearer and
   * keep it only if its bytes match the sha256 the node checked on arrival.
   */
  async fetchUpload(m: { uploadId: string; sha256: string; bytes: number; mime: AgentStill['mime']; width: number; height: number; source: 'camera' | 'file' }, access: { base: string; token: string }, fetchFn: typeof fetch = fetch): Promise<'ok' | 'failed'> {
    try {
      const res = await fetchFn(`${access.base}/stills/${encodeURIComponent(m.uploadId)}`, { headers: { authorization: `Bearer ${access.token}` }, cache: 'no-store' });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length !== m.bytes || (await sha256Hex(bytes)) !== m.sha256) throw new Error('hash_mismatch');
      this.map.put({ id: m.sha256.slice(0, 16), bytes, sha256: m.sha256, mime: m.mime, width: m.width, height: m.height, source: m.source, at: Date.now() });
      return 'ok';
    } catch (err) {
      this.store.set({ error: `upload_${(err as Error).message}` });
      return 'failed';
    }
  }

  close(): void { for (const o of this.offs.splice(0)) o(); this.receiver.close(); }
}
