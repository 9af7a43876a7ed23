/**
 * Leaving a room: a hang-up (an agent's ends the room for everyone, a
 * guest's frees its seat) and a socket that closed (its seat stays, offline,
 * for resume).
 */
import type { Member } from '../protocol/index';
import { newId } from '../tokens';
import type { HubContext } from './context';
import type { Handoffs } from './handoff';
import { agentState, ANON, sendFrame, type Conn } from './socket';

type LeaveReason = 'hangup' | 'disconnect' | 'timeout';

export class Leave {
  constructor(private readonly h: HubContext, private readonly handoffs: Handoffs) {}

  async hangup(conn: Conn, reqId?: string): Promise<void> {
    const { cfg, seats, store } = this.h;
    const roomId = conn.roomId;
    if (!roomId) return this.h.errors.send(conn, 'not_in_room', 'you are not in a room', reqId);
    if (conn.state.kind === 'agent') {
      // a second agent seat (the receiver of a transfer, a consulted colleague) leaves alone: the customer stays
      const cur = await store.getRoom(roomId);
      if (cur && cur.agentId !== conn.state.agentId && await this.handoffs.secondAgentLeft(conn, cur)) {
        sendFrame(conn, { type: 'ended', reason: 'agent_hangup' });
        return;
      }
      const room = await store.endRoom(roomId);
      seats.unbind(conn.state.memberId, conn);
      conn.state = agentState(conn.state.agentId, newId('a'));
      if (!room) return;
      this.h.counters.roomsOpen = Math.max(0, this.h.counters.roomsOpen - 1);
      await this.handoffs.callEnded(room.agentId);
      if (this.h.routine) cfg.log({ ev: 'room_ended', roomId, reason: 'agent_hangup' });
      seats.broadcastEnded(room, 'agent_hangup');
      sendFrame(conn, { type: 'ended', reason: 'agent_hangup' });
      return;
    }
    if (conn.state.kind !== 'guest') return this.h.errors.send(conn, 'not_in_room', 'you are not in a room', reqId);
    const memberId = conn.state.memberId;
    const role = conn.state.role;
    conn.state = ANON;
    seats.unbind(memberId, conn);
    const room = await store.removeSeat(roomId, memberId, cfg.now());
    if (this.h.routine) cfg.log({ ev: 'hangup', roomId, memberId, role });
    if (room) seats.broadcast(room, memberId, { type: 'peer_left', memberId, role, reason: 'hangup' });
  }

  /** The socket closed (after the frames queued before the close). */
  closed(conn: Conn): void | Promise<void> {
    const { seats } = this.h;
    const reason: LeaveReason = conn.timedOut ? 'timeout' : 'disconnect';
    if (this.h.routine) this.h.cfg.log({ ev: 'ws_close', conn: conn.id, reason });
    if (conn.state.kind === 'agent') {
      seats.removeAgent(conn.state.agentId, conn);
      const agentId = conn.state.agentId;
      void this.handoffs.signedOut(agentId).catch((err: unknown) => this.h.cfg.log({ ev: 'presence_error', err: String(err) }));
    }
    const memberId = conn.memberId;
    const roomId = conn.roomId;
    if (!memberId || !roomId || seats.holder(memberId) !== conn) return;
    seats.unbind(memberId, conn);
    const role = conn.state.kind === 'agent' ? 'agent' : conn.state.kind === 'guest' ? conn.state.role : 'customer';
    conn.state = ANON;
    return this.leftRoom(roomId, memberId, role, reason);
  }

  /** A seated socket went away: its seat stays (offline, for resume) and the room is told. */
  private async leftRoom(roomId: string, memberId: string, role: Member['role'], reason: LeaveReason): Promise<void> {
    const room = await this.h.store.setSeatOnline(roomId, memberId, false, this.h.cfg.now());
    if (room) this.h.seats.broadcast(room, memberId, { type: 'peer_left', memberId, role, reason });
  }
}
