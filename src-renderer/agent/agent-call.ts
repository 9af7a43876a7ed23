/**
 * The agent's side of a visual session, UI-free: signaling (auth, invites,
 * relay), the media link (the agent is the initiator), the microphone, and
 * the recovery policy. React reads `store`; capabilities use `messenger`.
 *
 * Recovery, without a new invite:
 *  - ICE 'disconnected' for more than a moment, or 'failed' -> ICE restart
 *    (new offer on the same peer), retried while the link stays down.
 *  - the customer's socket comes back (peer_joined, same memberId) while the
 *    link is down -> ICE restart at once; if our peer is gone -> a new peer.
 *  - the customer says it has no peer (a 'renegotiate' signal after a
 *    reload) -> a new peer and offer.
 * The timers, and the call's phase as the link goes, live in link-recovery.ts.
 */
import type { ClientMessage, ContextPacket, ServerMessage, SignalData } from '../../signaling-server/protocol';
import { createMessenger, type Messenger } from '../call/peer/data-channel';
import { connectSignaling, toWsUrl, type SignalingClient } from '../call/signaling-client';
import { PeerSession } from '../call/peer-session';
import { createPeer } from '../call/peer/peer';
import { createStore, type Store } from '../call/observable-store';
import type { AgentCallOptions, AgentCallState, AgentSessionConfig } from './agent-call-types';
import { AgentMic } from './agent-mic';
import { epochNow, type CallMarks } from './call-marks';
import { HandoffPrep } from './handoff-prep';
import { HeldOffer } from './held-offer';
import { LinkRecovery } from './link-recovery';
import { PeerStarter } from './peer-starter';
import { ServerFrames, type ExtraFrame, type ScreenPopFn } from './server-frames';
import { AgentQuality } from './quality/agent-quality';

export type { AgentCallOptions, AgentCallState, AgentPhase, AgentSessionConfig } from './agent-call-types';
export type { ExtraFrame } from './server-frames';

/** reqIds of technician invites (agent/guests/agent-guests.ts): their invite_created is not the call's. */
export const GUEST_REQ_PREFIX = 'g';

export class AgentCall {
  readonly store: Store<AgentCallState>;
  readonly messenger: Messenger = createMessenger();
  /** The customer's quality mode as their page reports it; pin and bill reading go from here. */
  readonly quality = new AgentQuality(this.messenger, () => this.pc);
  private sig: SignalingClient | null = null;
  private readonly link: PeerSession;
  private readonly recovery: LinkRecovery;
  private cfg: AgentSessionConfig;
  /** The microphone: device, processing, mute and hold on the live track. */
  readonly mic: AgentMic;
  private closed = false;
  /** Starts the peer once however many triggers race, without waiting long for the microphone (peer-starter.ts). */
  private readonly starter: PeerStarter;
  /** A peer made before its customer is here (with the invite, or while a hand-off rings), its signals held. */
  private readonly prepared: HeldOffer;
  /** A hand-off ringing here gets its peer and microphone early (handoff-prep.ts). */
  private readonly handoffPrep: HandoffPrep;
  /** Milestones of the current call (epoch ms, comparable across pages) for the benchmark and diagnostics. */
  readonly marks: CallMarks = {};
  private reqSeq = 0;
  /** Server frames, screen pops and approval frames handed on to other capabilities (server-frames.ts). */
  private readonly frames: ServerFrames;

  constructor(cfg: AgentSessionConfig, private readonly opts: AgentCallOptions = {}) {
    this.cfg = cfg;
    this.frames = new ServerFrames(opts.onScreenPop);
    this.store = createStore<AgentCallState>({
      phase: 'starting', invite: null, customer: null, remoteStream: null, firstFrameAt: null, figures: null, link: 'none',
      micMuted: false, held: false, micDeviceId: null, micError: null, endedReason: null, error: null, recoveries: 0, handoffPending: false, consultGuest: false,
    });
    this.link = new PeerSession({
      initiator: true,
      createPeer,
      messenger: this.messenger,
      receiveOnly: ['video'],
      sendSignal: (data) => this.sendSignal(data),
      onRemoteStream: (s) => this.store.set({ remoteStream: s }),
      onLinkState: (s) => { this.store.set({ link: s }); this.recovery.onLinkState(s); },
      onFigures: (f) => this.store.set({ figures: f }),
      onPeerError: (e) => console.warn('agent peer error', e.code, e.message),
      onStats: (prev, cur) => this.quality.onStats(prev, cur),
    });
    this.link.iceTransportPolicy = opts.iceTransportPolicy ?? 'all';
    this.prepared = new HeldOffer(this.link);
    this.mic = new AgentMic({ link: this.link, store: this.store, custom: opts.micConstraints });
    this.recovery = new LinkRecovery({
      link: this.link,
      phase: () => this.state.phase,
      isClosed: () => this.closed,
      isPeerPending: () => this.starter.pending,
      requestPeer: () => this.starter.requestPeer(),
      onRecoveries: (n) => this.store.set({ recoveries: n }),
      customer: () => this.state.customer,
      setPhase: (patch) => this.store.set(patch),
    });
    // what starting a peer and preparing one for a hand-off both work on
    const peerParts = {
      link: this.link, mic: this.mic, prepared: this.prepared, marks: this.marks,
      state: () => this.state, isClosed: () => this.closed,
    };
    this.starter = new PeerStarter({
      ...peerParts,
      armConnectWatchdog: () => this.recovery.armConnectWatchdog(),
      onRecoveries: (n) => this.store.set({ recoveries: n }),
    });
    this.handoffPrep = new HandoffPrep({
      ...peerParts,
      isPeerPending: () => this.starter.pending,
      requestPeer: () => this.starter.requestPeer(),
    });
  }

  get state(): AgentCallState { return this.store.get(); }

  /** How long a prepared peer stays usable (held-offer.ts); tests shorten it. */
  get heldPeerMaxAgeMs(): number { return this.prepared.maxAgeMs; }
  set heldPeerMaxAgeMs(ms: number) { this.prepared.maxAgeMs = ms; }

  /** Approval frames from the signaling socket (survives reconnects). Returns unsubscribe. */
  onExtraFrame(fn: (m: ExtraFrame) => void): () => void { return this.frames.onExtraFrame(fn); }

  /** Screen pops (telephony ANI, or the ANI in the customer's context packet). Returns unsubscribe. */
  onScreenPop(fn: ScreenPopFn): () => void { return this.frames.onScreenPop(fn); }

  /** Frames of `type` from the server, for as long as the call lives (across signaling reconnects). Returns unsubscribe. */
  onServer<T extends ServerMessage['type']>(type: T, fn: (m: Extract<ServerMessage, { type: T }>) => void): () => void {
    return this.frames.onServer(type, fn);
  }

  /** Send a frame on the signaling socket (hand-offs); false when it is not open. */
  send(msg: ClientMessage): boolean {
    return this.sig?.open ? this.sig.send(msg) : false;
  }

  /** Who this workstation is signed in as. */
  get agentId(): string { return this.cfg.agentId; }

  /** Where and as whom to fetch a customer's still that came over HTTP (GET /stills/<id>). */
  get uploadAccess(): { base: string; token: string } { return { base: this.cfg.signalingUrl.replace(/^ws(s?):/, 'http$1:').replace(/\/+$/, ''), token: this.cfg.agentToken }; }

  get signalingOpen(): boolean { return !!this.sig?.open; }
  get memberIdOfCustomer(): string | null { return this.state.customer?.memberId ?? null; }

  /** The hand-off controller marks a transfer or consult in flight (End is disabled meanwhile). */
  setHandoffPending(pending: boolean): void {
    if (this.state.handoffPending !== pending) this.store.set({ handoffPending: pending });
  }

  /** Open the microphone now (accepting a hand-off: it is ready by the time we are seated and offer). */
  prepareMic(): void {
    void this.mic.ensure();
  }

  /**
   * A hand-off offer rings here: open the microphone and make the peer and its offer now (held
   * until we are seated). Only between calls; an agent already in one keeps theirs.
   */
  prepareForHandoff(): void { this.handoffPrep.prepare(); }

  /** No hand-off rings any more (declined, taken, withdrawn, expired): drop the prepared peer and close the microphone. */
  dropHandoffPeer(): void { this.handoffPrep.drop(); }

  /** Joining a consult: our microphone stays muted toward the customer until we leave. */
  joinAsConsultGuest(on: boolean): void {
    this.store.set({ consultGuest: on });
    if (on) this.setMicMuted(true);
  }

  /** The customer is now with another agent (warm or cold transfer completed): our side of the call ends, the customer's does not. */
  transferredAway(): void {
    this.finish('transferred');
  }

  /** Our second-agent seat went (consult over, transfer cancelled): drop our peer without ending the customer's call. */
  leftRoomQuietly(reason: string): void {
    this.finish(reason);
  }

  /** The ICE servers of this socket's last welcome (TURN credentials included), for the call's other peers (technicians). */
  get iceServers(): RTCIceServer[] { return this.link.iceServers; }

  /** For the UI and tests: the live RTCPeerConnection (null between peers). */
  get pc(): RTCPeerConnection | null { return this.link.peer?.pc ?? null; }
  get localStream(): MediaStream | null { return this.link.localStream; }

  async start(): Promise<void> {
    try {
      if (this.opts.freshToken) {
        const token = await this.opts.freshToken();
        if (token) this.cfg = { ...this.cfg, agentToken: token };
      }
      const sig = await connectSignaling(toWsUrl(this.cfg.signalingUrl));
      this.sig = sig;
      sig.on('welcome', (m) => this.onWelcome(m));
      sig.on('invite_created', (m) => {
        // a technician's invite (agent/guests/) is not the customer's: the call's own invite stays as it is
        if (m.reqId?.startsWith(GUEST_REQ_PREFIX)) { this.frames.emit(m); return; }
        this.store.set({ invite: { url: m.url, expiresAt: m.expiresAt, roomId: m.roomId, sentAt: Date.now(), ...(m.code ? { code: m.code } : {}) }, firstFrameAt: null, phase: 'waiting', endedReason: null, error: null });
        if (!this.state.customer) this.starter.requestPeer();
      });
      sig.on('peer_joined', (m) => { this.onPeerJoined(m.member); this.frames.emit(m); });
      sig.on('peer_left', (m) => { this.onPeerLeft(m); this.frames.emit(m); });
      sig.on('signal', (m) => {
        // a technician's peer is the guests controller's (agent/guests/); the call's link is the customer's
        if (m.from !== this.state.customer?.memberId) this.frames.emit(m);
        this.onSignal(m.from, m.data);
      });
      sig.on('ended', (m) => this.finish(m.reason));
      this.frames.relay(sig);
      sig.on('error', (m) => {
        this.frames.emit(m);
        console.warn('signaling error', m.code, m.message);
        if (m.code === 'unauthorized') this.store.set({ phase: 'error', error: { code: m.code, message: m.message } });
      });
      sig.onInvalid((e) => console.warn('invalid signaling frame', e));
      sig.onClose((ev) => { if (this.sig === sig) this.onSignalingClosed(ev.moving); });
      sig.send({ type: 'auth', v: 1, token: this.cfg.agentToken });
    } catch (err) {
      // Mid-call the media does not need the signaling server: keep the call on screen and retry.
      if (!this.link.alive) this.store.set({ phase: 'error', error: { code: 'signaling_unreachable', message: (err as Error).message } });
      this.retrySignalingSoon();
    }
  }

  /** The customer's video drew its first frame (LiveVideo calls this); kept once per invite. */
  markFirstFrame(at = Date.now()): void {
    if (this.state.firstFrameAt === null && this.state.customer) this.store.set({ firstFrameAt: at });
  }

  /** "New visual session": a fresh invite (the room is created on the server on first invite). */
  newSession(opts: { ttlSec?: number; page?: string; ref?: string; code?: boolean } = {}): void {
    if (!this.sig?.open) return;
    this.prepared.handoffReady = false;
    this.store.set({ phase: 'waiting', invite: null, customer: null, firstFrameAt: null, endedReason: null, error: null, figures: null, recoveries: 0 });
    this.quality.reset();
    this.link.recoveries = 0;
    // Ask for the microphone while the customer is still opening the link: it is ready before they join.
    void this.mic.ensure();
    // A short code by default: on a phone call the agent can read it out when a texted link does not arrive.
    this.sig.send({ type: 'create_invite', reqId: `i${++this.reqSeq}`, code: true, ...opts });
  }

  hangUp(): void {
    // never mid-transfer: that would strand the customer between two agents (the bar disables it too)
    if (this.state.handoffPending) return;
    if (this.sig?.open) this.sig.send({ type: 'hangup' });
    this.finish('agent_hangup');
  }

  setMicMuted(muted: boolean): void {
    this.store.set({ micMuted: muted });
    this.mic.applyEnabled();
  }

  /** Hold: nothing is sent and the customer is not heard until taken off hold (mute is kept apart). */
  setHeld(held: boolean): void {
    if (held && !this.inCall) return;
    this.store.set({ held });
    this.mic.applyEnabled();
  }

  private get inCall(): boolean {
    const p = this.state.phase;
    return p === 'waiting' || p === 'connecting' || p === 'connected' || p === 'reconnecting';
  }

  /** The live microphone track, if any. */
  get micTrack(): MediaStreamTrack | null { return this.mic.track; }

  /** Switch microphone mid-call (replaceTrack, no renegotiation); mute and hold carry over. */
  setMicDevice(deviceId: string | null): Promise<boolean> { return this.mic.switchTo(deviceId); }

  close(): void {
    this.closed = true;
    this.recovery.clear();
    this.link.close();
    for (const t of this.link.localStream?.getTracks() ?? []) t.stop();
    this.sig?.close();
  }

  // ------------------------------------------------------------ signaling

  private onWelcome(m: Extract<ServerMessage, { type: 'welcome' }>) {
    this.frames.emit(m);
    this.link.setIceServers(m.iceServers as RTCIceServer[]);
    const customer = m.members.find((x) => x.role === 'customer');
    if (m.roomId && customer && this.link.alive && this.state.customer?.memberId === customer.memberId) {
      // Only our socket moved (a draining node, a network blip): the media never went through
      // it, so the peer stays; one that is not connected gets its restart now that signals flow.
      const phase = this.state.phase === 'error' ? (this.link.linkState === 'connected' ? 'connected' : 'reconnecting') : this.state.phase;
      this.store.set({ customer: { ...this.state.customer, online: true }, phase, error: null });
      if (this.link.linkState !== 'connected') this.recovery.restartIce('signaling back');
    } else if (m.roomId && customer) {
      // We came back (reload) to a room with a customer in it, or were seated by a hand-off: pick the call up.
      this.marks.seated = epochNow();
      this.store.set({ customer: { memberId: customer.memberId, online: true, context: customer.context ?? null }, phase: 'connecting' });
      // a peer prepared while the hand-off rang: its offer goes out now (one still opening the mic offers directly when made)
      this.prepared.handoffReady = false;
      if (this.sendHeld()) return;
      this.starter.requestPeer();
    } else if (m.roomId) {
      this.store.set({ phase: this.state.invite ? 'waiting' : 'ready' });
    } else {
      this.store.set({ phase: this.state.phase === 'ended' ? 'ended' : 'ready', error: null });
    }
  }

  private onPeerJoined(member: { memberId: string; role: string; context?: ContextPacket }) {
    // agents (hand-offs) and technicians (agent/guests/) have their own controllers
    if (member.role !== 'customer') return;
    const arrived = epochNow();
    const prev = this.state.customer;
    const same = prev?.memberId === member.memberId;
    this.store.set({ customer: { memberId: member.memberId, online: true, context: member.context ?? prev?.context ?? null } });
    if (member.context?.ani && !same) this.frames.screenPop(member.context.ani, 'context');
    if (!same) { for (const k of Object.keys(this.marks)) delete this.marks[k]; this.marks.joinArrived = arrived; this.marks.peerJoined = epochNow(); }
    if (same && this.link.alive) {
      // Seat resumed. A live link needs nothing; a broken one is restarted now that signals can reach them.
      if (this.link.linkState !== 'connected') this.recovery.restartIce('customer back');
      return;
    }
    this.store.set({ phase: 'connecting' });
    if (this.sendHeld()) return;
    this.starter.requestPeer();
  }

  /** The customer is here: send the offer prepared for them (invite, hand-off) if it is still good (held-offer.ts). */
  private sendHeld(): boolean {
    const held = this.prepared.take();
    if (!held) return false;
    for (const d of held) this.sendSignal(d);
    this.recovery.armConnectWatchdog();
    return true;
  }

  private onPeerLeft(m: { memberId: string; reason: string }) {
    const c = this.state.customer;
    if (!c || c.memberId !== m.memberId) return;
    if (m.reason === 'hangup') {
      // The customer hung up: the call is over; close the room too so the link cannot be reused.
      if (this.sig?.open) this.sig.send({ type: 'hangup' });
      this.finish('customer_hangup');
      return;
    }
    // Only their signaling socket is gone: media may well still flow. Keep the peer; they will resume.
    this.store.set({ customer: { ...c, online: false } });
  }

  private onSignal(from: string, data: SignalData) {
    const c = this.state.customer;
    if (!c || from !== c.memberId) return;
    if (data.type === 'renegotiate') {
      // A customer without a peer (reloaded page) asks for a fresh offer. A peer younger than
      // a few seconds is already offering; otherwise start over. A customer whose peer could
      // not gather a single candidate has dropped it: start over whatever our peer's age.
      const fresh = this.link.alive && performance.now() - this.link.createdAt <= 3000 && data.reason !== 'no_candidates';
      if (!this.starter.pending && !fresh) {
        this.link.recoveries++;
        this.starter.requestPeer();
      }
      return;
    }
    if (!this.link.alive) return;
    this.link.signal(data);
  }

  private sendSignal(data: SignalData) {
    const c = this.state.customer;
    if (!c && this.prepared.keep(data)) return;
    if (data.type === 'offer') this.marks.offerSent ??= epochNow();
    if (!c || !this.sig?.open) return;
    this.sig.send({ type: 'signal', to: c.memberId, data });
  }

  private onSignalingClosed(moving: boolean) {
    if (this.closed) return;
    this.sig = null;
    if (moving) { console.info('signaling node draining; reconnecting'); void this.start(); return; }
    this.retrySignalingSoon();
  }

  private retrySignalingSoon() {
    if (this.closed) return;
    setTimeout(() => { if (!this.closed && !this.sig) void this.start(); }, 1000);
  }

  private finish(reason: string) {
    // The first reason wins: our own hangup after the customer's produces a second 'ended'.
    if (this.state.phase === 'ended') return;
    this.recovery.clear();
    this.prepared.clear();
    this.link.teardown(true);
    for (const t of this.link.localStream?.getTracks() ?? []) t.stop();
    this.link.localStream = null;
    this.mic.reset();
    this.store.set({ phase: 'ended', endedReason: reason, invite: null, remoteStream: null, link: 'none', held: false, micDeviceId: null, handoffPending: false, consultGuest: false });
  }
}
