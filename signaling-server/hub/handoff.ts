/**
 * Hand-offs on the socket side (issue 13): presence and the directory,
 * transfer (warm, cold; to an agent or a queue), consult, and revoking a
 * guest. The store holds each hand-off's record and decides its races
 * (two agents of a queue taking one contact: updateHandoff is atomic);
 * frames to agents on other nodes travel over the bus (seats.toAgent).
 *
 * The customer's room never closes during a hand-off: the receiving agent
 * is seated in it as a second agent seat and offers the customer a second
 * peer connection; agent 1's seat goes only when the hand-off completes
 * (warm: agent 1 says so; cold: the receiver says it has the customer's
 * media; consult: agent 1 ends it and the colleague's seat goes instead).
 * Every other ending (decline, cancel, time-out, the receiver gone) leaves
 * the customer with agent 1 and tells the customer's page it is off hold.
 */
import { PROTOCOL_VERSION, type ClientMessage, type HandoffPhase, type PresenceStatus, type ServerMessage } from '../protocol/index';
import { hasRole } from '../identity/identity';
import { queuesOf } from '../handoff/directory';
import { OPEN_HANDOFF_STATES, type HandoffRecord, type PresenceRecord } from '../handoff/records';
import { memberOf, otherOnlineMembers, seatOf } from '../rooms';
import type { RoomRecord } from '../store';
import { newId } from '../tokens';
import { iceServersFor } from '../turn';
import type { HubContext } from './context';
import { agentState, sendFrame, type Conn } from './socket';

type Msg<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

/** A hand-off record outlives its ringing this long (late retries still get its outcome). */
const RECORD_TTL_MS = 30 * 60_000;

export class Handoffs {
  /** agentId -> presence of agents with a socket on this node (refreshed on every heartbeat) */
  private readonly present = new Map<string, PresenceRecord>();

  constructor(private readonly h: HubContext) {}

  private get presenceTtlMs(): number {
    return Math.max(10_000, this.h.cfg.heartbeatMs * 3);
  }

  // ------------------------------------------------------------ presence

  /** An agent socket authenticated: they are in the directory, available unless they hold a customer. */
  async signedIn(conn: Conn, onCall: boolean): Promise<void> {
    if (conn.state.kind !== 'agent' || !conn.identity) return;
    const id = conn.identity.sub;
    const entry = this.h.cfg.directory.get(id);
    const prev = this.present.get(id);
    const p: PresenceRecord = {
      id, roles: [...conn.identity.roles], status: onCall ? 'on_call' : prev?.status ?? 'available',
      skills: entry?.skills ?? [], queues: entry?.queues ?? [], updatedAt: this.h.cfg.now(),
    };
    const name = conn.identity.name ?? entry?.name;
    if (name !== undefined) p.name = name;
    this.present.set(id, p);
    await this.h.store.putPresence(p, this.presenceTtlMs);
    if (!onCall) await this.offerWaiting(id);
  }

  /** The agent's last socket on this node closed: they leave the directory. */
  async signedOut(agentId: string): Promise<void> {
    if (this.h.seats.agentConns(agentId)?.length) return;
    this.present.delete(agentId);
    await this.h.store.removePresence(agentId);
  }

  async setStatus(conn: Conn, status: PresenceStatus): Promise<void> {
    if (conn.state.kind !== 'agent') return this.h.errors.send(conn, 'unauthorized', 'sign in first');
    const p = this.present.get(conn.state.agentId);
    if (!p) return;
    p.status = status;
    p.updatedAt = this.h.cfg.now();
    await this.h.store.putPresence(p, this.presenceTtlMs);
    if (status === 'available') await this.offerWaiting(p.id);
  }

  /** A customer joined a room: its agents seated on this node are on a call (the others' nodes hear it from their workstation's presence frame). */
  async customerJoined(room: RoomRecord): Promise<void> {
    for (const s of room.seats) if (s.role === 'agent') await this.setOnCall(s.agentId ?? room.agentId, true);
  }

  /** The agent ended their call: after-contact work until they say they are available. */
  async callEnded(agentId: string): Promise<void> {
    await this.setOnCall(agentId, false, 'wrap_up');
  }

  /** Heartbeat: keep this node's people in the shared directory. */
  async refresh(): Promise<void> {
    const now = this.h.cfg.now();
    for (const p of this.present.values()) {
      p.updatedAt = now;
      await this.h.store.putPresence(p, this.presenceTtlMs);
    }
  }

  async directory(conn: Conn, reqId?: string): Promise<void> {
    if (conn.state.kind !== 'agent') return this.h.errors.send(conn, 'unauthorized', 'sign in first', reqId);
    const people = (await this.h.store.listPresence(this.h.cfg.now())).map((p) => {
      const out: Extract<ServerMessage, { type: 'directory' }>['people'][number] = { id: p.id, roles: p.roles, status: p.status, skills: p.skills, queues: p.queues };
      if (p.name !== undefined) out.name = p.name;
      return out;
    }).sort((a, b) => a.id.localeCompare(b.id));
    const msg: ServerMessage = { type: 'directory', people, queues: queuesOf(this.h.cfg.directory) };
    if (reqId !== undefined) msg.reqId = reqId;
    sendFrame(conn, msg);
  }

  // ------------------------------------------------------------ requests

  async request(conn: Conn, msg: Msg<'handoff_request'>): Promise<void> {
    const { cfg, store, errors } = this.h;
    if (conn.state.kind !== 'agent' || !(hasRole(conn.identity, 'agent') || hasRole(conn.identity, 'supervisor'))) {
      return errors.send(conn, 'forbidden', 'only an agent or a supervisor can hand a customer over', msg.reqId);
    }
    const agentId = conn.state.agentId;
    const roomId = conn.state.roomId;
    const room = roomId ? await store.getRoom(roomId) : undefined;
    if (!room || !roomId) return errors.send(conn, 'not_in_room', 'no customer to hand over: you are not in a session', msg.reqId);
    const existing = await store.getHandoff(msg.handoffId);
    if (existing) {
      // a retry: answer with how it stands, never a second offer
      if (existing.fromAgentId !== agentId) return errors.send(conn, 'forbidden', 'that hand-off is not yours', msg.reqId);
      return this.tell(existing.fromAgentId, existing, phaseOf(existing), msg.reqId);
    }
    if (!room.seats.some((s) => s.online && s.role === 'customer')) return errors.send(conn, 'not_in_room', 'there is no customer in this session to hand over', msg.reqId);
    if ((await store.openHandoffs()).some((o) => o.roomId === roomId)) return errors.send(conn, 'handoff_conflict', 'a hand-off of this customer is already in progress', msg.reqId);
    const targets = await this.targetsOf(msg.to, agentId);
    if (targets.length === 0) {
      const who = 'agentId' in msg.to ? `${msg.to.agentId} is not signed in or not available` : `nobody in queue ${msg.to.queue} is signed in`;
      // a queue with nobody signed in still takes the contact (cold): it waits until someone is
      if (!('queue' in msg.to) || msg.kind !== 'cold') return errors.send(conn, 'agent_unavailable', who, msg.reqId);
    }
    const now = cfg.now();
    const rec: HandoffRecord = {
      id: msg.handoffId, kind: msg.kind, roomId, fromAgentId: agentId, fromMemberId: conn.state.memberId,
      to: msg.to, note: msg.note ?? '', state: 'offered', createdAt: now, expiresAt: now + (msg.timeoutSec ?? cfg.handoffTimeoutSec) * 1000,
    };
    const name = conn.identity?.name;
    if (name !== undefined) rec.fromName = name;
    if (msg.caseRef !== undefined) rec.caseRef = msg.caseRef;
    if (msg.customerName !== undefined) rec.customerName = msg.customerName;
    if (msg.video !== undefined) rec.video = msg.video;
    const put = await store.putHandoff(rec, RECORD_TTL_MS + (rec.expiresAt - now));
    if (!put.created) return this.tell(put.rec.fromAgentId, put.rec, phaseOf(put.rec), msg.reqId);
    for (const t of targets) this.h.seats.toAgent(t, offerOf(rec));
    this.tell(agentId, rec, 'offered', msg.reqId);
    if (rec.kind === 'consult') this.toGuests(room, { type: 'notice', notice: 'hold', video: rec.video ?? 'kept' });
    if (rec.kind === 'cold') this.toGuests(room, { type: 'notice', notice: 'transfer_waiting' });
    cfg.log({ ev: 'handoff_offered', handoffId: rec.id, kind: rec.kind, roomId, from: agentId, to: msg.to, targets: targets.length });
  }

  /** Who is offered the contact: the named agent, or every signed-in member of the queue (never the sender). */
  private async targetsOf(to: HandoffRecord['to'], self: string): Promise<string[]> {
    const people = await this.h.store.listPresence(this.h.cfg.now());
    if ('agentId' in to) {
      const p = people.find((x) => x.id === to.agentId);
      return p && p.id !== self && p.status !== 'away' ? [p.id] : [];
    }
    return people.filter((p) => p.id !== self && p.queues.includes(to.queue) && (p.status === 'available' || p.status === 'wrap_up')).map((p) => p.id);
  }

  /** An agent became available: queue contacts still waiting for someone are offered to them. */
  private async offerWaiting(agentId: string): Promise<void> {
    const p = this.present.get(agentId);
    if (!p || p.queues.length === 0) return;
    for (const rec of await this.h.store.openHandoffs()) {
      if (rec.state === 'offered' && 'queue' in rec.to && p.queues.includes(rec.to.queue) && rec.fromAgentId !== agentId) this.h.seats.toAgent(agentId, offerOf(rec));
    }
  }

  // ------------------------------------------------------------ answers

  async answer(conn: Conn, msg: Msg<'handoff_answer'>): Promise<void> {
    const { store, errors, cfg, seats } = this.h;
    if (conn.state.kind !== 'agent') return errors.send(conn, 'unauthorized', 'sign in first');
    const agentId = conn.state.agentId;
    const rec = await store.getHandoff(msg.handoffId);
    if (!rec) return errors.send(conn, 'handoff_unknown', 'no such hand-off (it may have expired)');
    if (!this.isTarget(rec, agentId)) return errors.send(conn, 'forbidden', 'this hand-off was not offered to you');
    if (!msg.accept) {
      // a queue's offer stays open for the others; a named agent's decline ends it
      if ('queue' in rec.to) return;
      const r = await store.updateHandoff(rec.id, ['offered'], { state: 'declined' });
      if (!r.ok) return;
      return this.ended(r.rec, 'declined');
    }
    if (conn.state.roomId) {
      const own = await store.getRoom(conn.state.roomId);
      if (own && own.seats.some((s) => s.online && s.role !== 'agent')) return errors.send(conn, 'handoff_conflict', 'finish your own session first');
    }
    const memberId = newId('a');
    const taken = await store.updateHandoff(rec.id, ['offered'], { state: 'accepted', acceptedBy: agentId, acceptedMemberId: memberId });
    if (!taken.ok) {
      const cur = taken.rec;
      const why = !cur ? 'it has expired' : cur.acceptedBy && cur.acceptedBy !== agentId ? 'another agent took it' : `it is ${cur.state}`;
      sendFrame(conn, { type: 'handoff_update', handoffId: rec.id, kind: rec.kind, phase: cur?.acceptedBy && cur.acceptedBy !== agentId ? 'taken' : 'failed', message: `too late: ${why}` });
      return;
    }
    const now = cfg.now();
    const seat = { memberId, role: 'agent' as const, agentId, online: true, joinedAt: now, ...(conn.identity?.name !== undefined ? { name: conn.identity.name } : {}) };
    const room = await store.addAgentSeat(rec.roomId, seat, cfg.limits.maxMembersPerRoom + 1);
    if (!room) {
      const failed = await store.updateHandoff(rec.id, ['accepted'], { state: 'failed' });
      if (failed.ok) this.ended(failed.rec, 'failed', 'the session has ended or is full');
      return;
    }
    // leave whatever (empty) room this socket was waiting in, then sit in the customer's
    if (conn.state.roomId && conn.state.roomId !== rec.roomId) seats.unbind(conn.state.memberId, conn);
    conn.state = agentState(agentId, memberId, rec.roomId);
    await seats.bind(memberId, conn, rec.roomId);
    sendFrame(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId, role: 'agent', roomId: rec.roomId,
      iceServers: iceServersFor(memberId, cfg.ice), members: otherOnlineMembers(room, memberId),
    });
    seats.broadcast(room, memberId, { type: 'peer_joined', member: memberOf(seat) });
    this.tell(rec.fromAgentId, taken.rec, 'accepted');
    this.tell(agentId, taken.rec, 'accepted');
    for (const other of await this.targetsOf(rec.to, rec.fromAgentId)) if (other !== agentId) seats.toAgent(other, update(taken.rec, 'taken'));
    await this.setOnCall(agentId, true);
    cfg.log({ ev: 'handoff_accepted', handoffId: rec.id, kind: rec.kind, roomId: rec.roomId, by: agentId });
  }

  private isTarget(rec: HandoffRecord, agentId: string): boolean {
    if (rec.fromAgentId === agentId) return false;
    if ('agentId' in rec.to) return rec.to.agentId === agentId;
    return this.present.get(agentId)?.queues.includes(rec.to.queue) ?? this.h.cfg.directory.get(agentId)?.queues.includes(rec.to.queue) ?? false;
  }

  // ------------------------------------------------------------ endings

  /**
   * The requester cancels (before or after the receiver joined), or the
   * receiver leaves a consult or a transfer it had joined: the customer is
   * back with agent 1 alone, off hold.
   */
  async cancel(conn: Conn, msg: Msg<'handoff_cancel'>): Promise<void> {
    const { store, errors } = this.h;
    if (conn.state.kind !== 'agent') return errors.send(conn, 'unauthorized', 'sign in first');
    const agentId = conn.state.agentId;
    const rec = await store.getHandoff(msg.handoffId);
    if (!rec) return errors.send(conn, 'handoff_unknown', 'no such hand-off (it may have expired)');
    const mine = rec.fromAgentId === agentId;
    const receiver = rec.acceptedBy === agentId;
    if (!mine && !receiver) return errors.send(conn, 'forbidden', 'not your hand-off');
    const r = await store.updateHandoff(rec.id, OPEN_HANDOFF_STATES, { state: 'cancelled' });
    if (!r.ok) return this.tell(agentId, r.rec ?? rec, r.rec ? phaseOf(r.rec) : 'failed'); // already over: idempotent
    await this.ended(r.rec, mine ? 'cancelled' : 'target_gone');
  }

  /**
   * Warm (agent 1) or cold (the receiver, once it has the customer's media):
   * the room is the receiver's and agent 1's seat goes. Consult (agent 1):
   * the colleague's seat goes and agent 1 is back with the customer.
   */
  async complete(conn: Conn, msg: Msg<'handoff_complete'>): Promise<void> {
    const { store, errors, seats, cfg } = this.h;
    if (conn.state.kind !== 'agent') return errors.send(conn, 'unauthorized', 'sign in first');
    const agentId = conn.state.agentId;
    const rec = await store.getHandoff(msg.handoffId);
    if (!rec) return errors.send(conn, 'handoff_unknown', 'no such hand-off (it may have expired)');
    const allowed = rec.kind === 'cold' ? rec.acceptedBy === agentId || rec.fromAgentId === agentId : rec.fromAgentId === agentId;
    if (!allowed) return errors.send(conn, 'forbidden', 'not yours to complete');
    if (rec.state === 'completed') return this.tell(agentId, rec, 'completed');
    if (rec.kind === 'consult') {
      const r = await store.updateHandoff(rec.id, OPEN_HANDOFF_STATES, { state: 'completed' });
      if (!r.ok) return this.tell(agentId, r.rec ?? rec, r.rec ? phaseOf(r.rec) : 'failed');
      return this.ended(r.rec, 'completed');
    }
    const r = await store.updateHandoff(rec.id, ['accepted'], { state: 'completed' });
    if (!r.ok) return errors.send(conn, 'handoff_conflict', r.rec ? `the hand-off is ${r.rec.state}, not accepted` : 'the hand-off has expired');
    const done = r.rec;
    const room = await store.handRoom(done.roomId, done.acceptedBy!, done.fromMemberId, cfg.now());
    // agent 1's socket keeps its connection (presence, screen pops) but no longer holds the seat
    const holder = seats.holder(done.fromMemberId);
    if (holder && holder.state.kind === 'agent') {
      seats.unbind(done.fromMemberId, holder);
      holder.state = agentState(holder.state.agentId, newId('a'));
    } else if (room) seats.evictElsewhere(done.roomId, done.fromMemberId);
    this.tell(done.fromAgentId, done, 'completed');
    this.tell(done.acceptedBy!, done, 'completed');
    if (room) {
      seats.broadcast(room, done.fromMemberId, { type: 'peer_left', memberId: done.fromMemberId, role: 'agent', reason: 'hangup' });
      this.toGuests(room, { type: 'notice', notice: 'transferred', ...(seatOf(room, done.acceptedMemberId!)?.name ? { name: seatOf(room, done.acceptedMemberId!)!.name! } : {}) });
    }
    await this.setOnCall(done.fromAgentId, false, 'wrap_up');
    cfg.log({ ev: 'handoff_completed', handoffId: done.id, kind: done.kind, roomId: done.roomId, from: done.fromAgentId, to: done.acceptedBy });
  }

  /** Time-outs of hand-offs nobody took (every node runs this; the store's compare-and-set makes one win). */
  async tick(): Promise<void> {
    const now = this.h.cfg.now();
    for (const rec of await this.h.store.openHandoffs()) {
      if (rec.state !== 'offered' || now < rec.expiresAt) continue;
      const r = await this.h.store.updateHandoff(rec.id, ['offered'], { state: 'timeout' });
      if (r.ok) await this.ended(r.rec, 'timeout');
    }
  }

  /**
   * A hand-off ended without the customer changing hands (or a consult
   * ended): the receiver's seat, if it had one, goes; both sides and every
   * agent still offered it are told; the customer is off hold.
   */
  private async ended(rec: HandoffRecord, phase: HandoffPhase, message?: string): Promise<void> {
    const { store, seats, cfg } = this.h;
    let room = await store.getRoom(rec.roomId);
    if (rec.acceptedMemberId && room && seatOf(room, rec.acceptedMemberId)) {
      room = (await store.removeSeat(rec.roomId, rec.acceptedMemberId, cfg.now())) ?? room;
      const holder = seats.holder(rec.acceptedMemberId);
      if (holder && holder.state.kind === 'agent') {
        seats.unbind(rec.acceptedMemberId, holder);
        holder.state = agentState(holder.state.agentId, newId('a'));
      } else seats.evictElsewhere(rec.roomId, rec.acceptedMemberId);
      seats.broadcast(room, rec.acceptedMemberId, { type: 'peer_left', memberId: rec.acceptedMemberId, role: 'agent', reason: 'hangup' });
      if (rec.acceptedBy) await this.setOnCall(rec.acceptedBy, false, rec.kind === 'consult' ? 'available' : 'available');
    }
    this.tell(rec.fromAgentId, rec, phase, undefined, message);
    if (rec.acceptedBy) this.tell(rec.acceptedBy, rec, phase, undefined, message);
    else for (const t of await this.targetsOf(rec.to, rec.fromAgentId)) this.h.seats.toAgent(t, update(rec, phase, message));
    if (room) this.toGuests(room, { type: 'notice', notice: 'resumed' });
    cfg.log({ ev: 'handoff_ended', handoffId: rec.id, kind: rec.kind, roomId: rec.roomId, phase });
  }

  // ------------------------------------------------------------ guests

  /** An agent of the room tells its guests something (hold, back again). */
  async notify(conn: Conn, msg: Msg<'notify'>): Promise<void> {
    if (conn.state.kind !== 'agent' || !conn.state.roomId) return this.h.errors.send(conn, 'not_in_room', 'you are not in a session');
    const room = await this.h.store.getRoom(conn.state.roomId);
    if (room) this.toGuests(room, { type: 'notice', notice: msg.notice, ...(msg.video ? { video: msg.video } : {}) });
  }

  /** Cut a technician off: their seat and resume token go at once; the rest of the room is told. */
  async revokeGuest(conn: Conn, msg: Msg<'guest_revoke'>): Promise<void> {
    const { store, seats, errors, cfg } = this.h;
    if (conn.state.kind !== 'agent' || !conn.state.roomId) return errors.send(conn, 'not_in_room', 'you are not in a session');
    const roomId = conn.state.roomId;
    const room = await store.getRoom(roomId);
    const seat = room && seatOf(room, msg.memberId);
    if (!room || !seat) return errors.send(conn, 'unknown_peer', 'no such member in your room');
    if (seat.role !== 'technician') return errors.send(conn, 'forbidden', 'only a technician guest can be revoked');
    const after = (await store.removeSeat(roomId, msg.memberId, cfg.now())) ?? room;
    const holder = seats.holder(msg.memberId);
    if (holder && holder.roomId === roomId) seats.endLocalSeat(holder, msg.memberId, 'room_closed');
    else seats.evictElsewhere(roomId, msg.memberId);
    seats.broadcast(after, msg.memberId, { type: 'peer_left', memberId: msg.memberId, role: 'technician', reason: 'hangup' });
    this.toGuests(after, { type: 'notice', notice: 'guest_revoked', ...(seat.name ? { name: seat.name } : {}) });
    cfg.log({ ev: 'guest_revoked', roomId, memberId: msg.memberId, by: conn.state.agentId });
  }

  /**
   * A second agent seat hangs up (the receiver of a joined transfer or the
   * colleague of a consult): only their seat goes, never the customer's room.
   */
  async secondAgentLeft(conn: Conn, room: RoomRecord): Promise<boolean> {
    if (conn.state.kind !== 'agent') return false;
    const memberId = conn.state.memberId;
    const rec = (await this.h.store.openHandoffs()).find((r) => r.roomId === room.roomId && r.acceptedMemberId === memberId);
    if (rec) {
      const r = await this.h.store.updateHandoff(rec.id, OPEN_HANDOFF_STATES, { state: 'cancelled' });
      if (r.ok) await this.ended(r.rec, 'target_gone');
      return true;
    }
    const seat = seatOf(room, memberId);
    if (!seat || room.agentId === conn.state.agentId) return false;
    const after = (await this.h.store.removeSeat(room.roomId, memberId, this.h.cfg.now())) ?? room;
    this.h.seats.unbind(memberId, conn);
    conn.state = agentState(conn.state.agentId, newId('a'));
    this.h.seats.broadcast(after, memberId, { type: 'peer_left', memberId, role: 'agent', reason: 'hangup' });
    return true;
  }

  // ------------------------------------------------------------ helpers

  private tell(agentId: string, rec: HandoffRecord, phase: HandoffPhase, reqId?: string, message?: string): void {
    const msg = update(rec, phase, message);
    if (reqId !== undefined) msg.reqId = reqId;
    this.h.seats.toAgent(agentId, msg);
  }

  private toGuests(room: RoomRecord, msg: ServerMessage): void {
    // notices are for the customer's (and a guest's) page; agents follow the hand-off frames
    for (const s of room.seats) {
      if (s.role === 'agent' || !s.online) continue;
      const c = this.h.seats.holder(s.memberId);
      if (c && c.roomId === room.roomId) sendFrame(c, msg);
      else if (this.h.seats.clustered) this.h.seats.signalElsewhere(room.roomId, s.memberId, msg);
    }
  }

  private async setOnCall(agentId: string, onCall: boolean, after: PresenceStatus = 'available'): Promise<void> {
    const p = this.present.get(agentId);
    if (!p) return;
    p.status = onCall ? 'on_call' : after;
    p.updatedAt = this.h.cfg.now();
    await this.h.store.putPresence(p, this.presenceTtlMs);
  }
}

function phaseOf(rec: HandoffRecord): HandoffPhase {
  return rec.state;
}

function update(rec: HandoffRecord, phase: HandoffPhase, message?: string): Extract<ServerMessage, { type: 'handoff_update' }> {
  const msg: Extract<ServerMessage, { type: 'handoff_update' }> = { type: 'handoff_update', handoffId: rec.id, kind: rec.kind, phase };
  if (rec.acceptedBy) msg.by = rec.acceptedBy;
  if (rec.acceptedMemberId) msg.memberId = rec.acceptedMemberId;
  if (message !== undefined) msg.message = message;
  return msg;
}

function offerOf(rec: HandoffRecord): ServerMessage {
  const msg: Extract<ServerMessage, { type: 'handoff_offer' }> = {
    type: 'handoff_offer', handoffId: rec.id, kind: rec.kind, from: { agentId: rec.fromAgentId }, note: rec.note, expiresAt: rec.expiresAt,
  };
  if (rec.fromName !== undefined) msg.from.name = rec.fromName;
  if ('queue' in rec.to) msg.queue = rec.to.queue;
  if (rec.caseRef !== undefined) msg.caseRef = rec.caseRef;
  if (rec.customerName !== undefined) msg.customerName = rec.customerName;
  return msg;
}
