/**
 * What the signaling server keeps about invites and rooms, behind an async
 * interface: the embedded default is in memory (memory-store.ts); a Redis
 * store shared by several nodes (issue 6) implements the same interface.
 *
 * Rules for implementations:
 * - methods that decide (redeemInvite, addSeat-like steps) must be atomic:
 *   two customers racing for one invite get exactly one seat;
 * - return copies, never live objects (callers must not be able to mutate
 *   the store by accident, as they could not with Redis);
 * - only hashes of invite and resume tokens are ever stored.
 */
import type { ContextPacket, InviteState, Role } from './protocol/index';
import type { HandoffRecord, HandoffRecordState, HandoffUpdateResult, PresenceRecord } from './handoff/records';

export type GuestRole = Exclude<Role, 'agent'>;

export interface InviteRecord {
  /** sha256(token) hex; the token itself is never stored */
  hash: string;
  roomId: string;
  agentId: string;
  role: GuestRole;
  createdAt: number;
  expiresAt: number;
  usedAt?: number;
  /** set when the room ended before the invite was used */
  revoked?: boolean;
  page?: string;
  ref?: string;
  /** technician invites: the guest's display name, given by the inviting agent */
  name?: string;
}

export interface SeatRecord {
  memberId: string;
  role: Role;
  context?: ContextPacket;
  /** sha256(resumeToken) hex; agents have none (they re-authenticate) */
  resumeHash?: string;
  online: boolean;
  joinedAt: number;
  /** agent seats: whose (a room holds two agent seats during a warm transfer or a consult) */
  agentId?: string;
  /** agents and technicians: the display name the others see */
  name?: string;
}

export interface RoomRecord {
  roomId: string;
  agentId: string;
  createdAt: number;
  seats: SeatRecord[];
  /** when the last online member went away; undefined while anyone is online */
  emptySince?: number;
}

export type RedeemResult =
  | { ok: true, room: RoomRecord, invite: InviteRecord, replaced?: SeatRecord }
  | { ok: false, reason: 'invite_unknown' | 'invite_expired' | 'invite_used' | 'room_full' };

export interface SignalingStore {
  putInvite(invite: InviteRecord): Promise<void>;
  getInvite(hash: string): Promise<InviteRecord | undefined>;
  /**
   * Atomically: check the invite is valid and its room open with room for
   * the seat, mark the invite used, add the seat. A seat of the same guest
   * role that is offline is replaced (the customer lost the resume token,
   * e.g. opened a fresh link on another phone); an online one means room_full.
   */
  redeemInvite(hash: string, now: number, seat: SeatRecord, maxMembers: number): Promise<RedeemResult>;

  createRoom(room: RoomRecord): Promise<void>;
  getRoom(roomId: string): Promise<RoomRecord | undefined>;
  findOpenRoomForAgent(agentId: string): Promise<RoomRecord | undefined>;
  findSeatByResume(resumeHash: string): Promise<{ room: RoomRecord, seat: SeatRecord } | undefined>;
  /** Mark a seat online/offline (and optionally update its context); returns the room after the change. */
  setSeatOnline(roomId: string, memberId: string, online: boolean, now: number, context?: ContextPacket): Promise<RoomRecord | undefined>;
  /** Free a seat (guest hang-up); its resume token stops working. */
  removeSeat(roomId: string, memberId: string, now: number): Promise<RoomRecord | undefined>;
  /** End a room: delete it, revoke its unused invites and every resume token. Returns the room as it was. */
  endRoom(roomId: string): Promise<RoomRecord | undefined>;

  /** End rooms empty for longer than roomIdleMs; forget invites expired longer than inviteRetentionMs. */
  sweep(now: number, opts: { roomIdleMs: number, inviteRetentionMs: number }): Promise<{ endedRooms: RoomRecord[], forgottenInvites: number }>;
  counts(): Promise<{ rooms: number, invites: number }>;
  close(): Promise<void>;

  // ---- short numeric codes (issue 6)
  /** Bind a code to an invite hash until `ttlMs`; false if that code is already taken (draw another). */
  putCode(code: string, inviteHash: string, ttlMs: number): Promise<boolean>;
  /** Single use: returns the invite hash and forgets the code, whatever happens next. */
  takeCode(code: string): Promise<string | undefined>;
  /**
   * Atomically: if the invite `oldHash` is valid, mark it used and store a copy
   * under `newHash` (a fresh token the code page hands the caller), so the
   * seat can be taken once, by the link or by the code, never both.
   */
  reissueInvite(oldHash: string, newHash: string, now: number): Promise<{ ok: true, invite: InviteRecord } | { ok: false, reason: 'invite_unknown' | 'invite_expired' | 'invite_used' }>;

  // ---- hand-offs and presence (issue 13)
  /**
   * Add an agent seat to an open room (the receiving agent of a warm or cold
   * transfer, the colleague of a consult), atomically: undefined if the room
   * is gone or already holds `maxSeats` seats.
   */
  addAgentSeat(roomId: string, seat: SeatRecord, maxSeats: number): Promise<RoomRecord | undefined>;
  /**
   * Hand the room to `toAgentId`, atomically: the room's owner changes (so
   * that agent's re-auth finds it), the old owner's index entry goes, and the
   * leaving seat (agent 1's) is removed. Undefined if the room is gone.
   */
  handRoom(roomId: string, toAgentId: string, leavingMemberId: string | undefined, now: number): Promise<RoomRecord | undefined>;
  /** Store a hand-off unless one with its id exists (idempotent requests): `created` false returns the existing one. */
  putHandoff(rec: HandoffRecord, ttlMs: number): Promise<{ created: boolean, rec: HandoffRecord }>;
  getHandoff(id: string): Promise<HandoffRecord | undefined>;
  /** Atomically: if the hand-off is in one of `from`, apply `patch`; two agents racing to take one queue offer: exactly one wins. */
  updateHandoff(id: string, from: readonly HandoffRecordState[], patch: Partial<HandoffRecord>): Promise<HandoffUpdateResult>;
  /** Hand-offs still offered or accepted (queue offers for agents who become available; time-outs). */
  openHandoffs(): Promise<HandoffRecord[]>;
  /** The case that travels with a hand-off (a checked case bundle, opaque here), kept until `ttlMs`. */
  putHandoffCase(id: string, bytes: Buffer, ttlMs: number): Promise<void>;
  getHandoffCase(id: string): Promise<Buffer | undefined>;
  putPresence(p: PresenceRecord, ttlMs: number): Promise<void>;
  removePresence(id: string): Promise<void>;
  /** Everyone refreshed within the presence TTL. */
  listPresence(now: number): Promise<PresenceRecord[]>;

  // ---- stores shared by several nodes (ClusterStore below); a store of one node has none of these
  /** The node this store speaks for (the default node id). */
  readonly nodeId?: string;
  /** Announce this node as alive, and keep doing so. */
  startPresence?(): Promise<void>;
  /** Seats held by nodes that stopped announcing themselves, now marked offline. */
  reapDeadNodes?(now: number): Promise<ReapedSeat[]>;
  /** Can the shared store be reached (health check)? */
  ping?(): Promise<boolean>;
}

export interface ReapedSeat { room: RoomRecord, memberId: string, role: SeatRecord['role'] }

/** Stores shared by several nodes also say which seats a dead node held (redis/store.ts). */
export interface ClusterStore extends SignalingStore {
  readonly nodeId: string;
  startPresence(): Promise<void>;
  reapDeadNodes(now: number): Promise<ReapedSeat[]>;
  ping(): Promise<boolean>;
}

export function inviteState(invite: InviteRecord | undefined, now: number): InviteState {
  if (!invite) return 'unknown';
  if (invite.usedAt !== undefined) return 'used';
  if (invite.revoked || now >= invite.expiresAt) return 'expired';
  return 'valid';
}
