/**
 * A peer made before its customer is in the room, its offer and candidates held until they
 * are: one prepared with the invite (the customer's answer is then the first round trip, not
 * the agent's peer set-up), or one prepared while a hand-off rings on this desk (accepting
 * then costs the customer's answer and ICE/DTLS, not our microphone and peer).
 */
import type { SignalData } from '../../signaling-server/protocol';
import type { PeerSession } from '../call/peer-session';

/** How long an offer prepared with the invite stays usable (see take). */
export const HELD_PEER_MAX_AGE_MS = 60_000;

export class HeldOffer {
  /** The prepared peer's signals; null when no peer is waiting for its customer. */
  private signals: SignalData[] | null = null;
  /** A hand-off rings here: the peer (and the microphone) is made now, for it. */
  handoffReady = false;
  /** How long a prepared peer stays usable; tests shorten it. */
  maxAgeMs = HELD_PEER_MAX_AGE_MS;

  constructor(private readonly link: PeerSession) {}

  /** A peer is being made: with no customer yet its signals are held from now; with one, they go out. */
  begin(preparing: boolean): void {
    this.signals = preparing ? [] : null;
  }

  /** Keep a signal of the prepared peer; false when nothing is held (send it). */
  keep(data: SignalData): boolean {
    if (!this.signals) return false;
    this.signals.push(data);
    return true;
  }

  /**
   * The customer is here: the held signals, if the prepared peer is still good, else null
   * (make a fresh one). A prepared peer that has waited long may hold stale server-reflexive
   * candidates (NAT mappings expire after 30-120 s of silence): past `maxAgeMs` it is not used.
   * Nothing is held afterwards either way.
   */
  take(now = performance.now()): SignalData[] | null {
    const held = this.signals;
    this.signals = null;
    if (!held || !this.link.alive || now - this.link.createdAt >= this.maxAgeMs) return null;
    return held;
  }

  /** The call is over or the prepared peer is dropped. */
  clear(): void {
    this.signals = null;
    this.handoffReady = false;
  }
}
