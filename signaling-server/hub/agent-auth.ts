/**
 * Agents: authentication with a signed token, taking the agent seat of an
 * open room (re-auth, a second tab), and invites with their short codes.
 */
import { randomInt } from 'node:crypto';
import { PROTOCOL_VERSION, type ClientMessage, type ServerMessage } from '../protocol/index';
import { createInvite } from '../invites';
import { memberOf, otherOnlineMembers } from '../rooms';
import type { RoomRecord } from '../store';
import { logTagOfHash, newId } from '../tokens';
import { iceServersFor } from '../turn';
import { hasRole } from '../identity/identity';
import type { HubContext } from './context';
import type { Handoffs } from './handoff';
import { agentState, sendFrame, type Conn } from './socket';

export class AgentAuth {
  constructor(private readonly h: HubContext, private readonly handoffs: Handoffs) {}

  async auth(conn: Conn, token: string): Promise<void> {
    const { cfg, seats } = this.h;
    const v = await this.h.verify(token);
    if (conn.closed || conn.state.kind !== 'anon') return;
    if (!v.ok) {
      cfg.log({ ev: 'auth_failed', conn: conn.id, why: v.reason });
      return this.h.errors.send(conn, 'unauthorized', v.message);
    }
    const agentId = v.identity.sub;
    conn.identity = v.identity;
    conn.state = agentState(agentId, newId('a'));
    // in Redis mode, subscribed to the agent's channel before `welcome` (decisions made on other nodes)
    await seats.addAgent(agentId, conn);
    if (this.h.routine) cfg.log({ ev: 'agent_auth', conn: conn.id, agentId, source: v.identity.source === 'service' ? 'service' : 'idp', roles: v.identity.roles });
    const room = await this.h.store.findOpenRoomForAgent(agentId);
    await this.handoffs.signedIn(conn, !!room?.seats.some((s) => s.online && s.role === 'customer'));
    if (room) {
      await this.seatAgent(conn, room);
      return;
    }
    sendFrame(conn, { type: 'welcome', v: PROTOCOL_VERSION, memberId: conn.state.memberId, role: 'agent', iceServers: iceServersFor(conn.state.memberId, cfg.ice), members: [] });
  }

  /** Put this agent socket in the agent seat of `room` (re-auth, second tab) and tell everyone. */
  private async seatAgent(conn: Conn, room: RoomRecord): Promise<void> {
    if (conn.state.kind !== 'agent') return;
    // the owner's seat (a room holds a second agent seat during a transfer or a consult)
    const agentId = conn.state.agentId;
    const seat = room.seats.find((s) => s.role === 'agent' && (s.agentId ?? room.agentId) === agentId);
    if (!seat) return;
    const { seats } = this.h;
    const prev = seats.holder(seat.memberId);
    if (prev && prev !== conn && prev.state.kind === 'agent') {
      // the older tab keeps its socket (screen pops) but no longer speaks for the seat
      prev.state = agentState(prev.state.agentId, newId('a'));
    }
    // ... and so does an older tab on another node
    if (!prev) seats.evictElsewhere(room.roomId, seat.memberId);
    conn.state = agentState(conn.state.agentId, seat.memberId, room.roomId);
    await seats.bind(seat.memberId, conn, room.roomId);
    const after = (await this.h.store.setSeatOnline(room.roomId, seat.memberId, true, this.h.cfg.now())) ?? room;
    sendFrame(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId: seat.memberId, role: 'agent', roomId: room.roomId,
      iceServers: iceServersFor(seat.memberId, this.h.cfg.ice), members: otherOnlineMembers(after, seat.memberId),
    });
    seats.broadcast(after, seat.memberId, { type: 'peer_joined', member: memberOf({ ...seat, online: true }) });
  }

  async createInvite(conn: Conn, msg: Extract<ClientMessage, { type: 'create_invite' }>): Promise<void> {
    if (conn.state.kind !== 'agent') return this.h.errors.send(conn, 'unauthorized', 'only an authenticated agent can create invites', msg.reqId);
    // a technician (or any identity without a customer-facing role) never invites anyone into a customer's session
    if (!(hasRole(conn.identity, 'agent') || hasRole(conn.identity, 'supervisor'))) {
      return this.h.errors.send(conn, 'forbidden', 'only an agent or a supervisor can invite into a session', msg.reqId);
    }
    const { cfg, store } = this.h;
    const agentId = conn.state.agentId;
    let room = conn.state.roomId ? await store.getRoom(conn.state.roomId) : undefined;
    if (!room) room = await store.findOpenRoomForAgent(agentId);
    if (!room) {
      const now = cfg.now();
      room = {
        roomId: newId('r'), agentId, createdAt: now,
        seats: [{ memberId: conn.state.memberId, role: 'agent', online: true, joinedAt: now }],
      };
      await store.createRoom(room);
      this.h.counters.roomsOpen++;
      conn.state.roomId = room.roomId;
      await this.h.seats.bind(conn.state.memberId, conn, room.roomId);
      if (this.h.routine) cfg.log({ ev: 'room_created', roomId: room.roomId, agentId });
    } else if (conn.state.roomId !== room.roomId) {
      // the agent's room was opened from another socket: this one takes the seat
      await this.seatAgent(conn, room);
    }
    const inv = await createInvite(store, {
      publicUrl: this.h.publicUrl, roomId: room.roomId, agentId, role: msg.role ?? 'customer',
      ttlSec: msg.ttlSec ?? cfg.inviteTtlSec, now: cfg.now(),
      ...(msg.page !== undefined ? { page: msg.page } : {}),
      ...(msg.ref !== undefined ? { ref: msg.ref } : {}),
      ...(msg.name !== undefined ? { name: msg.name.trim().slice(0, 120) } : {}),
    });
    this.h.counters.invitesCreated++;
    cfg.metrics.invitesCreated.inc();
    const code = msg.code || cfg.codes ? await this.mintCode(inv.record.hash, inv.record.expiresAt) : undefined;
    if (this.h.routine) cfg.log({ ev: 'invite_created', roomId: room.roomId, role: inv.record.role, invite: logTagOfHash(inv.record.hash), expiresAt: inv.record.expiresAt, code: code !== undefined });
    const reply: ServerMessage = { type: 'invite_created', roomId: room.roomId, url: inv.url, expiresAt: inv.record.expiresAt };
    if (code !== undefined) reply.code = code;
    if (msg.reqId !== undefined) reply.reqId = msg.reqId;
    sendFrame(conn, reply);
  }

  /** A short numeric code for this invite, unique among live codes; lives as long as the invite or the code TTL. */
  private async mintCode(inviteHash: string, expiresAt: number): Promise<string | undefined> {
    const { cfg } = this.h;
    const { digits, codeTtlSec } = cfg.abuse.cfg.codes;
    const ttlMs = Math.min(codeTtlSec * 1000, Math.max(1000, expiresAt - cfg.now()));
    for (let i = 0; i < 8; i++) {
      let code = '';
      for (let d = 0; d < digits; d++) code += String(randomInt(10));
      if (await this.h.store.putCode(code, inviteHash, ttlMs)) return code;
    }
    cfg.log({ ev: 'code_space_crowded' });
    return undefined;
  }
}
