/**
 * The live team board: who is signed in on this node, on which call, in what
 * status and for how long. It reads the agents' sockets this node holds and
 * their rooms from the signaling store (shared through Redis when several
 * nodes run, so each node shows its own agents' rooms). No customer data:
 * a guest is shown by role only, never by its context packet.
 */
import type { Hub } from '../hub/index';
import type { SignalingStore } from '../store';

export type AgentStatus = 'available' | 'inviting' | 'on_call';

export interface BoardEntry {
  agentId: string;
  name: string | null;
  status: AgentStatus;
  /** ms since the epoch when the status began */
  since: number;
  roomId: string | null;
  /** roles of the guests online in the room (customer, technician) */
  guests: string[];
}

export async function teamBoard(hub: Hub, store: SignalingStore): Promise<BoardEntry[]> {
  const agents = new Map<string, { name: string | null, connectedAt: number }>();
  for (const c of hub.conns) {
    if (!c.identity || c.closed) continue;
    const prev = agents.get(c.identity.sub);
    agents.set(c.identity.sub, { name: c.identity.name ?? null, connectedAt: Math.min(prev?.connectedAt ?? Infinity, c.connectedAt) });
  }
  const out: BoardEntry[] = [];
  for (const [agentId, a] of agents) {
    const room = await store.findOpenRoomForAgent(agentId);
    const guests = room ? room.seats.filter((s) => s.role !== 'agent' && s.online) : [];
    if (room && guests.length) {
      out.push({ agentId, name: a.name, status: 'on_call', since: Math.min(...guests.map((g) => g.joinedAt)), roomId: room.roomId, guests: guests.map((g) => g.role) });
    } else if (room) {
      out.push({ agentId, name: a.name, status: 'inviting', since: room.emptySince ?? room.createdAt, roomId: room.roomId, guests: [] });
    } else {
      out.push({ agentId, name: a.name, status: 'available', since: a.connectedAt, roomId: null, guests: [] });
    }
  }
  return out.sort((x, y) => (x.agentId < y.agentId ? -1 : 1));
}
