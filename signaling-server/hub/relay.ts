/** `signal` frames between members of one room: SDP and ICE, never interpreted. */
import type { SignalData } from '../protocol/index';
import { seatOf } from '../rooms';
import type { HubContext } from './context';
import type { RelayCounter } from './relay-counter';
import type { SeatTable } from './seat-table';
import { sendFrame, type Conn } from './socket';

export class Relay {
  // held directly: every relayed frame reads them
  private readonly seats: SeatTable;

  constructor(private readonly h: HubContext, private readonly counter: RelayCounter) {
    this.seats = h.seats;
  }

  signal(conn: Conn, to: string, data: SignalData, t0: number): void | Promise<void> {
    const from = conn.memberId;
    const roomId = conn.roomId;
    if (!from || !roomId) return this.h.errors.send(conn, 'not_in_room', 'you are not in a room; create an invite or join first');
    if (to === from) return this.h.errors.send(conn, 'unknown_peer', 'no such member in your room');
    // Fast path, the common case of a call: the target's socket is on this node and seated in the
    // sender's room (seats are bound on join/resume and unbound on leave/end), so the store need not be read.
    const local = this.seats.holder(to);
    if (local && !local.closed && local.roomId === roomId && local.memberId === to) {
      if (sendFrame(local, { type: 'signal', from, data })) this.counter.countLocal(t0);
      return;
    }
    return this.viaStore(conn, from, roomId, to, data, t0);
  }

  /** The target is not seated on this node (or not in the room): the store decides. */
  private async viaStore(conn: Conn, from: string, roomId: string, to: string, data: SignalData, t0: number): Promise<void> {
    const room = await this.h.store.getRoom(roomId);
    if (!room) return this.h.errors.send(conn, 'not_in_room', 'the room has ended');
    if (!seatOf(room, to)) return this.h.errors.send(conn, 'unknown_peer', 'no such member in your room');
    const target = this.seats.holder(to);
    if (!target && this.seats.clustered && seatOf(room, to)?.online) {
      // the target's socket is on another node: the room channel carries it there
      this.seats.signalElsewhere(roomId, to, { type: 'signal', from, data });
      this.counter.countRemoteOut(t0);
      return;
    }
    // defence in depth: the target socket must itself still sit in this room
    if (!target || target.closed || target.roomId !== roomId || target.memberId !== to) {
      this.h.cfg.log({ ev: 'signal_dropped', roomId, from, to, why: 'peer offline' });
      return;
    }
    if (sendFrame(target, { type: 'signal', from, data })) this.counter.countLocal(t0);
  }
}
