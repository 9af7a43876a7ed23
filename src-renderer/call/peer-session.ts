/**
 * One side's half of the media link, shared by the agent and the customer:
 * owns the current Peer, feeds it signals, attaches it to the call's
 * Messenger, polls getStats for live figures, and re-creates the peer when
 * the old one is gone. The policy of WHEN to restart or re-create lives in
 * the agent/customer controllers.
 */
import type { SignalData } from '../../signaling-server/protocol';
import type { Peer, PeerFactory } from './peer/peer-types';
import type { Messenger, Transport } from './peer/data-channel';
import { computeFigures, toSnapshot, type LiveFigures, type StatsSnapshot } from './peer/stats';

export type LinkState = 'none' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface PeerSessionOptions {
  initiator: boolean;
  /** peer.ts's createPeer (simple-peer) where this side offers; native-peer.ts's where a page only answers (it bundles no simple-peer). */
  createPeer: PeerFactory;
  messenger: Messenger;
  sendSignal(data: SignalData): void;
  onRemoteStream(stream: MediaStream | null): void;
  onLinkState(state: LinkState): void;
  onFigures(f: LiveFigures): void;
  onPeerError?(err: { code: string; message: string }): void;
  /** Every stats tick with the raw snapshots (the quality machine reads more than the figures). */
  onStats?(prev: StatsSnapshot | null, cur: StatsSnapshot, link: LinkState): void;
  receiveOnly?: Array<'audio' | 'video'>;
  statsIntervalMs?: number;
}

export class PeerSession {
  peer: Peer | null = null;
  createdAt = 0;
  iceServers: RTCIceServer[] = [];
  iceTransportPolicy: RTCIceTransportPolicy = 'all';
  localStream: MediaStream | null = null;
  /** How many times the link was repaired (ICE restarts + re-created peers); shown in the UI and read by tests. */
  recoveries = 0;
  private state: LinkState = 'none';
  private statsTimer: ReturnType<typeof setInterval> | null = null;
  private prevStats: StatsSnapshot | null = null;
  private gen = 0;
  /** Where data-channel frames go; swapped when this peer becomes the call's main link (a hand-off). */
  private messenger: Messenger;
  private transport: Transport | null = null;

  constructor(private readonly o: PeerSessionOptions) {
    this.messenger = o.messenger;
  }

  /** Hand this link's data channel to another messenger (the customer's second agent becomes the main one). */
  setMessenger(m: Messenger): void {
    if (m === this.messenger) return;
    this.messenger.detach();
    this.messenger = m;
    if (this.transport && this.alive) m.attach(this.transport);
  }

  get linkState(): LinkState { return this.state; }
  get alive(): boolean { return !!this.peer && !this.peer.destroyed; }

  private setState(s: LinkState) {
    if (s === this.state) return;
    this.state = s;
    this.o.onLinkState(s);
  }

  create(): Peer {
    this.teardown(false);
    const gen = ++this.gen;
    const peer = this.o.createPeer({
      initiator: this.o.initiator,
      stream: this.localStream,
      iceServers: this.iceServers,
      iceTransportPolicy: this.iceTransportPolicy,
      ...(this.o.receiveOnly ? { receiveOnly: this.o.receiveOnly } : {}),
    });
    this.peer = peer;
    this.createdAt = performance.now();
    const mine = () => gen === this.gen;
    peer.on('signal', (d) => { if (mine()) this.o.sendSignal(d); });
    peer.on('stream', (s) => { if (mine()) this.o.onRemoteStream(s); });
    peer.on('data', (d) => { if (mine()) this.messenger.receive(d); });
    peer.on('connect', () => {
      if (!mine()) return;
      this.transport = { send: (d) => peer.send(d), bufferedAmount: () => peer.bufferedAmount() };
      this.messenger.attach(this.transport);
    });
    peer.on('connection-state', (pcState, ice) => {
      if (!mine()) return;
      if (pcState === 'connected' || ice === 'connected' || ice === 'completed') this.setState('connected');
      else if (pcState === 'failed' || ice === 'failed') this.setState('failed');
      else if (pcState === 'disconnected' || ice === 'disconnected') this.setState('disconnected');
      else if (pcState === 'closed') this.setState('closed');
      else if (this.state === 'none') this.setState('connecting');
    });
    peer.on('error', (e) => { if (mine()) this.o.onPeerError?.(e); });
    peer.on('close', () => {
      if (!mine()) return;
      this.transport = null;
      this.messenger.detach();
      this.setState('closed');
    });
    this.setState('connecting');
    this.startStats();
    return peer;
  }

  signal(data: SignalData): void { this.peer?.signal(data); }

  /**
   * The ICE servers for the next gathering, also on the live peer: a call that resumed after
   * a signaling drop gets the welcome's new TURN credentials for its next ICE restart (TURN
   * REST credentials expire; the ones the peer was made with may be hours old by then).
   */
  setIceServers(servers: RTCIceServer[]): void {
    this.iceServers = servers;
    const pc = this.peer?.pc;
    if (!pc || this.peer?.destroyed) return;
    try { pc.setConfiguration({ ...pc.getConfiguration(), iceServers: servers }); } catch (err) { console.warn('ICE servers not applied to the live peer', (err as Error).message); }
  }

  restartIce(): void {
    if (!this.alive) return;
    this.recoveries++;
    this.peer!.restartIce();
  }

  async replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack): Promise<void> {
    if (this.localStream) {
      this.localStream.removeTrack(oldTrack);
      this.localStream.addTrack(newTrack);
    }
    if (this.alive && this.localStream) await this.peer!.replaceTrack(oldTrack, newTrack, this.localStream);
  }

  private startStats() {
    if (this.statsTimer) return;
    const every = this.o.statsIntervalMs ?? 1000;
    this.statsTimer = setInterval(async () => {
      const report = await this.peer?.getStats();
      if (!report) return;
      const snap = toSnapshot(report, performance.now());
      this.o.onFigures(computeFigures(this.prevStats, snap));
      try { this.o.onStats?.(this.prevStats, snap, this.state); } catch (err) { console.error('stats listener failed', err); }
      this.prevStats = snap;
    }, every);
  }

  /** Drop the current peer (optionally announcing the link as closed). */
  teardown(announce = true): void {
    this.gen++;
    const p = this.peer;
    this.peer = null;
    this.prevStats = null;
    this.transport = null;
    this.messenger.detach();
    if (p) p.destroy();
    if (announce) { this.setState('none'); this.o.onRemoteStream(null); }
  }

  close(): void {
    this.teardown(true);
    if (this.statsTimer) { clearInterval(this.statsTimer); this.statsTimer = null; }
  }
}
