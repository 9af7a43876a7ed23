/**
 * The customer's side of a visual session, UI-free: invite status, consent,
 * camera/screen + microphone, join (or resume after a reload), the media
 * link (the customer answers; the agent offers), and recovery.
 *
 * Speed: the status check and the signaling socket are opened while the
 * consent screen is shown; on "Start" the camera and the join run in
 * parallel, and offers arriving before the camera is ready are queued.
 * The camera and microphone on the links (and the stand-in tracks) are
 * customer-media.ts's job; the seat kept across reloads, seat-storage.ts's;
 * the peers of a second agent and of technician guests, extra-peers.ts's.
 */
import type { ServerMessage, SignalData } from '../../signaling-server/protocol';
import { createMessenger, type Messenger } from '../call/peer/data-channel';
import type { LiveFigures } from '../call/peer/stats';
import { PeerSession, type LinkState } from '../call/peer-session';
import { createNativePeer } from '../call/peer/native-peer';
import { connectSignaling, sameOriginSignalingUrl, type SignalingClient } from '../call/signaling-client';
import { createStore, type Store } from '../call/store';
import { readPolicyOverride } from '../call/ice-policy';
import { CustomerQuality } from '../call/quality/customer-quality';
import { whenIdle } from '../ui/when-idle';
import { browserContextInputs, buildContextPacket, primeContextInputs } from './context-packet';
import type { Source } from './local-media';
import { CustomerMedia } from './customer-media';
import { CustomerHold } from './hold';
import { RoomRoster } from './room-roster';
import { fetchInviteState, servedInviteState } from './invite-state';
import { forgetSeat, storeSeat, storedResumeToken, storedSource } from './seat-storage';
import { ExtraPeers, isFromAnotherPeer } from './extra-peers';
import { GatherWatchdog } from './gather-watchdog';
import { takeEarlySocket } from './early-socket';
import type { CustomerNotice } from './handoff-notice';

export type CustomerPhase =
  | 'checking' | 'invalid' | 'consent' | 'starting' | 'media-error'
  | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'ended';
export type InvalidReason = 'used' | 'expired' | 'unknown' | 'unreachable';

export interface CustomerCallState {
  phase: CustomerPhase;
  invalidReason: InvalidReason | null;
  endedReason: 'agent_hangup' | 'self_hangup' | 'expired' | 'room_closed' | 'resume_invalid' | null;
  source: Source;
  localStream: MediaStream | null;
  remoteStream: MediaStream | null;
  micMuted: boolean;
  hasMic: boolean;
  canSwitchCamera: boolean;
  mediaError: string | null;
  agentOnline: boolean;
  link: LinkState;
  figures: LiveFigures | null;
  /** What the page tells the customer about a hand-off (hold for a consult, waiting for the next agent, who joined). */
  notice: CustomerNotice | null;
  /** The voices beside the main agent's (a second agent during a warm transfer, a technician guest). */
  extraStreams: MediaStream[];
}

export type { CustomerNotice } from './handoff-notice';


export { inviteTokenFromPath } from './invite-path';

export class CustomerCall {
  readonly store: Store<CustomerCallState>;
  readonly messenger: Messenger = createMessenger();
  /** The step-down ladder: this page sends the video, so it picks the mode (the agent may pin one). */
  readonly quality: CustomerQuality;
  private sig: SignalingClient | null = null;
  private sigPromise: Promise<SignalingClient> | null = null;
  private link: PeerSession;
  private pending: SignalData[] = [];
  private lastOffer: SignalData | null = null;
  private agentId: string | null = null;
  private joined = false;
  private over = false;
  private reconnectDelay = 250;
  private renegotiateTimer: ReturnType<typeof setTimeout> | null = null;
  /** A peer that answers but gathers no candidate is replaced (gather-watchdog.ts). */
  private readonly gatherWatch = new GatherWatchdog({
    link: () => this.link,
    over: () => this.over,
    startOver: () => {
      if (!this.agentId || !this.sig?.open) return false;
      this.link.teardown(false);
      this.link.recoveries++;
      this.pending = [];
      this.sig.send({ type: 'signal', to: this.agentId, data: { type: 'renegotiate', renegotiate: true, reason: 'no_candidates' } });
      return true;
    },
  });
  private resumed = false;
  /** The camera (or screen) and microphone on the links (customer-media.ts). */
  private readonly media: CustomerMedia;
  /** A consult's hold (hold.ts). */
  private readonly hold: CustomerHold;
  /** Who is in the room: the main agent, a second one, technicians (room-roster.ts). */
  private readonly roster: RoomRoster;
  /** Milestones (performance.now()) for the benchmark and diagnostics. */
  readonly marks: Record<string, number> = {};

  constructor(readonly token: string, private readonly signalingUrl = sameOriginSignalingUrl()) {
    this.store = createStore<CustomerCallState>({
      phase: 'checking', invalidReason: null, endedReason: null, source: 'camera', localStream: null, remoteStream: null,
      micMuted: false, hasMic: false, canSwitchCamera: false, mediaError: null, agentOnline: false, link: 'none', figures: null,
      notice: null, extraStreams: [],
    });
    this.link = this.makeLink(this.messenger, null);
    this.quality = new CustomerQuality(this.messenger, () => this.link.peer?.pc ?? null, performance.now(), () => this.extras.senders);
    this.link.iceTransportPolicy = readPolicyOverride();
    this.media = new CustomerMedia({
      store: this.store,
      link: () => this.link,
      over: () => this.over,
      prepareTrack: (t) => this.quality.prepareTrack(t),
      replaceOnExtras: (old, track, stream) => this.extras.replaceTrack(old, track, stream),
      hangUp: () => this.hangUp(),
      onReady: () => this.flushPending(),
      marks: this.marks,
    });
    this.hold = new CustomerHold({ store: this.store, localStream: () => this.link.localStream });
    this.roster = new RoomRoster({
      store: this.store,
      extras: this.extras,
      agentId: () => this.agentId,
      setAgentId: (id) => { this.agentId = id; },
      promote: (next) => this.promote(next),
      startOver: () => this.link.teardown(true),
    });
  }

  /**
   * One peer connection per agent in the room. The main one (`link`) carries
   * the data channel the page's features use; a second agent (the receiver
   * of a warm transfer, a consulted colleague) gets its own, from the same
   * camera and microphone tracks, with no new consent and no reload. When the
   * main agent leaves, the second one's link becomes the main one.
   */
  private makeLink(messenger: Messenger, memberId: string | null): PeerSession {
    const session: PeerSession = new PeerSession({
      initiator: false,
      createPeer: createNativePeer,
      messenger,
      sendSignal: (d) => {
        // answered: the launch size goes onto the senders before the encoder starts (call/quality/launch.ts)
        if (d.type === 'answer') void this.quality.applyNow();
        if (this.link === session) this.sendSignal(d); else if (memberId && this.sig?.open) this.sig.send({ type: 'signal', to: memberId, data: d });
      },
      onRemoteStream: (s) => { if (this.link === session) this.store.set({ remoteStream: s }); else this.extras.syncVoices(); },
      onLinkState: (s) => { if (this.link === session) this.onLinkState(s); },
      onFigures: (f) => { if (this.link === session) this.store.set({ figures: f }); },
      onPeerError: (e) => { if (this.link === session) this.onPeerError(e); else console.warn('second agent peer error', e.code, e.message); },
      // the quality ladder follows the main agent's link only (a second agent's peer is short-lived)
      onStats: (prev, cur, link) => { if (this.link === session) this.quality.onStats(prev, cur, link); },
    });
    return session;
  }

  /** Second agents' and technicians' links (extra-peers.ts). */
  private readonly extras = new ExtraPeers({
    makeLink: (messenger, memberId) => this.makeLink(messenger, memberId),
    main: () => this.link,
    onVoices: (streams) => { this.store.set({ extraStreams: streams }); this.hold.applyAudio(); },
  });

  /** For tests and the bench: the second agent's (or a technician's) RTCPeerConnection, if any. */
  get extraPcs(): RTCPeerConnection[] { return this.extras.pcs; }

  /** The main agent left while a second agent is with us: that agent's link becomes the main one (warm or cold transfer done). */
  private promote(memberId: string): boolean {
    const link = this.extras.take(memberId);
    if (!link) return false;
    const old = this.link;
    this.link = link;
    old.close();
    link.setMessenger(this.messenger);
    this.agentId = memberId;
    this.lastOffer = null;
    this.store.set({ remoteStream: link.peer?.pc ? new MediaStream(link.peer.pc.getReceivers().map((r) => r.track)) : null, agentOnline: true });
    this.extras.syncVoices();
    if (link.linkState === 'connected') this.onLinkState('connected');
    // the ladder's mode now goes onto this link (it had a second agent's)
    void this.quality.applyNow();
    return true;
  }

  get state(): CustomerCallState { return this.store.get(); }
  get pc(): RTCPeerConnection | null { return this.link.peer?.pc ?? null; }
  get recoveries(): number { return this.link.recoveries; }

  /** Page load: a stored resume token rejoins the same seat; otherwise check the invite and ask for consent. */
  async init(): Promise<void> {
    this.marks.init = performance.now();
    const resume = storedResumeToken(this.token);
    if (resume) {
      await this.start(storedSource(this.token), resume);
      return;
    }
    // Open the socket while we check the invite and the customer reads the consent text.
    this.ensureSocket().catch(() => {});
    // Synchronous when the server wrote it into the page (invite-state.ts says why that matters).
    const state = servedInviteState() ?? await fetchInviteState(this.token);
    this.marks.status = performance.now();
    if (state === 'valid') {
      this.store.set({ phase: 'consent' });
      // While the customer reads: the slow parts of what the Start click needs (~10–30 ms).
      const prime = () => {
        this.marks.primeAt = performance.now();
        primeContextInputs();
        this.marks.zoneDone = performance.now();
        this.media.standIn();
        this.marks.primed = performance.now();
      };
      whenIdle(prime, 300);
    } else this.store.set({ phase: 'invalid', invalidReason: state });
  }

  /** Consent given: camera (or screen) + mic, and join, in parallel. */
  async start(source: Source, resumeToken?: string): Promise<void> {
    this.marks.start = performance.now();
    // The join goes out first, synchronously when the socket is already open (it was opened
    // during consent): the agent's offer is the critical path, not this page's rendering.
    const sendJoin = (sig: SignalingClient) => { this.marks.socket = performance.now(); this.sendHello(sig, resumeToken ?? null); this.marks.joinOut = performance.now(); };
    let joined: Promise<void>;
    if (this.sig?.open) { sendJoin(this.sig); joined = Promise.resolve(); }
    else joined = this.ensureSocket().then(sendJoin);
    const media = this.media.open(source);
    // Stand-in tracks, so the offer that arrives while the camera opens is answered at once:
    // usually made during consent already, its audio graph then suspended until this gesture.
    this.media.wake();
    this.store.set({ phase: 'starting', source, mediaError: null });
    try {
      await Promise.all([media, joined]);
    } catch (err) {
      if (this.state.phase !== 'media-error') this.store.set({ phase: 'reconnecting' });
      console.warn('start failed', err);
    }
  }

  hangUp(): void {
    if (this.sig?.open) this.sig.send({ type: 'hangup' });
    this.end('self_hangup');
  }

  setMicMuted(muted: boolean): void {
    for (const t of this.link.localStream?.getAudioTracks() ?? []) t.enabled = !muted;
    this.store.set({ micMuted: muted });
  }

  /** Rear <-> front camera (or the next camera), swapped on the live senders without renegotiation. */
  switchCamera(): Promise<void> { return this.media.switchCamera(); }

  close(): void {
    this.over = true;
    this.extras.dropAll();
    this.link.close();
    this.sig?.close();
  }

  // ------------------------------------------------------------ signaling

  private ensureSocket(): Promise<SignalingClient> {
    if (this.sig?.open) return Promise.resolve(this.sig);
    if (this.sigPromise) return this.sigPromise;
    this.sigPromise = connectSignaling(this.signalingUrl, undefined, takeEarlySocket()).then((sig) => {
      this.sig = sig;
      sig.on('welcome', (m) => this.onWelcome(m));
      sig.on('signal', (m) => this.onSignal(m.from, m.data));
      sig.on('peer_joined', (m) => this.roster.joined(m.member));
      sig.on('peer_left', (m) => this.roster.left(m));
      sig.on('notice', (m) => this.hold.onNotice(m));
      sig.on('ended', (m) => this.end(m.reason));
      sig.on('error', (m) => this.onServerError(m));
      sig.onClose((ev) => this.onSocketClosed(sig, ev.moving));
      return sig;
    }).finally(() => { this.sigPromise = null; });
    return this.sigPromise;
  }

  /** Take our seat: `resume` it with the token a welcome gave us, or `join` with the invite; with the context packet either way. */
  private sendHello(sig: SignalingClient, resumeToken: string | null) {
    const context = buildContextPacket(browserContextInputs());
    if (resumeToken) { this.resumed = true; sig.send({ type: 'resume', v: 1, resumeToken, context }); }
    else sig.send({ type: 'join', v: 1, invite: this.token, context });
  }

  private onWelcome(m: Extract<ServerMessage, { type: 'welcome' }>) {
    this.marks.welcome = performance.now();
    this.joined = true;
    this.reconnectDelay = 250;
    if (m.resumeToken) storeSeat(this.token, m.resumeToken, this.state.source);
    this.link.setIceServers(m.iceServers as RTCIceServer[]);
    const agents = m.members.filter((x) => x.role === 'agent');
    // after a resume during a hand-off: the agent we were talking to stays the main one
    const agent = agents.find((x) => x.memberId === this.agentId) ?? agents[0];
    if (agent) this.agentId = agent.memberId;
    for (const a of agents) if (a !== agent) this.extras.secondAgents.add(a.memberId);
    for (const x of m.members) if (x.role === 'technician') this.extras.technicians.set(x.memberId, x.name);
    this.store.set({ agentOnline: !!agent });
    if (this.link.linkState !== 'connected') this.store.set({ phase: agent ? 'connecting' : 'waiting' });
    if (!this.link.alive && this.resumed) {
      // After a reload the agent may still hold the old peer: if no offer comes soon, ask for a fresh one.
      // (On a first join the agent always offers when it sees us join.)
      this.clearRenegotiate();
      this.renegotiateTimer = setTimeout(() => {
        if (!this.link.alive && this.pending.length === 0 && this.agentId && this.sig?.open) {
          this.sig.send({ type: 'signal', to: this.agentId, data: { type: 'renegotiate', renegotiate: true, reason: 'no_peer' } });
        }
      }, 2500);
    }
  }

  private onServerError(m: Extract<ServerMessage, { type: 'error' }>) {
    if (this.joined && !['invite_used', 'invite_expired', 'invite_unknown', 'resume_invalid'].includes(m.code)) {
      console.warn('signaling error', m.code, m.message);
      return;
    }
    if (m.code === 'resume_invalid') { this.end('resume_invalid'); return; }
    const reason: Record<string, InvalidReason> = { invite_used: 'used', invite_expired: 'expired', invite_unknown: 'unknown' };
    if (reason[m.code]) {
      this.media.stop();
      this.over = true;
      this.store.set({ phase: 'invalid', invalidReason: reason[m.code]! });
    }
  }

  private onSignal(from: string, data: SignalData) {
    if (this.extras.owns(from)) { this.extras.signal(from, data); return; }
    if (this.agentId && from !== this.agentId) return;
    this.agentId = from;
    if (data.type === 'offer') { this.lastOffer = data; this.clearRenegotiate(); }
    if (data.type === 'offer' && this.link.alive && isFromAnotherPeer(data.sdp, this.link.peer?.pc?.remoteDescription?.sdp)) {
      // The agent started over with a new peer (its watchdog, or a reload): ours cannot take
      // that offer (another DTLS identity); answer it from a fresh one.
      this.link.teardown(false);
      this.link.recoveries++;
    }
    if (this.link.alive) { this.link.signal(data); return; }
    if (data.type === 'offer') this.pending = [data];
    else this.pending.push(data);
    this.flushPending();
  }

  private flushPending() {
    if (this.link.alive || this.over) return;
    const first = this.pending[0];
    if (!first || first.type !== 'offer') return;
    const queued = this.pending;
    this.pending = [];
    this.marks.offer = this.marks.offer ?? performance.now();
    if (!this.media.ready) {
      // Answer now and let ICE + DTLS run while the camera opens: stand-in tracks hold the
      // send slots (a canvas track that never draws, so the agent's first frame is the camera's).
      this.link.localStream = this.media.standIn();
    }
    this.link.create();
    this.gatherWatch.watch();
    for (const d of queued) this.link.signal(d);
  }

  private onPeerError(e: { code: string; message: string }) {
    console.warn('customer peer error', e.code, e.message);
    // An offer from a fresh agent peer cannot apply to our old connection: start over with it.
    if (e.code === 'ERR_SET_REMOTE_DESCRIPTION' && this.lastOffer) {
      const offer = this.lastOffer;
      this.link.teardown(false);
      this.link.recoveries++;
      this.pending = [offer];
      this.flushPending();
    }
  }

  private sendSignal(data: SignalData) {
    if (data.type === 'answer') this.marks.answer ??= performance.now();
    else if (data.type === 'candidate') { this.marks.candidateOut ??= performance.now(); this.gatherWatch.candidate(); }
    if (!this.agentId || !this.sig?.open) return;
    this.sig.send({ type: 'signal', to: this.agentId, data });
  }

  /** `moving`: we left a draining node; reconnect at once (the balancer picks another). */
  private onSocketClosed(sig: SignalingClient, moving = false) {
    if (this.sig === sig) this.sig = null;
    if (this.over) return;
    if (this.link.linkState !== 'connected') this.store.set({ phase: 'reconnecting' });
    const delay = moving ? 0 : this.reconnectDelay;
    if (!moving) this.reconnectDelay = Math.min(this.reconnectDelay * 2, 4000);
    setTimeout(() => void this.reconnect(), delay);
  }

  private async reconnect() {
    if (this.over || this.sig) return;
    const token = storedResumeToken(this.token);
    try {
      const sig = await this.ensureSocket();
      if (token || (!this.joined && this.state.phase === 'starting')) this.sendHello(sig, token);
    } catch {
      this.onSocketClosed(this.sig ?? ({} as SignalingClient));
    }
  }

  private clearRenegotiate() {
    if (this.renegotiateTimer) { clearTimeout(this.renegotiateTimer); this.renegotiateTimer = null; }
  }

  // ------------------------------------------------------------ state

  private onLinkState(s: LinkState) {
    this.store.set({ link: s });
    if (this.over) return;
    if (s === 'connected') { this.marks.connected = this.marks.connected ?? performance.now(); this.gatherWatch.connected(); this.store.set({ phase: 'connected' }); }
    else if (s === 'disconnected' || s === 'failed' || s === 'closed') this.store.set({ phase: 'reconnecting' });
  }

  private end(reason: NonNullable<CustomerCallState['endedReason']>) {
    if (this.over && this.state.phase === 'ended') return;
    this.over = true;
    this.clearRenegotiate();
    this.gatherWatch.stop();
    forgetSeat(this.token);
    this.extras.dropAll();
    this.link.close();
    this.media.stop();
    this.sig?.close();
    this.store.set({ phase: 'ended', endedReason: reason, localStream: null, remoteStream: null });
  }
}
