/**
 * The agent's microphone in a call: opening it on the chosen device with the
 * chosen processing, switching device mid-call without renegotiating, and
 * keeping mute and hold on whatever track is live. AgentCall owns one; the
 * device manager and the mic check set `inputDeviceId` and `processing`.
 */
import type { PeerSession } from '../call/peer-session';
import type { Store } from '../call/observable-store';

export interface MicProcessing { echoCancellation: boolean; noiseSuppression: boolean; autoGainControl: boolean }

/** The audio constraints for a device (null: the system default) with the given processing. */
export function micConstraints(processing: MicProcessing, deviceId: string | null): MediaTrackConstraints {
  return { ...processing, ...(deviceId ? { deviceId: { exact: deviceId } } : {}) };
}

/** The part of the call's state the microphone reads and writes. */
export interface MicState { micMuted: boolean; held: boolean; micDeviceId: string | null; micError: string | null }

export class AgentMic {
  /** Where the next microphone opens (null: the system default); the device manager keeps it. */
  inputDeviceId: string | null = null;
  processing: MicProcessing = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
  private opening: Promise<MediaStream | null> | null = null;

  constructor(private readonly d: {
    link: PeerSession;
    store: Store<MicState>;
    /** Test hook: constraints that replace the device choice. */
    custom?: () => MediaTrackConstraints | boolean | undefined;
  }) {}

  /** The live microphone track, if any. */
  get track(): MediaStreamTrack | null { return this.d.link.localStream?.getAudioTracks()[0] ?? null; }

  private get on(): boolean {
    const s = this.d.store.get();
    return !s.micMuted && !s.held;
  }

  /** Mute and hold apply to every track the call sends. */
  applyEnabled(): void {
    const on = this.on;
    for (const t of this.d.link.localStream?.getAudioTracks() ?? []) t.enabled = on;
  }

  /** Open the microphone on a device; one that vanished in the meantime falls back to the system default. */
  private async open(deviceId: string | null): Promise<MediaStream> {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: micConstraints(this.processing, deviceId) });
    } catch (err) {
      const name = (err as Error).name;
      if (!deviceId || (name !== 'OverconstrainedError' && name !== 'NotFoundError' && name !== 'NotReadableError')) throw err;
      return navigator.mediaDevices.getUserMedia({ audio: micConstraints(this.processing, null) });
    }
  }

  /**
   * Switch microphone mid-call: a new track replaces the old one on the live
   * sender (RTCRtpSender.replaceTrack, no renegotiation); mute and hold carry over.
   */
  async switchTo(deviceId: string | null): Promise<boolean> {
    const { link, store } = this.d;
    this.inputDeviceId = deviceId;
    let fresh: MediaStream;
    try { fresh = await this.open(deviceId); } catch (err) {
      store.set({ micError: (err as Error).message });
      return false;
    }
    const newTrack = fresh.getAudioTracks()[0];
    if (!newTrack) return false;
    newTrack.enabled = this.on;
    const cur = link.localStream;
    const old = cur?.getAudioTracks()[0];
    if (cur && old) {
      await link.replaceTrack(old, newTrack);
      old.stop();
    } else {
      link.localStream = fresh;
      this.opening = Promise.resolve(fresh);
    }
    store.set({ micError: null, micDeviceId: newTrack.getSettings().deviceId ?? deviceId ?? 'default' });
    return true;
  }

  /** The call's microphone stream, opened once however many triggers ask; null when there is none. */
  ensure(): Promise<MediaStream | null> {
    const { link, store } = this.d;
    if (link.localStream && link.localStream.getAudioTracks().some((t) => t.readyState === 'live')) return Promise.resolve(link.localStream);
    if (!this.opening) {
      const custom = this.d.custom?.();
      this.opening = (custom !== undefined ? navigator.mediaDevices.getUserMedia({ audio: custom }) : this.open(this.inputDeviceId)).then(
        (s) => {
          for (const t of s.getAudioTracks()) t.enabled = this.on;
          // A peer already running without a mic keeps its stream; requestPeer adds the track to it.
          if (!link.alive) link.localStream = s;
          store.set({ micError: null, micDeviceId: s.getAudioTracks()[0]?.getSettings().deviceId ?? null });
          return s;
        },
        (err: Error) => {
          // No microphone is not fatal: the agent still sees and hears the customer.
          store.set({ micError: err.message });
          this.opening = null;
          return null;
        },
      );
    }
    return this.opening;
  }

  /** The microphone being opened right now, if it is (null once it is open or failed). */
  get pendingOpen(): Promise<MediaStream | null> | null { return this.opening; }

  /** The call ended: the next call opens the microphone afresh. */
  reset(): void { this.opening = null; }
}
