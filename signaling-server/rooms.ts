/** Room views: what members are told about each other. */
import type { Member, Role, ServerMessage } from './protocol/index';
import type { RoomRecord, SeatRecord } from './store';

export function memberOf(seat: SeatRecord): Member {
  const m: Member = { memberId: seat.memberId, role: seat.role };
  if (seat.context) m.context = seat.context;
  if (seat.name) m.name = seat.name;
  if (seat.agentId) m.agentId = seat.agentId;
  return m;
}

/** The other members currently connected (what a new arrival can signal to); a technician is told no one's context packet. */
export function otherOnlineMembers(room: RoomRecord, selfId: string, viewer?: Role): Member[] {
  const list = room.seats.filter((s) => s.online && s.memberId !== selfId).map(memberOf);
  return viewer === 'technician' ? list.map(guestView) : list;
}

/**
 * What a technician guest may know of another member: who (role, name), never
 * the context packet (the customer's caller number, page, app data, device).
 */
export function guestView(m: Member): Member {
  if (m.context === undefined) return m;
  const { context: _dropped, ...rest } = m;
  return rest;
}

/** A frame as a seat of `viewer` role may receive it: peer_joined loses its context packet for a technician. */
export function frameFor<T extends ServerMessage>(viewer: Role | undefined, msg: T): T {
  if (viewer !== 'technician' || msg.type !== 'peer_joined' || msg.member.context === undefined) return msg;
  return { ...msg, member: guestView(msg.member) };
}

export function seatOf(room: RoomRecord, memberId: string): SeatRecord | undefined {
  return room.seats.find((s) => s.memberId === memberId);
}
