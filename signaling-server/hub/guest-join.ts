/**
 * Customers and technicians: joining a room with a single-use invite, and
 * resuming their own seat with its resume token after a reload or network loss.
 */
import { PROTOCOL_VERSION, type ContextPacket } from '../protocol/index';
import { memberOf, otherOnlineMembers, seatOf } from '../rooms';
import { hashToken, logTagOfHash, newBearerToken, newId } from '../tokens';
import { iceServersFor } from '../turn';
import type { HubContext } from './context';
import type { Handoffs } from './handoff';
import { ANON, sendFrame, type Conn } from './socket';

const JOIN_MESSAGES: Record<'invite_unknown' | 'invite_expired' | 'invite_used' | 'room_full', string> = {
  invite_unknown: 'this invite link is not valid',
  invite_expired: 'this invite link has expired; ask the agent for a new one',
  invite_used: 'this invite link has already been used; ask the agent for a new one',
  room_full: 'this session already has the maximum number of participants',
};

export class GuestJoin {
  constructor(private readonly h: HubContext, private readonly handoffs: Handoffs) {}

  async join(conn: Conn, invite: string, context: ContextPacket): Promise<void> {
    const { cfg, store } = this.h;
    const now = cfg.now();
    const memberId = newId('m');
    const resumeToken = newBearerToken();
    const inviteHash = hashToken(invite);
    const res = await store.redeemInvite(inviteHash, now, {
      memberId, role: 'customer', context, resumeHash: hashToken(resumeToken), online: true, joinedAt: now,
    }, cfg.limits.maxMembersPerRoom);
    if (!res.ok) {
      cfg.metrics.invitesRefused.inc({ reason: res.reason });
      if (res.reason === 'room_full') cfg.abuse.hit('room_members', 'room_full', 'room full');
      cfg.log({ ev: 'join_refused', conn: conn.id, invite: logTagOfHash(inviteHash), code: res.reason });
      return this.h.errors.send(conn, res.reason, JOIN_MESSAGES[res.reason]);
    }
    const seat = seatOf(res.room, memberId)!;
    const role = seat.role === 'technician' ? 'technician' : 'customer';
    if (conn.closed) {
      // the socket went away while we were redeeming: keep the seat for resume, offline
      await store.setSeatOnline(res.room.roomId, memberId, false, now);
      return;
    }
    conn.state = { kind: 'guest', memberId, role, roomId: res.room.roomId };
    await this.h.seats.bind(memberId, conn, res.room.roomId);
    this.h.counters.joins++;
    cfg.metrics.invitesRedeemed.inc();
    if (this.h.routine) cfg.log({ ev: 'join', conn: conn.id, roomId: res.room.roomId, memberId, role, invite: logTagOfHash(inviteHash), replaced: res.replaced?.memberId });
    sendFrame(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId, role, roomId: res.room.roomId, resumeToken,
      iceServers: iceServersFor(memberId, cfg.ice), members: otherOnlineMembers(res.room, memberId, role),
    });
    this.h.seats.broadcast(res.room, memberId, { type: 'peer_joined', member: memberOf(seat) });
    if (role === 'customer') await this.handoffs.customerJoined(res.room);
  }

  async resume(conn: Conn, resumeToken: string, context?: ContextPacket): Promise<void> {
    const { cfg, seats } = this.h;
    const resumeHash = hashToken(resumeToken);
    const found = await this.h.store.findSeatByResume(resumeHash);
    if (!found) {
      cfg.log({ ev: 'resume_refused', conn: conn.id, resume: logTagOfHash(resumeHash) });
      return this.h.errors.send(conn, 'resume_invalid', 'this session has ended or the resume token is not valid; ask for a new invite');
    }
    const { room, seat } = found;
    const role = seat.role === 'technician' ? 'technician' : 'customer';
    const prev = seats.holder(seat.memberId);
    if (prev && prev !== conn) {
      // the old socket of this seat (a tab left open, a half-dead connection) loses it
      seats.unbind(seat.memberId, prev);
      prev.state = ANON;
      try {
        prev.ws.close(4001, 'seat resumed elsewhere');
      } catch { /* already closed */ }
    } else if (!prev) {
      // ... wherever it is
      seats.evictElsewhere(room.roomId, seat.memberId);
    }
    if (conn.closed) return;
    conn.state = { kind: 'guest', memberId: seat.memberId, role, roomId: room.roomId };
    await seats.bind(seat.memberId, conn, room.roomId);
    const after = (await this.h.store.setSeatOnline(room.roomId, seat.memberId, true, cfg.now(), context)) ?? room;
    const fresh = seatOf(after, seat.memberId) ?? seat;
    this.h.counters.resumes++;
    if (this.h.routine) cfg.log({ ev: 'resume', conn: conn.id, roomId: room.roomId, memberId: seat.memberId });
    sendFrame(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId: seat.memberId, role, roomId: room.roomId, resumeToken,
      iceServers: iceServersFor(seat.memberId, cfg.ice), members: otherOnlineMembers(after, seat.memberId, role),
    });
    seats.broadcast(after, seat.memberId, { type: 'peer_joined', member: memberOf(fresh) });
  }
}
