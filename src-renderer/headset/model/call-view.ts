/** What the headset should show for the agent's call (a pure function of the call's state). */
import type { CallView, HeadsetPhase } from './mapper';

/** The part of AgentCallState the headset reads. */
export interface CallLike { phase: string; micMuted: boolean; held?: boolean }

const ACTIVE: ReadonlySet<string> = new Set(['waiting', 'connecting', 'connected', 'reconnecting']);

/** A session in progress is off-hook; an offered contact with no session is ringing; anything else is idle. */
export function callView(s: CallLike, ringing: boolean): CallView {
  const phase: HeadsetPhase = ACTIVE.has(s.phase) ? 'active' : ringing ? 'ringing' : 'idle';
  return { phase, muted: s.micMuted, held: phase === 'active' && !!s.held };
}
