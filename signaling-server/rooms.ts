/** Room views: what members are told about each other. */
import type { Member } from './protocol/index';
import type { RoomRecord, SeatRecord } from './store';

export function memberOf(seat: SeatRecord): Member {
  const m: Member = { memberId: seat.memberId, role: seat.role };
  if (seat.context) m.context = seat.context;
  if (seat.name) m.name = seat.name;
  if (seat.agentId) m.agentId = seat.agentId;
  return m;
}

/** The other members currently connected (what a new arrival can signal to). */
export function otherOnlineMembers(room: RoomRecord, selfId: string): Member[] {
  return room.seats.filter((s) => s.online && s.memberId !== selfId).map(memberOf);
}

export function seatOf(room: RoomRecord, memberId: string): SeatRecord | undefined {
  return room.seats.find((s) => s.memberId === memberId);
}
