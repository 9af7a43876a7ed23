/**
 * The customer's camera (or screen) and microphone inside a call: the stand-in tracks that let
 * the agent's offer be answered while the camera opens, the swap of the real tracks onto the
 * live senders (no renegotiation), the rear/front switch, and whether a switch is offered.
 * Opening the devices themselves is local-media.ts's job; the call (customer-call.ts) says
 * which link the tracks go on.
 */
import type { PeerSession } from '../call/peer-session';
import type { Store } from '../call/store';
import type { CustomerCallState } from './customer-call';
import { acquireMedia, disposeStandIn, openNextCamera, resumeStandInAudio, standInStream, type Source } from './local-media';

export class CustomerMedia {
  private placeholder: MediaStream | null = null;
  private facing: 'environment' | 'user' = 'environment';
  /** The real camera (or screen) and microphone are on the link. */
  ready = false;

  constructor(private readonly d: {
    store: Store<CustomerCallState>;
    /** The main agent's link (it changes when a second agent's is promoted). */
    link(): PeerSession;
    over(): boolean;
    /** The launch size goes onto the sender before the camera's first frame (call/quality/launch.ts). */
    prepareTrack(track: MediaStreamTrack): Promise<void>;
    /** The same swap on the second agents' and technicians' links. */
    replaceOnExtras(old: MediaStreamTrack, track: MediaStreamTrack, stream: MediaStream): Promise<void>;
    /** The customer ended a screen share from the browser's own control. */
    hangUp(): void;
    /** The real media is in: anything that waited for it (a queued offer) goes on. */
    onReady(): void;
    marks: Record<string, number>;
  }) {}

  /** The stand-in stream while the camera is not ready yet: made once, and none once the real media is there or the call is over. */
  standIn(): MediaStream | null {
    if (!this.placeholder && !this.ready && !this.d.over()) this.placeholder = standInStream();
    return this.placeholder;
  }

  /** The Start gesture: the stand-in's audio graph (made while suspended, during consent) may run now. */
  wake(): void {
    const stand = this.standIn();
    if (stand) resumeStandInAudio(stand);
  }

  /** Opens the camera (or screen) and microphone and puts them on the link; a refusal shows as the media-error step and rejects. */
  open(source: Source): Promise<void> {
    return acquireMedia(source, () => this.d.hangUp()).then(async (s) => {
      this.d.marks.media = performance.now();
      const link = this.d.link();
      const stand = this.placeholder;
      const standTracks = stand?.getTracks() ?? [];
      if (stand && link.alive && link.localStream === stand) {
        // The call was set up while the camera was still opening: swap the real tracks in (no renegotiation).
        for (const real of s.getTracks()) {
          const slot = standTracks.find((t) => t.kind === real.kind);
          if (slot && real.kind === 'video') await this.d.prepareTrack(real);
          if (slot) await link.replaceTrack(slot, real);
        }
      } else {
        link.localStream = s;
      }
      this.placeholder = null;
      if (stand) disposeStandIn(stand, standTracks);
      this.ready = true;
      this.d.store.set({ localStream: s, hasMic: s.getAudioTracks().length > 0 });
      void this.refreshCameraCount();
      this.d.onReady();
    }, (err: Error) => {
      this.d.store.set({ phase: 'media-error', mediaError: `${err.name}: ${err.message}` });
      throw err;
    });
  }

  /** Rear <-> front camera (or the next camera), swapped on the live senders without renegotiation. */
  async switchCamera(): Promise<void> {
    const link = this.d.link();
    const stream = link.localStream;
    const old = stream?.getVideoTracks()[0];
    if (!stream || !old || this.d.store.get().source !== 'camera') return;
    this.facing = this.facing === 'environment' ? 'user' : 'environment';
    let fresh: MediaStream;
    try {
      fresh = await openNextCamera(old, this.facing);
    } catch (err) {
      this.d.store.set({ mediaError: (err as Error).message });
      return;
    }
    const track = fresh.getVideoTracks()[0]!;
    await link.replaceTrack(old, track);
    await this.d.replaceOnExtras(old, track, stream);
    this.d.store.set({ localStream: new MediaStream(stream.getTracks()) });
  }

  /** Stops the tracks on the link (the call is over, or the invite was refused). */
  stop(): void {
    for (const t of this.d.link().localStream?.getTracks() ?? []) t.stop();
  }

  private async refreshCameraCount() {
    try {
      const n = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === 'videoinput').length;
      this.d.store.set({ canSwitchCamera: this.d.store.get().source === 'camera' && (n > 1 || /iPhone|Android|Mobile/.test(navigator.userAgent)) });
    } catch { /* leave the button hidden */ }
  }
}
