/**
 * Who is where on this node: the seat each socket holds, the agents' sockets
 * (screen pops go to all of them), the members of each room seated here. In
 * Redis mode it also holds this node's bus subscriptions (one per room and
 * agent with a socket here) and carries frames for members on other nodes,
 * both ways. Broadcasts to a room go through here.
 */
import type { ServerMessage } from '../protocol/index';
import type { LogFn } from '../config/index';
import type { Envelope, RedisBus } from '../redis/bus';
import type { RoomRecord } from '../store';
import type { Role } from '../identity/identity';
import { frameFor } from '../rooms';
import { newId } from '../tokens';
import type { RelayCounter } from './relay-counter';
import { agentState, ANON, sendFrame, sendText, type Conn } from './socket';

export type EndReason = 'agent_hangup' | 'room_closed' | 'expired';

/**
 * A copy of a small list with one more item, exactly sized: push() on a short
 * array reserves room for ~16 more, which ~100,000 rooms and agents then carry.
 */
function withItem<T>(list: readonly T[], item: T): T[] {
  const out = new Array<T>(list.length + 1);
  for (let i = 0; i < list.length; i++) out[i] = list[i]!;
  out[list.length] = item;
  return out;
}

export class SeatTable {
  /** memberId -> the socket on this node holding that seat */
  private readonly seats = new Map<string, Conn>();
  /**
   * agentId -> every authenticated socket of that agent on this node.
   * Arrays, not Sets, here and in roomLocal: they hold one to three entries, and a Set's
   * table costs ~150 bytes per agent or room.
   */
  private readonly agents = new Map<string, Conn[]>();
  /** roomId -> members of that room whose socket is on this node (also the pub/sub subscription count) */
  private readonly roomLocal = new Map<string, string[]>();
  /** memberId -> room it is bound to here */
  private readonly seatRoom = new Map<string, string>();
  private bus: RedisBus | undefined;

  constructor(private readonly log: LogFn, private readonly relays: RelayCounter) {}

  /** Every failed bus call is logged the same way and otherwise let go: the store stays the truth. */
  private readonly busError = (err: unknown): void => {
    this.log({ ev: 'bus_error', err: String(err) });
  };

  /** Redis mode: frames for members on other nodes travel over pub/sub; resolves once the supervisors' channel is held. */
  attachBus(bus: RedisBus): Promise<void> {
    this.bus = bus;
    bus.onEnvelope((e) => { this.onEnvelope(e); });
    // every node holds it for its whole life: a supervisor may sign in here at any time
    return bus.hold(bus.roleChannel('supervisor'));
  }

  get clustered(): boolean {
    return this.bus !== undefined;
  }

  /** The socket on this node holding seat `memberId`. */
  holder(memberId: string): Conn | undefined {
    return this.seats.get(memberId);
  }

  get agentCount(): number {
    return this.agents.size;
  }

  /** Rooms with at least one member seated on this node. */
  get roomCount(): number {
    return this.roomLocal.size;
  }

  agentConns(agentId: string): readonly Conn[] | undefined {
    return this.agents.get(agentId);
  }

  // ------------------------------------------------------------ seats

  /** Bind, and in Redis mode resolve once this node is subscribed to the room (so nothing sent to it after is lost). */
  bind(memberId: string, conn: Conn, roomId: string): Promise<void> {
    const prevRoom = this.seatRoom.get(memberId);
    if (prevRoom && prevRoom !== roomId) this.unbind(memberId);
    this.seats.set(memberId, conn);
    this.seatRoom.set(memberId, roomId);
    const list = this.roomLocal.get(roomId);
    let subscribed: Promise<void> = Promise.resolve();
    if (!list) {
      this.roomLocal.set(roomId, [memberId]);
      if (this.bus) subscribed = this.bus.hold(this.bus.roomChannel(roomId)).catch(this.busError);
    } else {
      // the room's subscription is already held (maybe still being made): wait for it without holding it twice
      const bus = this.bus;
      if (bus) subscribed = bus.hold(bus.roomChannel(roomId)).then(() => bus.release(bus.roomChannel(roomId))).catch(this.busError);
      if (!list.includes(memberId)) this.roomLocal.set(roomId, withItem(list, memberId));
    }
    return subscribed;
  }

  /** Forget the seat here; with `conn`, only if that socket still holds it. */
  unbind(memberId: string, conn?: Conn): void {
    if (conn && this.seats.get(memberId) !== conn) return;
    this.seats.delete(memberId);
    const roomId = this.seatRoom.get(memberId);
    this.seatRoom.delete(memberId);
    if (!roomId) return;
    const list = this.roomLocal.get(roomId);
    if (!list) return;
    const i = list.indexOf(memberId);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) {
      this.roomLocal.delete(roomId);
      if (this.bus) this.bus.release(this.bus.roomChannel(roomId)).catch(this.busError);
    }
  }

  /** The seat's socket gives it up and is told why (or, the agent's, keeps its socket without a seat). */
  endLocalSeat(c: Conn, memberId: string, reason: EndReason): void {
    this.unbind(memberId, c);
    if (c.state.kind === 'agent') {
      const agentId = c.state.agentId;
      c.state = agentState(agentId, newId('a'));
      if (reason === 'agent_hangup') return; // the hanging-up socket is told by the hang-up itself
    } else {
      c.state = ANON;
    }
    sendFrame(c, { type: 'ended', reason });
  }

  /** A seat was taken over here: a socket holding it on another node lets go. */
  evictElsewhere(roomId: string, memberId: string): void {
    if (this.bus) this.publish({ kind: 'evict', roomId, memberId, origin: this.bus.nodeId });
  }

  // ------------------------------------------------------------ agents

  /** In Redis mode resolves once this node receives the agent's channel (so a decision sent after `welcome` is not lost). */
  addAgent(agentId: string, conn: Conn): Promise<void> {
    const list = this.agents.get(agentId);
    const bus = this.bus;
    if (!list) {
      this.agents.set(agentId, [conn]);
      if (bus) return bus.hold(bus.agentChannel(agentId)).catch(this.busError);
    } else {
      if (!list.includes(conn)) this.agents.set(agentId, withItem(list, conn));
      // held already (maybe still being made): wait for it without holding it twice
      if (bus) return bus.hold(bus.agentChannel(agentId)).then(() => bus.release(bus.agentChannel(agentId))).catch(this.busError);
    }
    return Promise.resolve();
  }

  removeAgent(agentId: string, conn: Conn): void {
    const list = this.agents.get(agentId);
    const i = list ? list.indexOf(conn) : -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) {
      this.agents.delete(agentId);
      if (this.bus) this.bus.release(this.bus.agentChannel(agentId)).catch(this.busError);
    }
  }

  /** To every socket of the agent here and, in Redis mode, on the other nodes; returns how many here took it. */
  toAgent(agentId: string, msg: ServerMessage): number {
    if (this.bus) this.publish({ kind: 'agent', agentId, msg, origin: this.bus.nodeId });
    const list = this.agents.get(agentId);
    return list ? sendAll(list, msg) : 0;
  }

  /** To every authenticated socket whose identity has `role`, here and, in Redis mode, on the other nodes; returns how many here took it. */
  toRole(role: 'supervisor', msg: ServerMessage): number {
    if (this.bus) this.publish({ kind: 'role', role, msg, origin: this.bus.nodeId });
    return this.localRole(role, msg);
  }

  private localRole(role: Role, msg: ServerMessage): number {
    const list: Conn[] = [];
    for (const conns of this.agents.values()) for (const c of conns) if (!c.closed && c.identity?.roles.includes(role)) list.push(c);
    return sendAll(list, msg);
  }

  // ------------------------------------------------------------ rooms

  /** Does any online member of `room` live on another node? (then frames must go over the bus) */
  private hasRemote(room: RoomRecord, exceptId?: string): boolean {
    if (!this.bus) return false;
    return room.seats.some((s) => s.online && s.memberId !== exceptId && !this.seats.has(s.memberId));
  }

  /** To every online member of the room except `exceptId`, here and on other nodes. */
  broadcast(room: RoomRecord, exceptId: string, msg: ServerMessage): void {
    if (this.hasRemote(room, exceptId)) this.publish({ kind: 'deliver', roomId: room.roomId, except: exceptId, msg, origin: this.bus!.nodeId, sentAt: Date.now() });
    let text: string | undefined; // serialised once, for however many recipients
    for (const seat of room.seats) {
      if (seat.memberId === exceptId) continue;
      const c = this.seats.get(seat.memberId);
      if (!c || c.roomId !== room.roomId) continue;
      // a technician guest never receives another member's context packet
      const forSeat = frameFor(seat.role, msg);
      if (forSeat !== msg) sendFrame(c, forSeat);
      else sendText(c, (text ??= JSON.stringify(msg)));
    }
  }

  /** The room is over: every seat, here and on other nodes, is told and let go. */
  broadcastEnded(room: RoomRecord, reason: EndReason): void {
    if (this.hasRemote(room)) this.publish({ kind: 'deliver', roomId: room.roomId, msg: { type: 'ended', reason }, origin: this.bus!.nodeId, sentAt: Date.now() });
    for (const seat of room.seats) {
      const c = this.seats.get(seat.memberId);
      if (!c || c.roomId !== room.roomId) continue;
      this.endLocalSeat(c, seat.memberId, reason);
    }
  }

  /** A signal for a member seated on another node: the room channel carries it there. */
  signalElsewhere(roomId: string, to: string, msg: ServerMessage): void {
    this.publish({ kind: 'deliver', roomId, to, msg, origin: this.bus!.nodeId, sentAt: Date.now() });
  }

  private publish(env: Envelope): void {
    if (!this.bus) return;
    const p = env.kind === 'agent' ? this.bus.toAgent(env) : env.kind === 'role' ? this.bus.toRole(env) : this.bus.toRoom(env);
    p.catch(this.busError);
  }

  /** A frame from another node. */
  private onEnvelope(env: Envelope): void {
    if (env.kind === 'agent') {
      const list = this.agents.get(env.agentId);
      if (list) sendAll(list, env.msg);
      return;
    }
    if (env.kind === 'role') {
      this.localRole(env.role, env.msg);
      return;
    }
    if (env.kind === 'evict') {
      const c = this.seats.get(env.memberId);
      if (!c || c.roomId !== env.roomId) return;
      this.unbind(env.memberId, c);
      if (c.state.kind === 'agent') {
        c.state = agentState(c.state.agentId, newId('a'));
      } else {
        c.state = ANON;
        try { c.ws.close(4001, 'seat resumed elsewhere'); } catch { /* closed */ }
      }
      return;
    }
    const local = this.roomLocal.get(env.roomId);
    if (!local) return;
    const targets = env.to !== undefined ? (local.includes(env.to) ? [env.to] : []) : local.filter((m) => m !== env.except);
    for (const memberId of targets) {
      const c = this.seats.get(memberId);
      if (!c || c.roomId !== env.roomId) continue;
      if (env.msg.type === 'ended') { this.endLocalSeat(c, memberId, env.msg.reason); continue; }
      const msg = frameFor(c.state.kind === 'guest' ? c.state.role : undefined, env.msg);
      if (sendFrame(c, msg) && env.msg.type === 'signal') this.relays.countRemoteIn(env.sentAt);
    }
  }
}

/** The same frame to several sockets, serialised once; returns how many took it. */
export function sendAll(conns: readonly Conn[], msg: ServerMessage): number {
  let text: string | undefined;
  let n = 0;
  for (const c of conns) if (sendText(c, (text ??= JSON.stringify(msg)))) n++;
  return n;
}
