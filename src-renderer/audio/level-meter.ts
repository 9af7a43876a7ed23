/**
 * A live level meter on a microphone track: an AnalyserNode read ten times a
 * second (timers, not animation frames, so a hidden window still notices
 * silence), RMS in dBFS and "no input" after three seconds below -60 dBFS
 * (model/level.ts).
 */
import { createStore, type Store } from '../call/observable-store';
import { initialSilence, LEVEL_FLOOR_DB, rmsDbfs, trackSilence, type SilenceState } from './model/level';

export interface LevelState { levelDb: number; noInput: boolean; running: boolean }
const EVERY_MS = 100;

export class LevelMeter {
  readonly store: Store<LevelState> = createStore<LevelState>({ levelDb: LEVEL_FLOOR_DB, noInput: false, running: false });
  private ctx: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private silence: SilenceState = initialSilence;
  private track: MediaStreamTrack | null = null;

  /** Meter this track (a new one replaces the last; null stops). */
  attach(track: MediaStreamTrack | null): void {
    if (track === this.track) return;
    this.stop();
    if (!track) return;
    this.track = track;
    const ctx = new AudioContext();
    this.ctx = ctx;
    const src = ctx.createMediaStreamSource(new MediaStream([track]));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    src.connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    this.silence = initialSilence;
    void ctx.resume().catch(() => {});
    this.timer = setInterval(() => {
      analyser.getFloatTimeDomainData(buf);
      // A disabled (muted) track feeds zeros: that is silence, which the UI shows as muted, not as no input.
      const levelDb = rmsDbfs(buf);
      this.silence = trackSilence(this.silence, levelDb, performance.now());
      this.store.set({ levelDb: Math.round(levelDb * 10) / 10, noInput: this.silence.noInput, running: true });
    }, EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    void this.ctx?.close().catch(() => {});
    this.ctx = null;
    this.track = null;
    this.store.set({ levelDb: LEVEL_FLOOR_DB, noInput: false, running: false });
  }
}
