/**
 * The agent's own voice on the customer's link. The ladder runs on the customer's page and
 * caps what the customer sends; the agent's voice crosses the same weak link the other way
 * (a 50 kbit/s mobile link is narrow both ways), and at Opus's default 32 kbit/s plus packet
 * overhead it overfills it: the customer hears gaps, and the data channel's acknowledgements
 * are lost with it. So the agent sends its voice at the rate of the customer's mode, and
 * lower still while the customer's reports say the agent's voice is being lost — those
 * reports come over RTCP, which reaches the agent when the data channel's status does not.
 * Pure: the agent's stats tick feeds it, and it says what cap to put on the voice sender.
 */
import { audioEncoding, type Mode } from './modes';

export interface VoiceCapState {
  capBps: number;
  /** Until when (ms) the agent's voice stays at the lean rate after its last lossy report. */
  leanUntil: number | null;
}

/** The voice when nothing is known yet: full speech quality. */
export const FULL_VOICE_BPS = audioEncoding('hd').maxBitrateBps;
/** Loss of the agent's voice above this (percent, from the customer's receiver reports) makes it lean. */
export const VOICE_LOSS_PCT = 8;
/** A lean voice comes back to the mode's rate only after this long without a lossy report. */
export const VOICE_HOLD_MS = 20_000;

export const initialVoiceCap = (): VoiceCapState => ({ capBps: FULL_VOICE_BPS, leanUntil: null });

/**
 * One tick: `mode` is the customer's mode while its status is fresh (null when unknown or
 * stale), `lossPct` the loss of the agent's voice reported since the last tick (null: no report).
 */
export function nextVoiceCap(s: VoiceCapState, at: number, mode: Mode | null, lossPct: number | null): VoiceCapState {
  const leanUntil = lossPct !== null && lossPct > VOICE_LOSS_PCT ? at + VOICE_HOLD_MS : s.leanUntil !== null && at < s.leanUntil ? s.leanUntil : null;
  // No fresh status (none yet, or held up on the link): keep what we have, it is the latest we know.
  const byMode = mode ? audioEncoding(mode).maxBitrateBps : s.capBps;
  const lean = audioEncoding('audio').maxBitrateBps;
  const capBps = leanUntil !== null ? Math.min(byMode, lean) : byMode;
  return capBps === s.capBps && leanUntil === s.leanUntil ? s : { capBps, leanUntil };
}
