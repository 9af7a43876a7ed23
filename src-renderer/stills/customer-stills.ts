/**
 * Customer side: answers the agent's "take a still" with a full-resolution
 * capture from the local camera track, and sends photos the customer picks
 * from the gallery or files. Both go over the data channel as a checked,
 * chunked transfer, through the messenger's one sender (wire.ts), as the
 * annotation freeze does.
 */
import type { Messenger } from '../call/peer/data-channel';
import { createStore, type Store } from '../call/observable-store';
import { captureFromTrack, stillFromFile, type CapturedStill } from './capture';
import { STILLS_NS, type StillMsg } from './protocol';
import type { SendProgress, StillSender } from './sender';
import { stillSender, stillsHub } from './wire';

export interface CustomerStillsState {
  /** null when idle. */
  sending: (SendProgress & { source: 'camera' | 'file' }) | null;
  last: { ok: boolean; error?: string; width?: number; height?: number; method?: CapturedStill['method'] } | null;
}

export class CustomerStills {
  readonly store: Store<CustomerStillsState> = createStore<CustomerStillsState>({ sending: null, last: null });
  private readonly sender: StillSender;
  private readonly off: () => void;

  constructor(private readonly m: Messenger, private readonly getTrack: () => MediaStreamTrack | null, private readonly getVideo: () => HTMLVideoElement | null) {
    this.sender = stillSender(m);
    const hub = stillsHub(m);
    const fn = (msg: StillMsg) => { if (msg.kind === 'request') void this.onRequest(msg.requestId); };
    hub.msg.add(fn);
    this.off = () => hub.msg.delete(fn);
  }

  private async onRequest(requestId: string): Promise<void> {
    if (this.store.get().sending) { this.m.send(STILLS_NS, { kind: 'declined', requestId, reason: 'busy' }); return; }
    const track = this.getTrack();
    if (!track || track.readyState !== 'live') { this.m.send(STILLS_NS, { kind: 'declined', requestId, reason: 'no_camera' }); return; }
    this.m.send(STILLS_NS, { kind: 'accepted', requestId });
    let still: CapturedStill;
    try { still = await captureFromTrack(track, this.getVideo()); } catch { this.m.send(STILLS_NS, { kind: 'declined', requestId, reason: 'capture_failed' }); return; }
    await this.send(still, 'camera', requestId);
  }

  async sendFile(file: File): Promise<void> {
    let still: CapturedStill;
    try { still = await stillFromFile(file); } catch (e) { this.store.set({ last: { ok: false, error: 'unreadable' } }); return; }
    await this.send(still, 'file');
  }

  private async send(still: CapturedStill, source: 'camera' | 'file', requestId?: string): Promise<void> {
    this.store.set({ sending: { transferId: 0, sent: 0, acked: 0, total: 1, state: 'sending', source } });
    const r = await this.sender.send(still.bytes, { mime: still.mime, width: still.width, height: still.height, source, ...(requestId ? { requestId } : {}) },
      (p) => this.store.set({ sending: { ...p, source } }));
    this.store.set({ sending: null, last: r.ok ? { ok: true, width: still.width, height: still.height, method: still.method } : { ok: false, error: r.error } });
  }

  close(): void { this.off(); }
}
