/**
 * The agent's freeze-frame: the moment of the customer's picture the marks are drawn on while
 * it is held. The main agent's desk freezes and resumes, showing its own received frame at once
 * and the customer's sharp still once it arrives; a technician's page and the second agent's
 * desk only follow the main agent's freeze. The annotator owns the stage, so this is given the
 * callbacks that keep and paint the still and tell the other screens.
 */
import type { Store } from '../../call/observable-store';
import { decodeImage, grabVideoFrame } from '../../image/encode';
import type { AgentStill, StillMap } from '../../stills/still-map';
import { newFreezeId } from '../model/ids';
import type { FrozenState } from './state';

/** The still being shown while frozen (customer bytes once they arrive). */
export interface ShownStill { bytes: Uint8Array | null; sha256: string | null; mime: string; image: CanvasImageSource; w: number; h: number }

export class FreezeFrame {
  constructor(private readonly d: {
    store: Store<{ frozen: FrozenState | null }>;
    video: () => HTMLVideoElement | null;
    /** A technician's page or the second agent's desk: it follows the main agent's freeze and never freezes itself. */
    follower: () => boolean;
    /** The still the annotator shows and saves (null: none, live video). */
    keep: (still: ShownStill | null) => void;
    /** Put the image behind the marks (null: the live video again) and fit the frame to it. */
    paint: (image: CanvasImageSource | null) => void;
    /** Tell the customer and the technicians that we froze (or resumed) the picture. */
    tell: (fid: string, on: boolean) => void;
  }) {}

  toggle(): void { if (this.d.store.get().frozen) this.resume(); else this.freeze(); }

  freeze(): void {
    // the second agent annotates on the main agent's freeze; only the main agent's desk freezes the customer's picture
    const video = this.d.video();
    if (this.d.follower() || this.d.store.get().frozen || !video) return;
    const frame = grabVideoFrame(video);
    if (!frame) return;
    const fid = newFreezeId();
    // Our received frame at once, so the agent is never waiting; the customer's sharper still replaces it.
    this.d.keep({ bytes: null, sha256: null, mime: 'image/png', image: frame, w: frame.width, h: frame.height });
    this.d.store.set({ frozen: { fid, sha256: null, sharp: false } });
    this.d.paint(frame);
    this.d.tell(fid, true);
  }

  resume(): void {
    const fr = this.d.store.get().frozen;
    if (!fr || this.d.follower()) return;
    this.d.keep(null);
    this.d.store.set({ frozen: null });
    this.d.paint(null);
    this.d.tell(fr.fid, false);
  }

  /** A follower's desk: the main agent froze (`on`) or resumed the picture `fid`. */
  follow(fid: string, on: boolean): void { if (on) this.showAgentFreeze(fid); else this.endAgentFreeze(fid); }

  /**
   * Technician's page: the agent froze the picture. We show the frame of the customer's video we
   * have at that moment (our own received frame, as the agent's stage does before the customer's
   * sharp still arrives); marks are in frame coordinates, so they land on the same spot.
   */
  private showAgentFreeze(fid: string): void {
    if (!this.d.follower() || this.d.store.get().frozen?.fid === fid) return;
    const video = this.d.video();
    const frame = video ? grabVideoFrame(video) : null;
    if (!frame) return;
    this.d.keep({ bytes: null, sha256: null, mime: 'image/png', image: frame, w: frame.width, h: frame.height });
    this.d.store.set({ frozen: { fid, sha256: null, sharp: false } });
    this.d.paint(frame);
  }

  private endAgentFreeze(fid: string): void {
    if (this.d.store.get().frozen?.fid !== fid) return;
    this.d.keep(null);
    this.d.store.set({ frozen: null });
    this.d.paint(null);
  }

  /** The customer named its still for a freeze; show it if it is already in the stills map. */
  named(fid: string, sha256: string, stills: StillMap | null): void {
    const fr = this.d.store.get().frozen;
    if (!fr || fr.fid !== fid) return; // late still for a freeze already over
    this.d.store.set({ frozen: { ...fr, sha256 } });
    const still = stills?.get(sha256);
    if (still) void this.showStill(fid, still);
  }

  /** A still reached the stills map: it may be the one the current freeze is waiting for. */
  arrived(still: AgentStill): void {
    const fr = this.d.store.get().frozen;
    if (fr && !fr.sharp && fr.sha256 === still.sha256) void this.showStill(fr.fid, still);
  }

  private async showStill(fid: string, s: AgentStill): Promise<void> {
    let img: ImageBitmap;
    try { img = await decodeImage(s.bytes, s.mime); } catch { return; }
    const fr = this.d.store.get().frozen;
    if (fr?.fid !== fid || fr.sharp) { img.close(); return; }
    this.d.keep({ bytes: s.bytes, sha256: s.sha256, mime: s.mime, image: img, w: img.width, h: img.height });
    this.d.paint(img);
    this.d.store.set({ frozen: { fid, sha256: s.sha256, sharp: true } });
  }
}
