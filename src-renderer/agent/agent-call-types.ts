/**
 * What an agent's call is made with (its session config and options) and what it shows
 * (the state React reads from AgentCall's store), apart so that the call's file holds behaviour.
 */
import type { ContextPacket, IceServer } from '../../signaling-server/protocol';
import type { LiveFigures } from '../call/peer/stats';
import type { LinkState } from '../call/peer-session';
import type { ScreenPopFn } from './server-frames';

export type AgentPhase = 'starting' | 'ready' | 'waiting' | 'connecting' | 'connected' | 'reconnecting' | 'ended' | 'error';

export interface AgentCallState {
  phase: AgentPhase;
  /** `code`: the invite's short numeric code, for a caller who cannot open a link sent by text. */
  /** `roomId` and `sentAt` go into the case's session_started (reporting: link-to-frame time, the survey's case). */
  invite: { url: string; expiresAt: number; code?: string; roomId?: string; sentAt?: number } | null;
  customer: { memberId: string; online: boolean; context: ContextPacket | null } | null;
  remoteStream: MediaStream | null;
  /** When the customer's first video frame was drawn for this invite (Date.now()); the case records link sent -> first frame. */
  firstFrameAt: number | null;
  figures: LiveFigures | null;
  link: LinkState;
  micMuted: boolean;
  /** On hold: the microphone sends nothing and the customer's audio is silenced for the agent. */
  held: boolean;
  /** The device the live microphone track is on (its settings' deviceId; 'default' for the system default). */
  micDeviceId: string | null;
  micError: string | null;
  /** Why the last call ended (agent_hangup, customer_hangup, expired, transferred, ...). */
  endedReason: string | null;
  /** A transfer or consult is in flight (handoff/agent-handoff.ts): Wrap-up and End are disabled until it settles. */
  handoffPending: boolean;
  /** Joined as a consulted colleague: our microphone stays off toward the customer, who is on hold. */
  consultGuest: boolean;
  error: { code: string; message: string } | null;
  recoveries: number;
}

export interface AgentSessionConfig {
  signalingUrl: string;
  agentToken: string;
  iceServers: IceServer[];
  agentId: string;
  displayName: string;
}

export interface AgentCallOptions {
  /** Screen pop from telephony or the customer's context (the cases panel listens). */
  onScreenPop?: ScreenPopFn;
  iceTransportPolicy?: RTCIceTransportPolicy;
  micConstraints?: () => MediaTrackConstraints | boolean;
  /** A current token for each (re)connect: signed-in tokens expire and main refreshes them. */
  freshToken?: () => Promise<string | null>;
}
