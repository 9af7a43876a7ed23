/**
 * The one peer interface the product uses. Two implementations share it and
 * the wire: peer.ts over simple-peer (the offering side: agent, technician)
 * and native-peer.ts directly over RTCPeerConnection (the answering side in
 * the customer's page). PeerSession takes the factory, so each page bundles
 * only the one it uses.
 */
import type { SignalData } from '../../../signaling-server/protocol';

export type PeerConnectionState = RTCPeerConnectionState;

export interface PeerEvents {
  signal: (data: SignalData) => void;
  track: (track: MediaStreamTrack, stream: MediaStream) => void;
  stream: (stream: MediaStream) => void;
  data: (data: string | Uint8Array) => void;
  connect: () => void;
  close: () => void;
  error: (err: { code: string; message: string }) => void;
  'connection-state': (state: PeerConnectionState, ice: RTCIceConnectionState) => void;
}

export interface PeerOptions {
  initiator: boolean;
  stream?: MediaStream | null;
  iceServers?: RTCIceServer[];
  iceTransportPolicy?: RTCIceTransportPolicy;
  /**
   * Kinds the initiator wants to receive without sending (the agent receives
   * video but sends only audio). Added to the first offer, so the answerer's
   * camera track binds to it without an extra renegotiation round trip.
   */
  receiveOnly?: Array<'audio' | 'video'>;
}

export interface Peer {
  readonly initiator: boolean;
  readonly destroyed: boolean;
  /** True once the data channel is open (media may flow earlier). */
  readonly connected: boolean;
  on<E extends keyof PeerEvents>(event: E, fn: PeerEvents[E]): () => void;
  signal(data: SignalData): void;
  send(data: string | Uint8Array): boolean;
  /** Data channel bytes queued but not sent yet (for back-pressure of chunked transfers). */
  bufferedAmount(): number;
  /** New ICE credentials + renegotiation; only the initiator can drive it, the other side asks for it. */
  restartIce(): void;
  replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack, stream: MediaStream): Promise<void>;
  /** Add a track to the live connection (renegotiates; the initiator offers, the answerer asks for an offer). */
  addTrack(track: MediaStreamTrack, stream: MediaStream): void;
  getStats(): Promise<RTCStatsReport | null>;
  connectionState(): PeerConnectionState;
  iceConnectionState(): RTCIceConnectionState;
  /** For tests and diagnostics only. */
  readonly pc: RTCPeerConnection | null;
  destroy(): void;
}

export type PeerFactory = (opts: PeerOptions) => Peer;
