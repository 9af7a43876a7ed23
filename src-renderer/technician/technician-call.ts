/**
 * The technician guest's side of a three-way session, UI-free: join the
 * room with the single-use technician invite (or resume the seat after a
 * reload), a peer to the customer (their camera and voice to us, our
 * voice to them; the customer's page answers it like a second agent's,
 * from the same tracks) and a peer to each agent in the room (both voices,
 * and the data channel through which the agent's workstation relays
 * everyone's marks) — during a warm transfer or a consult that is two
 * agents, so the second one hears us and gets our marks too.
 * So all three hear each other: the customer and the agent hear the
 * technician on their own peer to it, the technician hears both. Without
 * a microphone (refused, none) the technician still hears and draws. The guest is sent no notes, stills, credits or
 * customer details: its channels carry only the annotation namespace, and
 * the server strips context packets from what a technician seat receives.
 * Removed by the agent: both peers close at once and the page says so.
 */
import { INVITE_STATE_META, inviteStatusPath, parseInviteState, parseInviteStatus, type InviteState, type Member, type ServerMessage, type SignalData } from '../../signaling-server/protocol';
import { createMessenger, type Messenger, type Transport } from '../call/peer/data-channel';
import { PeerSession, type LinkState } from '../call/peer-session';
import { createPeer } from '../call/peer/peer';
import { connectSignaling, sameOriginSignalingUrl, type SignalingClient } from '../call/signaling-client';
import { createStore, type Store } from '../call/observable-store';
import { browserContextInputs, buildContextPacket } from '../customer/context-packet';
import { forgetSeat, storeSeat, storedResumeToken } from '../customer/seat-storage';

export type TechnicianPhase = 'checking' | 'ready' | 'invalid' | 'joining' | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'removed' | 'ended';

export interface TechnicianState {
  phase: TechnicianPhase;
  invalidReason: 'used' | 'expired' | 'unknown' | 'unreachable' | null;
  remoteStream: MediaStream | null;
  customerLink: LinkState;
  agentLink: LinkState;
  /** The agent's name as the room knows it. */
  agentName: string | null;
  customerPresent: boolean;
  /** Date.now() when the page learned it was removed (tests measure revoke → gone). */
  removedAt: number | null;
  /** The agent's voice (the customer's comes with their video). */
  agentStream: MediaStream | null;
  /** The other agents' voices (a second agent during a warm transfer or a consult). */
  otherAgentStreams: MediaStream[];
  /** Our microphone: there is one, it is muted, or why it could not be opened. */
  hasMic: boolean;
  micMuted: boolean;
  micError: string | null;
}

/** How long joining waits for the microphone prompt before going on without it (it is added when it comes). */
const MIC_WAIT_MS = 10_000;

interface AgentLink { name: string | null; link: PeerSession; transport: Transport | null; stream: MediaStream | null }

export class TechnicianCall {
  readonly store: Store<TechnicianState>;
  /**
   * The agents' data channels as one: the annotation namespace only. What we send goes to every
   * agent's workstation (each applies our marks through its guest gate and relays them); what any
   * of them sends comes in here (their operations are idempotent, so two hubs sending the same
   * shapes converge).
   */
  readonly messenger: Messenger = createMessenger();
  private sig: SignalingClient | null = null;
  private customerId: string | null = null;
  /** The agent the page names (the first seated); its link's state is `agentLink`. */
  private agentId: string | null = null;
  private readonly customer: PeerSession;
  /** One link per agent in the room (member id → link). */
  private readonly agents = new Map<string, AgentLink>();
  private over = false;
  private reconnectDelay = 250;
  private mic: MediaStream | null = null;
  private micOpening: Promise<MediaStream | null> | null = null;

  constructor(readonly token: string, private readonly signalingUrl = sameOriginSignalingUrl()) {
    this.store = createStore<TechnicianState>({
      phase: 'checking', invalidReason: null, remoteStream: null, customerLink: 'none', agentLink: 'none',
      agentName: null, customerPresent: false, removedAt: null, agentStream: null, otherAgentStreams: [], hasMic: false, micMuted: false, micError: null,
    });
    this.customer = new PeerSession({
      initiator: true,
      createPeer,
      messenger: createMessenger(),
      // their camera to us only; audio both ways (a recvonly audio slot is added when we have no microphone)
      receiveOnly: ['video'],
      sendSignal: (d) => this.signalTo(this.customerId, d),
      onRemoteStream: (s) => this.store.set({ remoteStream: s }),
      onLinkState: (s) => { this.store.set({ customerLink: s }); this.syncPhase(); },
      onFigures: () => {},
      onPeerError: (e) => console.warn('technician → customer peer error', e.code, e.message),
      statsIntervalMs: 5000,
    });
  }

  get state(): TechnicianState { return this.store.get(); }
  /** For tests: the live peer connections (customer, the named agent, every agent). */
  get pcs(): { customer: RTCPeerConnection | null, agent: RTCPeerConnection | null, agents: RTCPeerConnection[] } {
    const agents = [...this.agents.values()].map((a) => a.link.peer?.pc).filter((pc): pc is RTCPeerConnection => !!pc);
    return { customer: this.customer.peer?.pc ?? null, agent: (this.agentId && this.agents.get(this.agentId)?.link.peer?.pc) || null, agents };
  }

  // ------------------------------------------------------------ agents' links

  /** The link to an agent, made on first sight (its data channel feeds the one annotation messenger). */
  private agentLink(memberId: string, name: string | null): AgentLink {
    let a = this.agents.get(memberId);
    if (a) { if (name) a.name = name; return a; }
    const self: AgentLink = { name, transport: null, stream: null, link: null as unknown as PeerSession };
    // a port per link: the session attaches its channel here, and the channels are sent on together
    const port = {
      attach: (t: Transport) => { self.transport = t; this.syncChannels(); },
      detach: () => { self.transport = null; this.syncChannels(); },
      receive: (raw: string | Uint8Array | ArrayBuffer) => this.messenger.receive(raw),
    } as unknown as Messenger;
    self.link = new PeerSession({
      initiator: true,
      createPeer,
      messenger: port,
      sendSignal: (d) => this.signalTo(memberId, d),
      onRemoteStream: (s) => { self.stream = s; this.publishAgents(); },
      onLinkState: () => { this.publishAgents(); this.syncPhase(); },
      onFigures: () => {},
      onPeerError: (e) => console.warn('technician → agent peer error', e.code, e.message),
      statsIntervalMs: 5000,
    });
    const ice = this.customer.iceServers;
    self.link.iceServers = ice;
    this.agents.set(memberId, self);
    return self;
  }

  private dropAgent(memberId: string) {
    const a = this.agents.get(memberId);
    if (!a) return;
    this.agents.delete(memberId);
    a.link.close();
    a.transport = null;
    this.syncChannels();
    if (this.agentId === memberId) this.agentId = [...this.agents.keys()][0] ?? null;
    this.publishAgents();
  }

  /** The annotation messenger is open while any agent's channel is; what it sends goes to all of them. */
  private syncChannels() {
    const open = [...this.agents.values()].filter((a) => a.transport);
    if (!open.length) { if (this.messenger.isOpen()) this.messenger.detach(); return; }
    if (this.messenger.isOpen()) return;
    this.messenger.attach({
      send: (d) => { let ok = false; for (const a of this.agents.values()) if (a.transport?.send(d)) ok = true; return ok; },
      bufferedAmount: () => Math.max(0, ...[...this.agents.values()].map((a) => a.transport?.bufferedAmount?.() ?? 0)),
    });
  }

  private publishAgents() {
    const named = this.agentId ? this.agents.get(this.agentId) : undefined;
    this.store.set({
      agentName: named?.name ?? null,
      agentLink: named?.link.linkState ?? 'none',
      agentStream: named?.stream ?? null,
      otherAgentStreams: [...this.agents].filter(([id, a]) => id !== this.agentId && a.stream).map(([, a]) => a.stream!),
    });
  }

  /** Page load: a stored seat resumes at once; otherwise the invite's state decides whether Join is offered. */
  async init(): Promise<void> {
    if (storedResumeToken(this.token)) { void this.join(); return; }
    let state: InviteState | 'unreachable' | undefined = parseInviteState(document.querySelector<HTMLMetaElement>(`meta[name="${INVITE_STATE_META}"]`)?.content);
    if (!state) {
      try {
        state = parseInviteStatus(await (await fetch(inviteStatusPath(this.token), { cache: 'no-store' })).json()) ?? 'unknown';
      } catch {
        state = 'unreachable';
      }
    }
    this.store.set(state === 'valid' ? { phase: 'ready' } : { phase: 'invalid', invalidReason: state });
  }

  async join(): Promise<void> {
    if (this.over) return;
    this.store.set({ phase: 'joining' });
    // the microphone first (the Join click is the gesture its prompt needs), but never held up for long
    const mic = this.openMic();
    await Promise.race([mic, new Promise((r) => setTimeout(r, MIC_WAIT_MS))]);
    if (this.over) return;
    try {
      const sig = await connectSignaling(this.signalingUrl);
      this.sig = sig;
      sig.on('welcome', (m) => this.onWelcome(m));
      sig.on('signal', (m) => this.onSignal(m.from, m.data));
      sig.on('peer_joined', (m) => this.onPeerJoined(m.member));
      sig.on('peer_left', (m) => this.onPeerLeft(m));
      sig.on('ended', (m) => this.end(m.reason === 'room_closed' ? 'removed' : 'ended'));
      sig.on('error', (m) => this.onServerError(m));
      sig.onClose(() => this.onSocketClosed(sig));
      const context = buildContextPacket(browserContextInputs());
      const resume = storedResumeToken(this.token);
      if (resume) sig.send({ type: 'resume', v: 1, resumeToken: resume, context });
      else sig.send({ type: 'join', v: 1, invite: this.token, context });
    } catch {
      this.onSocketClosed(null);
    }
  }

  leave(): void {
    if (this.sig?.open) this.sig.send({ type: 'hangup' });
    this.end('ended');
  }

  close(): void { this.end('ended'); }

  /** Mute is on the track itself, so both peers (customer and agent) go silent together. */
  setMicMuted(muted: boolean): void {
    for (const t of this.mic?.getAudioTracks() ?? []) t.enabled = !muted;
    this.store.set({ micMuted: muted });
  }

  // ------------------------------------------------------------ microphone

  /** Opened once; a refusal is not fatal (the technician still sees, hears and draws). */
  private openMic(): Promise<MediaStream | null> {
    this.micOpening ??= navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true } }).then(
      (s) => {
        if (this.over) { for (const t of s.getTracks()) t.stop(); return null; }
        this.mic = s;
        for (const t of s.getAudioTracks()) t.enabled = !this.state.micMuted;
        this.store.set({ hasMic: s.getAudioTracks().length > 0, micError: null });
        // peers made while the prompt was open get the track now (we are the offerer of both: it renegotiates)
        for (const link of [this.customer, ...[...this.agents.values()].map((a) => a.link)]) this.addMicTo(link);
        return s;
      },
      (err: Error) => { this.store.set({ hasMic: false, micError: `${err.name}: ${err.message}` }); return null; },
    );
    return this.micOpening;
  }

  /** Each peer sends the microphone from a stream of its own (the same track). */
  private micStream(): MediaStream {
    return new MediaStream(this.mic?.getAudioTracks() ?? []);
  }

  private addMicTo(link: PeerSession) {
    const track = this.mic?.getAudioTracks()[0];
    const peer = link.peer;
    if (!track || !peer || peer.destroyed) return;
    if (link.localStream?.getAudioTracks().includes(track)) return;
    link.localStream ??= new MediaStream();
    link.localStream.addTrack(track);
    peer.addTrack(track, link.localStream);
  }

  /** A new peer to the customer or the agent, sending our voice; without a microphone it still receives theirs. */
  private offer(link: PeerSession) {
    link.localStream = this.micStream();
    link.create();
    if (!link.localStream.getAudioTracks().length) link.peer?.pc?.addTransceiver('audio', { direction: 'recvonly' });
  }

  // ------------------------------------------------------------ signaling

  private onWelcome(m: Extract<ServerMessage, { type: 'welcome' }>) {
    this.reconnectDelay = 250;
    if (m.role !== 'technician') { this.end('ended'); return; }
    if (m.resumeToken) storeSeat(this.token, m.resumeToken, 'camera');
    const servers = m.iceServers as RTCIceServer[];
    this.customer.setIceServers(servers);
    const agents = m.members.filter((x) => x.role === 'agent');
    // agents no longer in the room go; after a signaling blip the links may still be up: only missing ones are offered again
    for (const id of [...this.agents.keys()]) if (!agents.some((x) => x.memberId === id)) this.dropAgent(id);
    if (!this.agentId || !this.agents.has(this.agentId)) this.agentId = agents[0]?.memberId ?? null;
    for (const x of agents) {
      const a = this.agentLink(x.memberId, x.name ?? null);
      a.link.setIceServers(servers);
      if (!a.link.alive) this.offer(a.link);
    }
    this.publishAgents();
    const customer = m.members.find((x) => x.role === 'customer');
    this.store.set({ customerPresent: !!customer });
    if (customer) { const same = customer.memberId === this.customerId; this.customerId = customer.memberId; if (!same || !this.customer.alive) this.offer(this.customer); }
    this.syncPhase();
  }

  private onPeerJoined(member: Member) {
    // a member came back (reload, resume): its old peer to us is gone, so we offer a fresh one
    if (member.role === 'customer') { this.customerId = member.memberId; this.store.set({ customerPresent: true }); this.offer(this.customer); }
    else if (member.role === 'agent') {
      // an agent came back, or a second one was seated (warm transfer, consult): a peer of our own to them
      const a = this.agentLink(member.memberId, member.name ?? null);
      this.agentId ??= member.memberId;
      this.offer(a.link);
      this.publishAgents();
    }
    this.syncPhase();
  }

  private onPeerLeft(m: { memberId: string, role: string, reason: string }) {
    if (m.memberId === this.customerId && m.reason === 'hangup') {
      this.customer.teardown(true);
      this.store.set({ customerPresent: false });
    }
    // an agent handed the customer over (or left): the marks and voices go on with the one who stays
    if (m.role === 'agent' && m.reason !== 'disconnect') this.dropAgent(m.memberId);
    this.syncPhase();
  }

  private onSignal(from: string, data: SignalData) {
    if (from === this.customerId) this.customer.signal(data);
    else this.agents.get(from)?.link.signal(data);
  }

  private signalTo(to: string | null, data: SignalData) {
    if (to && this.sig?.open) this.sig.send({ type: 'signal', to, data });
  }

  private onServerError(m: Extract<ServerMessage, { type: 'error' }>) {
    const reason: Record<string, TechnicianState['invalidReason']> = { invite_used: 'used', invite_expired: 'expired', invite_unknown: 'unknown' };
    if (reason[m.code]) { this.over = true; this.sig?.close(); this.store.set({ phase: 'invalid', invalidReason: reason[m.code]! }); return; }
    if (m.code === 'resume_invalid') { this.end('removed'); return; }
    console.warn('signaling error', m.code, m.message);
  }

  private onSocketClosed(sig: SignalingClient | null) {
    if (sig && this.sig === sig) this.sig = null;
    if (this.over) return;
    if (!storedResumeToken(this.token)) { this.store.set({ phase: 'invalid', invalidReason: 'unreachable' }); return; }
    this.store.set({ phase: 'reconnecting' });
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, 4000);
    setTimeout(() => { if (!this.over && !this.sig) void this.join(); }, delay);
  }

  private syncPhase() {
    const s = this.state;
    if (this.over || s.phase === 'ready' || s.phase === 'checking' || s.phase === 'invalid') return;
    const phase: TechnicianPhase = !s.customerPresent ? 'waiting' : s.customerLink === 'connected' ? 'connected' : s.customerLink === 'disconnected' || s.customerLink === 'failed' ? 'reconnecting' : 'connecting';
    if (phase !== s.phase) this.store.set({ phase });
  }

  /** Removed by the agent (or the call ended): every peer closes now, so the customer's picture stops here at once. */
  private end(how: 'removed' | 'ended') {
    if (this.over && (this.state.phase === 'removed' || this.state.phase === 'ended')) return;
    this.over = true;
    forgetSeat(this.token);
    this.customer.close();
    for (const id of [...this.agents.keys()]) this.dropAgent(id);
    this.sig?.close();
    for (const t of this.mic?.getTracks() ?? []) t.stop();
    this.mic = null;
    this.store.set({ phase: how, remoteStream: null, agentStream: null, otherAgentStreams: [], hasMic: false, removedAt: how === 'removed' ? Date.now() : null });
  }
}
