/**
 * Customer side: answers the agent's "take a still" with a full-resolution
 * capture from the local camera track, and sends photos the customer picks
 * from the gallery or files. Both go over the data channel as a checked,
 * chunked transfer, through the messenger's one sender (wire.ts), as the
 * annotation freeze does.
 */
import type { Messenger } from '../call/peer/data-channel';
import { createStore, type Store } from '../call/store';
import { captureFromTrack, stillFromFile, type CapturedStill } from './capture';
import { STILLS_NS, type StillMsg } from './protocol';
import type { SendProgress, StillSender } from './sender';
import { stillSender, stillsHub } from './wire';
import { uploadStill } from './http-upload';
import { sha256Hex } from '../bytes/sha256';

export interface CustomerStillsState {
  /** null when idle. */
  sending: (SendProgress & { source: 'camera' | 'file' }) | null;
  last: { ok: boolean; error?: string; width?: number; height?: number; method?: CapturedStill['method'] } | null;
}

export class CustomerStills {
  readonly store: Store<CustomerStillsState> = createStore<CustomerStillsState>({ sending: null, last: null });
  private readonly sender: StillSender;
  private readonly off: () => void;

  private readonly seatToken: () => string | null;

  /**
   * `seatToken`: the customer's seat token, for sending over HTTP when the data channel is not open.
   * `answerRequests` false: only sends the customer's own photos (the no-connection fallback has no camera to answer with).
   */
  constructor(private readonly m: Messenger, private readonly getTrack: () => MediaStreamTrack | null, private readonly getVideo: () => HTMLVideoElement | null, opts: { seatToken?: () => string | null; answerRequests?: boolean } = {}) {
    this.seatToken = opts.seatToken ?? (() => null);
    const answer = opts.answerRequests ?? true;
    this.sender = stillSender(m);
    const hub = stillsHub(m);
    const fn = (msg: StillMsg) => { if (answer && msg.kind === 'request') void this.onRequest(msg.requestId); };
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
    const seat = this.m.isOpen() ? null : this.seatToken();
    if (seat) {
      // No data channel (a network that lets no WebRTC through): the same still over HTTP to the node.
      const r = await uploadStill(still.bytes, { sha256: await sha256Hex(still.bytes), bytes: still.bytes.length, mime: still.mime, width: still.width, height: still.height, source }, {
        seatToken: seat,
        onProgress: (p) => this.store.set({ sending: { transferId: 0, sent: p.sent, acked: p.sent, total: p.total, state: 'sending', source } }),
      });
      this.store.set({ sending: null, last: r.ok ? { ok: true, width: still.width, height: still.height, method: still.method } : { ok: false, error: r.error } });
      return;
    }
    const r = await this.sender.send(still.bytes, { mime: still.mime, width: still.width, height: still.height, source, ...(requestId ? { requestId } : {}) },
      (p) => this.store.set({ sending: { ...p, source } }));
    this.store.set({ sending: null, last: r.ok ? { ok: true, width: still.width, height: still.height, method: still.method } : { ok: false, error: r.error } });
  }

  close(): void { this.off(); }
}
