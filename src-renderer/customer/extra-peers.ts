/**
 * The customer's peers beside the main agent's link: a second agent (the
 * receiver of a warm transfer, a consulted colleague) and technician guests.
 * Each offers a peer of its own, answered here from the same camera and
 * microphone tracks — no new consent, no reload. Their voices play beside the
 * main agent's. A second agent's link may become the main one (promote); a
 * technician's never does, and its data channel has no feature attached.
 */
import type { SignalData } from '../../signaling-server/protocol';
import { createMessenger, type Messenger } from '../call/peer/data-channel';
import type { PeerSession } from '../call/peer-session';
import type { SideSender } from '../call/quality/customer-quality';

interface Extra { link: PeerSession; stream: MediaStream | null }

export class ExtraPeers {
  private readonly links = new Map<string, Extra>();
  /** Agents in the room beside the main one (they offer a peer of their own). */
  readonly secondAgents = new Set<string>();
  /** Technician guests in the room (member id → the name the agent gave them). */
  readonly technicians = new Map<string, string | undefined>();

  constructor(private readonly d: {
    /** A new answering link that signals to this member. */
    makeLink(messenger: Messenger, memberId: string): PeerSession;
    /** The main agent's link: its ICE settings and local tracks are copied. */
    main(): PeerSession;
    /** The voices beside the main agent's changed. */
    onVoices(streams: MediaStream[]): void;
  }) {}

  /** Whether signals from this member belong here (not to the main link). */
  owns(memberId: string): boolean { return this.secondAgents.has(memberId) || this.technicians.has(memberId); }

  /** For tests and the bench: the live peer connections. */
  get pcs(): RTCPeerConnection[] { return [...this.links.values()].map((e) => e.link.peer?.pc).filter((pc): pc is RTCPeerConnection => !!pc); }

  get all(): PeerSession[] { return [...this.links.values()].map((e) => e.link); }

  /** The live links' connections, each with who is on the other end (the quality ladder caps a second agent's). */
  get senders(): SideSender[] {
    const out: SideSender[] = [];
    for (const [id, e] of this.links) {
      const pc = e.link.peer?.pc;
      if (pc) out.push({ pc, role: this.technicians.has(id) ? 'technician' : 'agent' });
    }
    return out;
  }

  /** An offer from a second agent or a technician: answered from a link of its own with the same local tracks. */
  signal(from: string, data: SignalData): void {
    let e = this.links.get(from);
    if (!e) {
      if (data.type !== 'offer') return;
      const main = this.d.main();
      const link = this.d.makeLink(createMessenger(), from);
      link.iceTransportPolicy = main.iceTransportPolicy;
      link.iceServers = main.iceServers;
      link.localStream = main.localStream;
      e = { link, stream: null };
      this.links.set(from, e);
      link.create();
    } else if (data.type === 'offer' && e.link.alive && isFromAnotherPeer(data.sdp, e.link.peer?.pc?.remoteDescription?.sdp)) {
      e.link.create();
    }
    e.link.signal(data);
  }

  /** Collect the audio each extra link receives (a second agent's, a technician's voice). */
  syncVoices(): void {
    const streams: MediaStream[] = [];
    for (const e of this.links.values()) {
      const r = e.link.peer?.pc?.getReceivers().map((x) => x.track).filter((t) => t.kind === 'audio') ?? [];
      if (r.length) streams.push(e.stream ??= new MediaStream(r));
    }
    this.d.onVoices(streams);
  }

  drop(memberId: string): void {
    const e = this.links.get(memberId);
    if (!e) return;
    this.links.delete(memberId);
    e.link.close();
    this.syncVoices();
  }

  dropAll(): void {
    for (const id of [...this.links.keys()]) this.drop(id);
  }

  /** Hand a second agent's link over to become the main one (it leaves this set). */
  take(memberId: string): PeerSession | null {
    const e = this.links.get(memberId);
    if (!e) return null;
    this.links.delete(memberId);
    return e.link;
  }

  /** A new camera track (front/back switch) on every live extra link. */
  async replaceTrack(old: MediaStreamTrack, track: MediaStreamTrack, stream: MediaStream): Promise<void> {
    for (const e of this.links.values()) if (e.link.alive) await e.link.peer!.replaceTrack(old, track, stream);
  }
}

/** Another remote peer offers when the DTLS fingerprint differs from the one we are talking to. */
export function isFromAnotherPeer(offerSdp: string | undefined, currentRemoteSdp: string | undefined): boolean {
  if (!offerSdp || !currentRemoteSdp) return false;
  const fp = (sdp: string) => /^a=fingerprint:(.+)$/m.exec(sdp)?.[1]?.trim() ?? '';
  return fp(offerSdp) !== fp(currentRemoteSdp);
}
