/**
 * The customer's side: renders the agent's marks over the camera preview,
 * freezes its own preview frame when the agent asks (and sends that still
 * through the stills transport, naming it by sha256 on the annotation
 * channel), and turns taps on the picture into pulses on the agent's screen.
 */
import type { Messenger } from '../../call/peer/data-channel';
import { createStore, type Store } from '../../call/store';
import { clampPoint, onPicture, toFrame } from '../model/coords';
import { AnnotationDoc } from '../model/doc';
import { newAuthorId } from '../model/ids';
import { AnnotationScene } from '../render/scene';
import { readViewport, watchVideo } from '../render/viewport';
import { AnnotationSync } from '../sync/annotation-sync';
import { sha256Hex } from '../../bytes/sha256';
import { decodeImage, encodeCanvas, grabVideoFrame } from '../../image/encode';
import { stillSender } from '../../stills/wire';

export interface CustomerAnnotationState { frozen: string | null; shapes: number; synced: boolean; rejections: number }

/** What the e2e tests and the benchmark read: when each (shape, version) was first drawn here (epoch ms). */
export interface CustomerProbe { drawn: Array<{ id: string; v: number; at: number }>; firstDrawn: Map<string, number> }

export class CustomerAnnotator {
  readonly doc = new AnnotationDoc(newAuthorId('c'));
  readonly store: Store<CustomerAnnotationState> = createStore<CustomerAnnotationState>({ frozen: null, shapes: 0, synced: false, rejections: 0 });
  readonly probe: CustomerProbe = { drawn: [], firstDrawn: new Map() };
  sync: AnnotationSync | null = null;
  scene: AnnotationScene | null = null;
  private video: HTMLVideoElement | null = null;
  private container: HTMLDivElement | null = null;
  private still: { image: ImageBitmap; w: number; h: number } | null = null;
  /** The encoded still last shown and sent (the agent shows these same bytes). */
  lastStill: { fid: string; bytes: Uint8Array; sha256: string } | null = null;
  private messenger: Messenger | null = null;
  private syncOffs: Array<() => void> = [];
  private tapSeq = 0;
  private readonly offDoc: () => void;

  constructor() {
    this.offDoc = this.doc.subscribe(() => this.store.set({ shapes: this.doc.size }));
  }

  attach(container: HTMLDivElement, video: HTMLVideoElement): () => void {
    this.container = container;
    this.video = video;
    const scene = new AnnotationScene(container, this.doc, readViewport(video), {
      interactive: false,
      onDrawn: (drawn, at) => {
        for (const d of drawn) {
          this.probe.drawn.push({ ...d, at });
          if (!this.probe.firstDrawn.has(d.id)) this.probe.firstDrawn.set(d.id, at);
        }
        if (this.probe.drawn.length > 5000) this.probe.drawn.splice(0, 1000);
      },
    });
    this.scene = scene;
    if (this.still) scene.setStill(this.still.image);
    const stop = watchVideo(video, () => this.refreshViewport());
    this.refreshViewport();
    return () => {
      stop();
      scene.destroy();
      if (this.scene === scene) { this.scene = null; this.video = null; this.container = null; }
    };
  }

  private refreshViewport(): void {
    if (!this.scene || !this.video) return;
    const vp = readViewport(this.video);
    if (this.still) { vp.frameW = this.still.w; vp.frameH = this.still.h; }
    this.scene.setViewport(vp);
  }

  connect(messenger: Messenger): () => void {
    this.disconnect();
    const sync = new AnnotationSync(messenger, this.doc, 'customer');
    this.sync = sync;
    this.messenger = messenger;
    this.syncOffs = [
      sync.on('freeze', (f) => { void (f.on ? this.freeze(f.fid) : this.unfreeze(f.fid)); }),
      sync.on('synced', () => this.store.set({ synced: true })),
      sync.on('open', (open) => {
        if (!open) { this.store.set({ synced: false }); return; }
        // A link that opens (a reload, a second agent's link promoted when the first left) belongs to an agent
        // who sends its own freeze on open; a freeze still on screen was the previous agent's, and would never end.
        const fr = this.store.get().frozen;
        if (fr) this.unfreeze(fr);
      }),
      sync.on('rejection', () => this.store.set({ rejections: this.store.get().rejections + 1 })),
      () => sync.dispose(),
    ];
    return () => this.disconnect();
  }

  disconnect(): void {
    for (const off of this.syncOffs.splice(0)) off();
    this.sync = null;
    this.messenger = null;
  }

  dispose(): void { this.disconnect(); this.offDoc(); }

  /** The agent asked to freeze: take our own preview frame, show it, send the same bytes. */
  private async freeze(fid: string): Promise<void> {
    if (!this.video) return;
    const frame = grabVideoFrame(this.video);
    if (!frame) return;
    this.store.set({ frozen: fid });
    const bytes = await encodeCanvas(frame, 'image/jpeg', 0.9);
    const img = await decodeImage(bytes, 'image/jpeg');
    if (this.store.get().frozen !== fid) { img.close(); return; }
    this.still?.image.close();
    this.still = { image: img, w: img.width, h: img.height };
    this.scene?.setStill(img);
    this.refreshViewport();
    const sha256 = await sha256Hex(bytes);
    this.lastStill = { fid, bytes, sha256 };
    // The name first, then the bytes the one way every still travels; the agent matches them by sha256.
    this.sync?.sendStill(fid, sha256);
    if (this.messenger) await stillSender(this.messenger).send(bytes, { mime: 'image/jpeg', width: img.width, height: img.height, source: 'freeze', sha256 });
  }

  private unfreeze(fid: string): void {
    if (this.store.get().frozen !== fid) return;
    this.store.set({ frozen: null });
    this.still?.image.close();
    this.still = null;
    this.scene?.setStill(null);
    this.refreshViewport();
  }

  onPointerDown(e: PointerEvent): void {
    if (!this.scene || !this.container) return;
    const r = this.container.getBoundingClientRect();
    const px = { x: e.clientX - r.left, y: e.clientY - r.top };
    if (!onPicture(px, this.scene.viewport, this.scene.content)) return;
    const p = clampPoint(toFrame(px, this.scene.viewport, this.scene.content));
    this.scene.pulse(p.x, p.y, '#00e5ff');
    this.sync?.sendTap(`t${++this.tapSeq}`, Math.round(p.x * 1e4) / 1e4, Math.round(p.y * 1e4) / 1e4);
  }
}
