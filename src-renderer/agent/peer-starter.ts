/**
 * Starting the call's peer (the agent is the initiator). The triggers that may race while
 * the microphone is still opening (invite, join, resume, renegotiate, recovery) collapse
 * into one start, and the microphone never holds up seeing the customer: a mic that comes
 * late joins the running peer by renegotiation. The peer's milestones are marked here.
 */
import type { PeerSession } from '../call/peer-session';
import type { AgentMic } from './agent-mic';
import { epochNow, type CallMarks } from './call-marks';
import type { HeldOffer } from './held-offer';

const MIC_WAIT_MS = 2000;

/** The part of the call's state a start reads. */
export interface PeerStartState { customer: unknown; phase: string; invite: unknown }

export interface PeerStartHost {
  readonly link: PeerSession;
  readonly mic: AgentMic;
  /** A peer made before its customer is here holds its signals (held-offer.ts). */
  readonly prepared: HeldOffer;
  readonly marks: CallMarks;
  state(): PeerStartState;
  isClosed(): boolean;
  /** A peer made for a customer who is here: watch that it connects (link-recovery.ts). */
  armConnectWatchdog(): void;
  /** The link's recovery count, for the call's state. */
  onRecoveries(n: number): void;
}

export class PeerStarter {
  private peerPending = false;

  constructor(private readonly host: PeerStartHost) {}

  /** A start is waiting for the microphone (or the short wait for it). */
  get pending(): boolean { return this.peerPending; }

  /** Collapses the several triggers (join, resume, renegotiate) that may race while the mic is still opening. */
  requestPeer(): void {
    if (this.peerPending) return;
    this.peerPending = true;
    const { link, marks } = this.host;
    // The agent's microphone must never hold up seeing the customer: after a short wait the
    // peer starts without it, and the mic joins by renegotiation when it is ready.
    const mic = this.host.mic.ensure();
    void mic.then(() => { marks.micReady ??= epochNow(); });
    void Promise.race([mic, new Promise((r) => setTimeout(r, MIC_WAIT_MS))]).then(() => {
      this.peerPending = false;
      this.startPeer();
      void mic.then((s) => {
        const track = s?.getAudioTracks()[0];
        const peer = link.peer;
        if (!track || !peer || peer.destroyed || !link.localStream) return;
        if (link.localStream.getAudioTracks().includes(track)) return;
        console.info('microphone arrived after the call started; adding it');
        link.localStream.addTrack(track);
        peer.addTrack(track, link.localStream);
      });
    });
  }

  private startPeer() {
    const { link, marks, prepared } = this.host;
    if (this.host.isClosed()) return;
    const state = this.host.state();
    const preparing = !state.customer;
    // Without a customer, a peer is prepared only for an invite that is waiting for one, or a hand-off ringing here.
    if (preparing && !prepared.handoffReady && (state.phase !== 'waiting' || !state.invite)) return;
    if (!link.localStream) link.localStream = new MediaStream();
    prepared.begin(preparing);
    link.create();
    if (!preparing) this.host.armConnectWatchdog();
    marks.peerCreated ??= epochNow();
    const pc = link.peer?.pc;
    pc?.addEventListener('iceconnectionstatechange', () => { if (pc.iceConnectionState === 'connected') marks.iceConnected ??= epochNow(); });
    pc?.addEventListener('connectionstatechange', () => { if (pc.connectionState === 'connected') marks.dtlsConnected ??= epochNow(); });
    // No mic: still receive the customer's audio.
    if (!link.localStream.getAudioTracks().length) link.peer?.pc?.addTransceiver('audio', { direction: 'recvonly' });
    this.host.onRecoveries(link.recoveries);
  }
}
