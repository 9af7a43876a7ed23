/**
 * How each of the customer's video senders starts, and what the ones beside the main
 * agent's link get. Pure: customer-quality.ts asks, sender-params.ts applies.
 *
 * Launch: a 720p encoder that starts at the start bitrate first drops frames and scales
 * itself down ('bandwidth'), which costs 150-250 ms before its first frame; one that
 * starts at 360p sends its first frame about 100 ms after DTLS (probe and figures:
 * docs/PERFORMANCE.md, "call"). So every new link starts at 360p and goes to its mode's
 * resolution once the link has run a moment and the sender's estimate carries that mode.
 * WebRTC left to itself stays at 640 wide for seconds at this start bitrate; the lift
 * brings 720p sooner, at the price of one keyframe.
 */
import { MODES, NEED_KBPS, modeIndex, type Mode } from './modes';

/** The launch height (talk mode). Bill reading keeps its resolution from the first frame. */
export const LAUNCH_MAX_HEIGHT = 360;
/**
 * The cap is lifted no sooner than this after the link connected: the second stats tick
 * (one a second) after the connect, by when the estimate has been probed.
 */
export const LAUNCH_MIN_MS = 800;
/**
 * A second agent beside the main one (a warm transfer's overlap, a consult) sees at most
 * this mode: two 720p encoders side by side starve each other on a phone (measured in
 * bench/handoff.ts as pauses of the first agent's sender). Promoted to the main link, they
 * get the ladder's mode.
 */
export const SIDE_AGENT_MAX_MODE: Mode = 'sd';

/** The worse of two modes. */
export function worse(a: Mode, b: Mode): Mode {
  return MODES[Math.max(modeIndex(a), modeIndex(b))]!;
}

export interface LaunchInputs {
  /** ms the link has been connected (null: not connected yet). */
  connectedForMs: number | null;
  /** The sender's estimate now, kbit/s (null: not known yet). */
  availableKbps: number | null;
  mode: Mode;
  pinned: boolean;
  billReading: boolean;
}

/** Whether a link still launching may go to its mode's resolution now. */
export function launchOver(i: LaunchInputs): boolean {
  // A pin or a bill is the agent's explicit wish: it gets its resolution from the start.
  if (i.pinned || i.billReading) return true;
  if (i.connectedForMs === null || i.connectedForMs < LAUNCH_MIN_MS) return false;
  return i.availableKbps !== null && i.availableKbps >= NEED_KBPS[i.mode];
}

export type SenderRole = 'main' | 'agent' | 'technician';

/** The mode a sender of this role gets while the ladder is in `mode`. */
export function modeFor(role: SenderRole, mode: Mode): Mode {
  return role === 'agent' ? worse(mode, SIDE_AGENT_MAX_MODE) : mode;
}
