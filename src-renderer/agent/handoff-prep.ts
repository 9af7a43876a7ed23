/**
 * The receiving desk's side of a hand-off while the offer rings: the peer, its offer and the
 * microphone are made now and held (held-offer.ts), so accepting costs the customer's answer
 * and ICE/DTLS, not our set-up; when the offer stops ringing they are dropped again.
 */
import type { PeerSession } from '../call/peer-session';
import type { AgentMic } from './agent-mic';
import { epochNow, type CallMarks } from './call-marks';
import type { HeldOffer } from './held-offer';

/** The part of the call's state the preparation reads. */
export interface HandoffPrepState { customer: unknown; phase: string }

export interface HandoffPrepHost {
  readonly link: PeerSession;
  readonly mic: AgentMic;
  readonly prepared: HeldOffer;
  readonly marks: CallMarks;
  state(): HandoffPrepState;
  isClosed(): boolean;
  isPeerPending(): boolean;
  /** A fresh peer and offer (peer-starter.ts). */
  requestPeer(): void;
}

export class HandoffPrep {
  constructor(private readonly host: HandoffPrepHost) {}

  /** The offer rings: mark the peer as the hand-off's and start it (the peer's start opens the microphone). */
  prepare(): void {
    const { link, prepared } = this.host;
    if (this.host.isClosed() || prepared.handoffReady || this.host.state().customer || link.alive || this.host.isPeerPending()) return;
    const p = this.host.state().phase;
    if (p !== 'ready' && p !== 'ended') return;
    prepared.handoffReady = true;
    this.host.marks.prepared = epochNow();
    this.host.requestPeer();
  }

  /** Drop the prepared peer and close the microphone (a call that has a customer keeps both). */
  drop(): void {
    const { link, mic, prepared } = this.host;
    if (!prepared.handoffReady || this.host.state().customer) return;
    prepared.clear();
    link.teardown(false);
    for (const t of link.localStream?.getTracks() ?? []) t.stop();
    link.localStream = null;
    // a microphone still opening is closed when it arrives, unless a call has started meanwhile
    const opening = mic.pendingOpen;
    mic.reset();
    void opening?.then((s) => {
      const phase = this.host.state().phase;
      const idle = phase === 'ready' || phase === 'ended';
      if (!s || !idle || prepared.handoffReady || link.alive) return;
      for (const t of s.getTracks()) t.stop();
      if (link.localStream === s) link.localStream = null;
    });
  }
}
