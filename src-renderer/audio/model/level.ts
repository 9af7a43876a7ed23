/**
 * Microphone level (pure). dBFS after AES17: a full-scale sine reads 0 dBFS,
 * so RMS is scaled by sqrt(2) and a sine of peak 0.1 reads -20 dBFS.
 */
export const LEVEL_FLOOR_DB = -100;
/** Below this the input counts as silent (a quiet room through a live headset mic sits around -70 to -55). */
export const SILENCE_DB = -60;
export const NO_INPUT_AFTER_MS = 3000;

export function rmsDbfs(samples: ArrayLike<number>): number {
  if (!samples.length) return LEVEL_FLOOR_DB;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) { const s = samples[i]!; sum += s * s; }
  const rms = Math.sqrt(sum / samples.length);
  if (rms <= 0) return LEVEL_FLOOR_DB;
  return Math.max(LEVEL_FLOOR_DB, 20 * Math.log10(rms * Math.SQRT2));
}

export interface SilenceState { silentSince: number | null; noInput: boolean }
export const initialSilence: SilenceState = { silentSince: null, noInput: false };

/** "No input" once the level has stayed below SILENCE_DB for three seconds; any sound clears it at once. */
export function trackSilence(st: SilenceState, levelDb: number, nowMs: number, afterMs = NO_INPUT_AFTER_MS): SilenceState {
  if (levelDb > SILENCE_DB) return { silentSince: null, noInput: false };
  const since = st.silentSince ?? nowMs;
  return { silentSince: since, noInput: nowMs - since >= afterMs };
}
