/**
 * The server's sizes and lifetimes (room size, frame and body sizes, how long
 * idle rooms and old invites are kept), in one place, so the production
 * configuration (issue 6) can override them without hunting through
 * handlers. The abuse limits (rates, time-outs, short codes) are in
 * abuse-limits.ts.
 */
import { MAX_FRAME_BYTES } from '../protocol/index';

export interface ServerLimits {
  /** agent + customer + technician */
  maxMembersPerRoom: number;
  /**
   * Hard cap at the ws layer. Frames between MAX_FRAME_BYTES and this are
   * still read so they can be answered with a typed `too_large` error;
   * only frames above it close the socket (1009), because buffering them
   * to answer would itself be the abuse.
   */
  wsMaxPayloadBytes: number;
  /** Largest accepted frame (protocol rule). */
  maxFrameBytes: number;
  /** POST /telephony/contact body. */
  webhookMaxBodyBytes: number;
  /** A room nobody is connected to is ended after this long. */
  roomIdleMs: number;
  /** Used/expired invite records are kept this long after expiry so the page can say "used"/"expired" rather than "unknown". */
  inviteRetentionMs: number;
  /** How often idle rooms and old invites are swept. */
  sweepIntervalMs: number;
  /** Default and maximum life of an agent token: the CLI mints no longer, and the server refuses longer ones (exp - iat). */
  defaultAgentTokenTtlSec: number;
  maxAgentTokenTtlSec: number;
  /** A request's headers must arrive within this (slow-header clients are cut off within a second of it). */
  headersTimeoutMs: number;
}

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxMembersPerRoom: 3,
  wsMaxPayloadBytes: 1024 * 1024,
  maxFrameBytes: MAX_FRAME_BYTES,
  webhookMaxBodyBytes: 8 * 1024,
  roomIdleMs: 30 * 60_000,
  inviteRetentionMs: 24 * 3600_000,
  sweepIntervalMs: 30_000,
  defaultAgentTokenTtlSec: 8 * 3600,
  maxAgentTokenTtlSec: 30 * 24 * 3600,
  headersTimeoutMs: 10_000,
});
