/**
 * Technician guests on the agent's side (issue 13, three-way triage): a
 * single-use, expiring technician invite for the live room, who is in the
 * session, and removing a guest. Each technician offers this workstation a
 * peer with both voices (the agent's microphone track, the same one the
 * customer's link sends, so mute and hold apply to both) and a data channel
 * that carries the annotation namespace and nothing else (no stills, notes,
 * credits or case — those stay on the customer's link and in main). The
 * customer's video reaches the technician on the customer's own peer to it.
 * UI-free; TechnicianPanel.tsx draws it.
 */
import type { SignalData } from '../../../signaling-server/protocol';
import { createMessenger, type Messenger } from '../../call/peer/data-channel';
import { PeerSession, type LinkState } from '../../call/peer-session';
import { createPeer } from '../../call/peer/peer';
import { createStore, type Store } from '../../call/observable-store';
import { GUEST_REQ_PREFIX, type AgentCall } from '../agent-call';

export interface GuestView { memberId: string; name: string | null; link: LinkState; online: boolean }

export interface AgentGuestsState {
  /** The technicians' voices, played by the panel. */
  voices: Array<{ memberId: string; stream: MediaStream }>;
  /** The technician invite waiting to be used (the link is single use). */
  invite: { url: string; expiresAt: number; name: string; code?: string } | null;
  pending: boolean;
  error: string | null;
  guests: GuestView[];
}

/** How long a technician invite stays usable by default. */
export const GUEST_INVITE_TTL_SEC = 15 * 60;

/** What happened to a technician guest, for the case timeline (guest-recorder.ts). */
export interface GuestEvent { action: 'invited' | 'joined' | 'removed' | 'left'; name: string | null }

interface Guest { view: GuestView; link: PeerSession; messenger: Messenger; voice: MediaStream | null }

export class AgentGuests {
  readonly store: Store<AgentGuestsState> = createStore<AgentGuestsState>({ invite: null, pending: false, error: null, guests: [], voices: [] });
  private readonly guests = new Map<string, Guest>();
  private readonly messengerFns = new Set<(memberId: string, m: Messenger | null) => void>();
  private readonly eventFns = new Set<(e: GuestEvent) => void>();
  private readonly offs: Array<() => void> = [];
  private seq = 0;
  private lastInviteName = '';

  constructor(private readonly call: AgentCall) {
    this.offs.push(
      call.onServer('welcome', (m) => {
        for (const x of m.members) if (x.role === 'technician') this.seen(x.memberId, x.name ?? null, true);
        // this welcome's TURN credentials (the call applies them to its own link right after)
        for (const g of this.guests.values()) g.link.setIceServers(m.iceServers as RTCIceServer[]);
      }),
      call.onServer('peer_joined', (m) => { if (m.member.role === 'technician') this.seen(m.member.memberId, m.member.name ?? null, true); }),
      call.onServer('peer_left', (m) => {
        if (m.role !== 'technician') return;
        // a hang-up or a revocation frees the seat; a lost socket may come back (resume)
        if (m.reason === 'hangup') { if (this.guests.has(m.memberId)) this.event('left', this.guests.get(m.memberId)!.view.name); this.drop(m.memberId); }
        else this.patch(m.memberId, { online: false });
      }),
      call.onServer('signal', (m) => this.onSignal(m.from, m.data)),
      call.onServer('invite_created', (m) => {
        if (!m.reqId?.startsWith(GUEST_REQ_PREFIX)) return;
        this.store.set({ pending: false, error: null, invite: { url: m.url, expiresAt: m.expiresAt, name: this.lastInviteName, ...(m.code ? { code: m.code } : {}) } });
        this.event('invited', this.lastInviteName || null);
      }),
      call.onServer('error', (m) => { if (m.reqId?.startsWith(GUEST_REQ_PREFIX)) this.store.set({ pending: false, error: m.message }); }),
      call.store.subscribe(() => { if (call.state.phase === 'ended') this.reset(); else this.syncMic(); }),
    );
  }

  get state(): AgentGuestsState { return this.store.get(); }

  /** A technician invite for the live room, naming the guest as the customer will see them. */
  invite(name: string): boolean {
    const clean = name.trim().slice(0, 120);
    this.lastInviteName = clean;
    this.store.set({ pending: true, error: null, invite: null });
    const ok = this.call.send({ type: 'create_invite', reqId: `${GUEST_REQ_PREFIX}${++this.seq}`, role: 'technician', ttlSec: GUEST_INVITE_TTL_SEC, ...(clean ? { name: clean } : {}) });
    if (!ok) this.store.set({ pending: false, error: 'signaling is not connected' });
    return ok;
  }

  /** Cut the guest off (the server ends its socket and seat); its link goes here at once. */
  remove(memberId: string): void {
    this.call.send({ type: 'guest_revoke', memberId });
    if (this.guests.has(memberId)) this.event('removed', this.guests.get(memberId)!.view.name);
    this.drop(memberId);
  }

  /** Each technician's data channel as it comes and goes (the annotation stage relays marks through it). */
  onMessenger(fn: (memberId: string, m: Messenger | null) => void): () => void {
    this.messengerFns.add(fn);
    for (const [id, g] of this.guests) fn(id, g.messenger);
    return () => { this.messengerFns.delete(fn); };
  }

  /** Invited, joined, removed, left: as they happen (the case timeline records them). Returns unsubscribe. */
  onEvent(fn: (e: GuestEvent) => void): () => void {
    this.eventFns.add(fn);
    return () => { this.eventFns.delete(fn); };
  }

  private event(action: GuestEvent['action'], name: string | null) {
    for (const fn of this.eventFns) { try { fn({ action, name }); } catch (err) { console.error('guest event listener failed', err); } }
  }

  /** For tests and diagnostics: each technician's live peer connection. */
  get pcs(): RTCPeerConnection[] {
    return [...this.guests.values()].map((g) => g.link.peer?.pc).filter((pc): pc is RTCPeerConnection => !!pc);
  }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    this.reset();
  }

  private seen(memberId: string, name: string | null, online: boolean) {
    if (this.guests.has(memberId)) { this.patch(memberId, { online, ...(name ? { name } : {}) }); return; }
    const messenger = createMessenger();
    const link: PeerSession = new PeerSession({
      // the technician offers (it knows everyone from its welcome); this side answers, data only
      initiator: false,
      createPeer,
      messenger,
      sendSignal: (d) => this.call.send({ type: 'signal', to: memberId, data: d }),
      onRemoteStream: (s) => { const g = this.guests.get(memberId); if (g) { g.voice = s; this.publish(); } },
      onLinkState: (s) => this.patch(memberId, { link: s }),
      onFigures: () => {},
      onPeerError: (e) => console.warn('technician peer error', e.code, e.message),
      statsIntervalMs: 5000,
    });
    link.iceServers = this.call.iceServers;
    this.guests.set(memberId, { view: { memberId, name, link: 'none', online }, link, messenger, voice: null });
    this.event('joined', name);
    // the invite is used: it cannot be handed out again
    this.store.set({ invite: null });
    this.publish();
    for (const fn of this.messengerFns) fn(memberId, messenger);
  }

  private onSignal(from: string, data: SignalData) {
    const g = this.guests.get(from);
    if (!g) return;
    if (data.type === 'offer' && g.link.alive && g.link.linkState !== 'none' && g.link.peer?.pc?.remoteDescription) this.answer(g);
    else if (!g.link.alive) { if (data.type !== 'offer') return; this.answer(g); }
    g.link.signal(data);
  }

  /** A fresh peer for the technician's offer, answering with our microphone (their voice comes the other way). */
  private answer(g: Guest) {
    const mic = this.call.micTrack;
    g.link.localStream = new MediaStream(mic && mic.readyState === 'live' ? [mic] : []);
    g.link.create();
  }

  /**
   * The call's microphone track changes (opened after the guest joined, or another
   * device chosen mid-call): each technician's sender follows it without renegotiating.
   */
  private syncMic() {
    const mic = this.call.micTrack;
    if (!mic || mic.readyState !== 'live') return;
    for (const g of this.guests.values()) {
      const sender = g.link.peer?.pc?.getSenders().find((x) => x.track?.kind === 'audio');
      // (answered with no microphone at all: that peer only listens until it is made again)
      if (!sender?.track || sender.track === mic) continue;
      void g.link.replaceTrack(sender.track, mic).catch(() => {});
    }
  }

  private drop(memberId: string) {
    const g = this.guests.get(memberId);
    if (!g) return;
    this.guests.delete(memberId);
    g.link.close();
    for (const fn of this.messengerFns) fn(memberId, null);
    this.publish();
  }

  private reset() {
    for (const id of [...this.guests.keys()]) this.drop(id);
    if (this.state.invite || this.state.pending) this.store.set({ invite: null, pending: false });
  }

  private patch(memberId: string, p: Partial<GuestView>) {
    const g = this.guests.get(memberId);
    if (!g) return;
    g.view = { ...g.view, ...p };
    this.publish();
  }

  private publish() {
    const all = [...this.guests.values()];
    this.store.set({
      guests: all.map((g) => g.view),
      voices: all.flatMap((g) => (g.voice ? [{ memberId: g.view.memberId, stream: g.voice }] : [])),
    });
  }
}

const byCall = new WeakMap<AgentCall, AgentGuests>();

/** The one guests controller of a call (the panel and the annotation stage share it). */
export function guestsOf(call: AgentCall): AgentGuests {
  let g = byCall.get(call);
  if (!g) byCall.set(call, (g = new AgentGuests(call)));
  return g;
}
