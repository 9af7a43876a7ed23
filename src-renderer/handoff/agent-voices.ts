/**
 * Agent-to-agent voice while two agents share a customer's room (a consult,
 * a warm transfer): one audio-only peer per other agent, so the consulted
 * colleague and the agent talk while the customer is on hold, and during a
 * warm transfer the two agents hear each other as well as the customer.
 * The agent who is seated later offers (its welcome lists the others); the
 * one already there answers. UI-free; ColleagueVoices.tsx plays them.
 *
 * The microphone goes out as a clone of the call's track: a consulted
 * colleague's own track is muted toward the waiting customer, yet they must
 * be heard by the agent who asked. The clone follows the agent's own mute
 * and hold, and the call's device (a switch mid-call is followed on it).
 *
 * The same peer's data channel carries the two agents' marks (the annotation
 * namespace only; see annotation/sync/colleague-gate.ts): `onMessenger` hands
 * it to the annotation stage with which side is the hub — the agent seated
 * first in the room, as this desk learnt it from the server (listed in our
 * welcome: seated before us; announced by peer_joined: after us).
 */
import type { SignalData } from '../../signaling-server/protocol';
import { createMessenger, type Messenger } from '../call/peer/data-channel';
import { PeerSession } from '../call/peer-session';
import { createPeer } from '../call/peer/peer';
import { createStore, type Store } from '../call/observable-store';
import type { AgentCall } from '../agent/agent-call';

export interface ColleagueVoice { memberId: string; name: string | null; stream: MediaStream }

export interface AgentVoicesState { voices: ColleagueVoice[] }

/** How long the offerer waits for its own microphone before offering without it (it still hears the other). */
const MIC_WAIT_MS = 2000;

/** How long the voice offer waits for our link to the customer to connect (their first frame comes first). */
const CUSTOMER_FIRST_MS = 5000;

function connected(call: AgentCall, maxMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { clearTimeout(timer); off(); resolve(); };
    const timer = setTimeout(done, maxMs);
    const off = call.store.subscribe(() => { if (call.state.link === 'connected' || call.state.phase === 'ended') done(); });
    if (call.state.link === 'connected') done();
  });
}

interface Link { session: PeerSession; name: string | null; clone: MediaStreamTrack | null; source: MediaStreamTrack | null; voice: MediaStream | null }

/** Our link to another agent's desk: its data channel, and whether that agent is the room's hub (seated before us). */
export type ColleagueMessengerFn = (memberId: string, m: Messenger | null, theyAreHub: boolean) => void;

const byCall = new WeakMap<AgentCall, AgentVoices>();

/** The call's agent-to-agent links (made by the workstation's App), for the annotation stage. */
export function voicesOf(call: AgentCall): AgentVoices | undefined { return byCall.get(call); }

export class AgentVoices {
  readonly store: Store<AgentVoicesState> = createStore<AgentVoicesState>({ voices: [] });
  private readonly links = new Map<string, Link>();
  private readonly offs: Array<() => void> = [];
  private readonly messengerFns = new Set<ColleagueMessengerFn>();
  /** Who was seated first, per other agent: 'before' us (they are the hub) or 'after' us (we are). Kept across socket blips. */
  private readonly order = new Map<string, 'before' | 'after'>();
  /**
   * One data-channel messenger per other agent, from the moment we know they share the room
   * (so the second agent's desk draws as the second agent at once) until they leave it; each
   * new peer to them attaches to it.
   */
  private readonly messengers = new Map<string, Messenger>();

  constructor(private readonly call: AgentCall) {
    byCall.set(call, this);
    this.offs.push(
      call.onServer('welcome', (m) => {
        if (!m.roomId) return;
        this.setIce(m.iceServers as RTCIceServer[]);
        for (const x of m.members) {
          if (x.role !== 'agent') continue;
          if (!this.order.has(x.memberId)) this.order.set(x.memberId, 'before');
          this.messengerOf(x.memberId);
        }
        // seated beside agents already in the room: we offer (after a socket blip, only where no link is alive)
        for (const x of m.members) if (x.role === 'agent' && !this.links.get(x.memberId)?.session.alive) void this.offer(x.memberId, x.name ?? null);
      }),
      // gone (left, seat removed, timed out); a mere socket blip keeps the media
      call.onServer('peer_left', (m) => { if (m.role === 'agent' && m.reason !== 'disconnect') this.drop(m.memberId); }),
      call.onServer('signal', (m) => this.onSignal(m.from, m.data)),
      call.onServer('peer_joined', (m) => {
        if (m.member.role !== 'agent') return;
        this.names.set(m.member.memberId, m.member.name ?? null);
        if (!this.order.has(m.member.memberId)) this.order.set(m.member.memberId, 'after');
        this.messengerOf(m.member.memberId);
      }),
      call.store.subscribe(() => { if (call.state.phase === 'ended') this.dropAll(); else this.syncMic(); }),
    );
  }

  /** Names of agents who joined after us (they offer; we answer). */
  private readonly names = new Map<string, string | null>();

  get state(): AgentVoicesState { return this.store.get(); }

  /** For tests and diagnostics: the live agent-to-agent peer connections. */
  get pcs(): RTCPeerConnection[] {
    return [...this.links.values()].map((l) => l.session.peer?.pc).filter((pc): pc is RTCPeerConnection => !!pc);
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.dropAll();
    if (byCall.get(this.call) === this) byCall.delete(this.call);
  }

  /** Each other agent's data channel as links come and go (the annotation stage links the two desks' marks through it). */
  onMessenger(fn: ColleagueMessengerFn): () => void {
    this.messengerFns.add(fn);
    for (const [id, m] of this.messengers) fn(id, m, this.isHub(id));
    return () => { this.messengerFns.delete(fn); };
  }

  private isHub(memberId: string): boolean { return this.order.get(memberId) === 'before'; }

  private messengerOf(memberId: string): Messenger {
    let m = this.messengers.get(memberId);
    if (!m) { this.messengers.set(memberId, (m = createMessenger())); this.tellMessenger(memberId, m); }
    return m;
  }

  private tellMessenger(memberId: string, m: Messenger | null) {
    for (const fn of this.messengerFns) { try { fn(memberId, m, this.isHub(memberId)); } catch (err) { console.error('colleague messenger listener failed', err); } }
  }

  private link(memberId: string, name: string | null, initiator: boolean): Link {
    const old = this.links.get(memberId);
    if (old) { old.session.close(); old.clone?.stop(); }
    const l: Link = { session: null as unknown as PeerSession, name, clone: null, source: null, voice: null };
    l.session = new PeerSession({
      initiator,
      createPeer,
      messenger: this.messengerOf(memberId),
      sendSignal: (d) => this.call.send({ type: 'signal', to: memberId, data: d }),
      onRemoteStream: (s) => { l.voice = s; this.publish(); },
      onLinkState: () => {},
      onFigures: () => {},
      onPeerError: (e) => console.warn('colleague voice peer error', e.code, e.message),
      statsIntervalMs: 5000,
    });
    l.session.iceServers = this.call.iceServers;
    this.links.set(memberId, l);
    // a new peer to the same agent may be a new page (a reload: a new author): the annotation stage starts afresh (a new gate)
    if (old) this.tellMessenger(memberId, this.messengerOf(memberId));
    return l;
  }

  /** Our microphone for this link: a clone of the call's track, enabled by our own mute and hold only. */
  private attachMic(l: Link, source: MediaStreamTrack | null) {
    l.clone?.stop();
    l.source = source && source.readyState === 'live' ? source : null;
    l.clone = l.source ? l.source.clone() : null;
    if (l.clone) l.clone.enabled = this.micOn;
    l.session.localStream = new MediaStream(l.clone ? [l.clone] : []);
  }

  private async offer(memberId: string, name: string | null) {
    const mic = await Promise.race([this.call.mic.ensure(), new Promise<null>((r) => setTimeout(() => r(null), MIC_WAIT_MS))]);
    // the customer's picture first: a warm transfer's receiver offers its voice link once its own link is up
    await connected(this.call, CUSTOMER_FIRST_MS);
    if (this.call.state.phase === 'ended' || this.links.get(memberId)?.session.alive) return;
    const l = this.link(memberId, name, true);
    this.attachMic(l, mic?.getAudioTracks()[0] ?? this.call.micTrack);
    l.session.create();
    if (!l.clone) l.session.peer?.pc?.addTransceiver('audio', { direction: 'recvonly' });
    this.publish();
  }

  private onSignal(from: string, data: SignalData) {
    let l = this.links.get(from);
    if (data.type === 'offer') {
      // only an agent seated in our room offers us a voice link (technicians' peers are the guests controller's)
      if (!l && !this.names.has(from)) return;
      // the offerer never renegotiates its peer: any offer is a new peer, answered from a fresh link
      l = this.link(from, l?.name ?? this.names.get(from) ?? null, false);
      this.attachMic(l, this.call.micTrack);
      l.session.create();
    }
    if (l?.session.alive) l.session.signal(data);
  }

  private get micOn(): boolean {
    const s = this.call.state;
    // a consulted colleague's call mute is the consult's (toward the customer), not toward us
    return !s.held && (!s.micMuted || s.consultGuest);
  }

  /** Mute, hold and the call's microphone device, followed on every link without renegotiating. */
  private syncMic() {
    const on = this.micOn;
    const mic = this.call.micTrack;
    for (const l of this.links.values()) {
      if (mic && mic.readyState === 'live' && l.clone && l.source !== mic) {
        const old = l.clone;
        l.source = mic;
        l.clone = mic.clone();
        void l.session.replaceTrack(old, l.clone).finally(() => old.stop());
      }
      if (l.clone && l.clone.enabled !== on) l.clone.enabled = on;
    }
  }

  private setIce(servers: RTCIceServer[]) {
    for (const l of this.links.values()) l.session.setIceServers(servers);
  }

  private drop(memberId: string) {
    const l = this.links.get(memberId);
    this.names.delete(memberId);
    this.order.delete(memberId);
    if (this.messengers.delete(memberId)) this.tellMessenger(memberId, null);
    if (!l) return;
    this.links.delete(memberId);
    l.session.close();
    l.clone?.stop();
    this.publish();
  }

  private dropAll() {
    for (const id of new Set([...this.links.keys(), ...this.messengers.keys()])) this.drop(id);
    this.names.clear();
    this.order.clear();
  }

  private publish() {
    const voices = [...this.links.entries()].flatMap(([memberId, l]) => (l.voice ? [{ memberId, name: l.name, stream: l.voice }] : []));
    const cur = this.state.voices;
    if (voices.length === cur.length && voices.every((v, i) => v.memberId === cur[i]!.memberId && v.stream === cur[i]!.stream)) return;
    this.store.set({ voices });
  }
}
