/**
 * The socket side of the server: who is on which socket, and what each
 * client frame does. Shared state lives in the store; this node only keeps
 * the routing table from members to its own open sockets.
 *
 * Every socket's frames are handled one at a time (a promise chain per
 * socket), so a `signal` can never overtake the `join` before it.
 */
import { WebSocket } from 'ws';
import { performance } from 'node:perf_hooks';
import { randomInt } from 'node:crypto';
import { PROTOCOL_VERSION, parseClientFrame, type ClientMessage, type ContextPacket, type ErrorCode, type IceServer, type Member, type ServerMessage, type SignalData } from './protocol/index';
import type { TokenBucket } from './limits/index';
import type { BoundCounter } from './metrics';
import type { Envelope, RedisBus } from './redis/bus';
import { iceServersFor } from './turn';
import { fastSignal } from './protocol/index';
import { verifyAgentToken } from './auth';
import type { ResolvedConfig } from './config/index';
import { createInvite } from './invites';
import { memberOf, otherOnlineMembers, seatOf } from './rooms';
import type { RoomRecord, SignalingStore } from './store';
import { hashToken, logTag, logTagOfHash, newBearerToken, newId } from './tokens';

type ConnState =
  | { kind: 'anon' }
  | { kind: 'agent', agentId: string, memberId: string, roomId?: string }
  | { kind: 'guest', memberId: string, role: 'customer' | 'technician', roomId: string };

type LeaveReason = 'hangup' | 'disconnect' | 'timeout';

const QUEUE_PAUSE_AT = 64;
/** Sockets checked (and pinged) per event-loop turn by the heartbeat. */
const HEARTBEAT_SLICE = 200;
const QUEUE_RESUME_AT = 8;
const ANON: ConnState = Object.freeze({ kind: 'anon' });
/** roomId always present (maybe undefined): set later, it would not fit inside the object. */
const agentState = (agentId: string, memberId: string, roomId?: string): Extract<ConnState, { kind: 'agent' }> => ({ kind: 'agent', agentId, memberId, roomId });

/** A frame handler: synchronous when it can be (relay, ping, refusals), a promise when it waits on the store. */
type Task = () => void | Promise<void>;

/**
 * The ws socket class the server creates (WebSocketServer's `WebSocket`
 * option): it carries its Conn in a field of its own shape, so one set of
 * shared listener functions serves every socket instead of four closures
 * (and their context) per socket.
 */
export class SignalingSocket extends WebSocket {
  conn: Conn | undefined = undefined;
}

export class Conn {
  state: ConnState = ANON;
  alive = true;
  timedOut = false;
  closed = false;
  /** a handler is running (or waiting on the store); later frames wait in `waiting` */
  private busy = false;
  private paused = false;
  private waiting: Task[] | undefined = undefined;
  /** last application frame (idle time-out) */
  lastActivity = 0;
  /** consecutive rate-limited frames; a client that ignores the errors is cut off */
  overLimit = 0;
  /**
   * Message-rate bucket, made on the first frame and dropped by the heartbeat
   * once it has refilled: an idle socket holds none (a full bucket and no
   * bucket mean the same thing).
   */
  bucket: TokenBucket | undefined = undefined;
  // (the remote address is logged at open, not kept: the per-address limits are checked before a Conn exists)
  constructor(readonly id: number, readonly ws: WebSocket, readonly hub: Hub) {}

  /**
   * Run `fn` after everything queued before it; right away when nothing is.
   * A client that sends faster than we handle (e.g. a slow store) is paused
   * at the TCP level instead of piling frames up in memory.
   */
  enqueue(fn: Task): void {
    if (this.busy) {
      const w = (this.waiting ??= []);
      w.push(fn);
      if (w.length > QUEUE_PAUSE_AT && !this.paused && !this.closed) {
        this.paused = true;
        this.ws.pause();
      }
      return;
    }
    this.run(fn);
  }

  private run(first: Task): void {
    let fn: Task | undefined = first;
    while (fn) {
      this.busy = true;
      let r: void | Promise<void>;
      try {
        r = fn();
      } catch {
        r = undefined; // handlers catch their own errors (Hub.guard); never let one wedge the queue
      }
      if (r) {
        r.then(() => this.next(), () => this.next());
        return;
      }
      fn = this.shift();
    }
  }

  private next(): void {
    const fn = this.shift();
    if (fn) this.run(fn);
  }

  private shift(): Task | undefined {
    const fn = this.waiting?.shift();
    if (!fn) {
      this.busy = false;
      this.waiting = undefined;
    }
    if (this.paused && (this.waiting?.length ?? 0) <= QUEUE_RESUME_AT) {
      this.paused = false;
      if (!this.closed) this.ws.resume();
    }
    return fn;
  }

  get roomId(): string | undefined {
    return this.state.kind === 'anon' ? undefined : this.state.roomId;
  }

  get memberId(): string | undefined {
    return this.state.kind === 'anon' ? undefined : this.state.memberId;
  }
}

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

// One listener of each kind for all sockets (`this` is the socket).
const connOf = (ws: WebSocket): Conn | undefined => (ws as SignalingSocket).conn;
function onWsPong(this: WebSocket): void {
  const conn = connOf(this);
  if (conn) conn.alive = true;
}
function onWsMessage(this: WebSocket, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
  const conn = connOf(this);
  if (conn) conn.enqueue(() => conn.hub.onFrame(conn, data, isBinary));
}
function onWsClose(this: WebSocket): void {
  const conn = connOf(this);
  if (conn) conn.hub.detach(conn);
}
function onWsError(this: WebSocket, err: Error): void {
  const conn = connOf(this);
  if (conn) conn.hub.logWarn({ ev: 'ws_error', conn: conn.id, err: String(err.message) });
}

export interface HubStats {
  sockets: number;
  agents: number;
  rooms: number;
  relayed: number;
  invitesCreated: number;
  joins: number;
  resumes: number;
  errors: Partial<Record<ErrorCode, number>>;
}

export class Hub {
  readonly conns = new Set<Conn>();
  /** sockets refused at the door (rate limit, draining) that are still closing */
  readonly refused = new Set<WebSocket>();
  /** memberId -> the socket on this node holding that seat */
  private seats = new Map<string, Conn>();
  /**
   * agentId -> every authenticated socket of that agent on this node (screen pops go to all).
   * Arrays, not Sets, here and in roomLocal: they hold one to three entries, and a Set's
   * table costs ~150 bytes per agent or room.
   */
  private agents = new Map<string, Conn[]>();
  private nextId = 1;
  private publicUrl = '';
  private counters = { relayed: 0, invitesCreated: 0, joins: 0, resumes: 0, roomsOpen: 0 };
  private errors: Partial<Record<ErrorCode, number>> = {};
  /** roomId -> members of that room whose socket is on this node (also the pub/sub subscription count) */
  private roomLocal = new Map<string, string[]>();
  /** memberId -> room it is bound to here */
  private seatRoom = new Map<string, string>();
  private bus: RedisBus | undefined;
  draining = false;
  /** a heartbeat sweep is in progress */
  private sweeping = false;
  /** Routine per-socket events (open, join, hang-up, ...) are logged; off, their records are not even built. */
  private readonly routine: boolean;
  private readonly relayedLocal: BoundCounter;
  private readonly relayedRemoteOut: BoundCounter;
  private readonly relayedRemoteIn: BoundCounter;

  constructor(private readonly cfg: ResolvedConfig, private readonly store: SignalingStore) {
    this.routine = cfg.logRoutine;
    this.relayedLocal = cfg.metrics.relayed.labelled({ path: 'local' });
    this.relayedRemoteOut = cfg.metrics.relayed.labelled({ path: 'remote_out' });
    this.relayedRemoteIn = cfg.metrics.relayed.labelled({ path: 'remote_in' });
    const m = cfg.metrics;
    m.socketsOpen.collect(() => this.conns.size);
    m.rooms.collect(() => this.roomLocal.size);
  }

  /** Redis mode: frames for members on other nodes travel over pub/sub. */
  attachBus(bus: RedisBus): void {
    this.bus = bus;
    bus.onEnvelope((e) => { this.onEnvelope(e); });
  }

  private ice(memberId: string): IceServer[] {
    return iceServersFor(memberId, this.cfg.ice);
  }

  // ------------------------------------------------------------ seat binding (local routing table + subscriptions)

  /** Bind, and in Redis mode resolve once this node is subscribed to the room (so nothing sent to it after is lost). */
  private bindSeat(memberId: string, conn: Conn, roomId: string): Promise<void> {
    const prevRoom = this.seatRoom.get(memberId);
    if (prevRoom && prevRoom !== roomId) this.unbindSeat(memberId);
    this.seats.set(memberId, conn);
    this.seatRoom.set(memberId, roomId);
    const list = this.roomLocal.get(roomId);
    let subscribed: Promise<void> = Promise.resolve();
    if (!list) {
      this.roomLocal.set(roomId, [memberId]);
      if (this.bus) subscribed = this.bus.hold(this.bus.roomChannel(roomId)).catch((err: unknown) => this.cfg.log({ ev: 'bus_error', err: String(err) }));
    } else {
      if (this.bus) subscribed = this.bus.hold(this.bus.roomChannel(roomId)).then(() => this.bus!.release(this.bus!.roomChannel(roomId))).catch(() => {});
      if (!list.includes(memberId)) this.roomLocal.set(roomId, withItem(list, memberId));
    }
    return subscribed;
  }

  /** Forget the seat here; with `conn`, only if that socket still holds it. */
  private unbindSeat(memberId: string, conn?: Conn): void {
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
      if (this.bus) this.bus.release(this.bus.roomChannel(roomId)).catch((err: unknown) => this.cfg.log({ ev: 'bus_error', err: String(err) }));
    }
  }

  /** Does any online member of `room` live on another node? (then frames must go over the bus) */
  private hasRemote(room: RoomRecord, exceptId?: string): boolean {
    if (!this.bus) return false;
    return room.seats.some((s) => s.online && s.memberId !== exceptId && !this.seats.has(s.memberId));
  }

  private publish(env: Envelope): void {
    if (!this.bus) return;
    const p = env.kind === 'agent' ? this.bus.toAgent(env) : this.bus.toRoom(env);
    p.catch((err: unknown) => this.cfg.log({ ev: 'bus_error', err: String(err) }));
  }

  /** A frame from another node. */
  private onEnvelope(env: Envelope): void {
    if (env.kind === 'agent') {
      const list = this.agents.get(env.agentId);
      if (list) this.sendAll(list, env.msg);
      return;
    }
    if (env.kind === 'evict') {
      const c = this.seats.get(env.memberId);
      if (!c || c.roomId !== env.roomId) return;
      this.unbindSeat(env.memberId, c);
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
      if (this.send(c, env.msg) && env.msg.type === 'signal') {
        this.relayedRemoteIn.inc();
        this.cfg.metrics.relayLatency.observe(Math.max(0, Date.now() - env.sentAt) / 1000);
      }
    }
  }

  setPublicUrl(url: string): void {
    this.publicUrl = url;
  }

  stats(): HubStats {
    return {
      sockets: this.conns.size,
      agents: this.agents.size,
      rooms: this.counters.roomsOpen,
      relayed: this.counters.relayed,
      invitesCreated: this.counters.invitesCreated,
      joins: this.counters.joins,
      resumes: this.counters.resumes,
      errors: { ...this.errors },
    };
  }

  // ------------------------------------------------------------ socket lifecycle

  /** Refuse a socket with a typed error before it does anything (connection rate, draining). */
  refuse(ws: WebSocket, code: ErrorCode, message: string, retryAfterMs?: number): void {
    this.countError(code);
    const msg: ServerMessage = { type: 'error', code, message };
    if (retryAfterMs !== undefined) msg.retryAfterMs = retryAfterMs;
    // kept until closed, so shutting down can cut one whose client never answers the close
    this.refused.add(ws);
    ws.once('close', () => this.refused.delete(ws));
    try {
      ws.send(JSON.stringify(msg));
      ws.close(code === 'unavailable' ? 1013 : 1008, code);
    } catch { /* already gone */ }
  }

  attach(ws: WebSocket, remote: string): Conn {
    const conn = new Conn(this.nextId++, ws, this);
    conn.lastActivity = this.cfg.now();
    (ws as SignalingSocket).conn = conn;
    this.conns.add(conn);
    this.cfg.metrics.socketsTotal.inc();
    ws.on('pong', onWsPong);
    ws.on('message', onWsMessage);
    ws.on('close', onWsClose);
    ws.on('error', onWsError);
    if (this.routine) this.cfg.log({ ev: 'ws_open', conn: conn.id, remote });
    return conn;
  }

  /** The socket closed: frames still queued run first, then the seat is let go. */
  detach(conn: Conn): void {
    conn.closed = true;
    this.conns.delete(conn);
    conn.enqueue(() => this.guard(conn, () => this.onClose(conn)));
  }

  /** Problems (always logged). */
  logWarn(rec: Record<string, unknown>): void {
    this.cfg.log(rec);
  }

  /**
   * One heartbeat tick: sockets that did not answer the last ping are dropped;
   * sockets that sent no frame for the idle time (or never authenticated within
   * the auth time) are told why (typed `timeout`) and closed. The check runs
   * after this loop turn's I/O (setImmediate), so a node that was stalled (GC,
   * CPU starvation) reads the pongs already waiting in its socket buffers
   * before judging anyone dead. It runs in slices of HEARTBEAT_SLICE sockets
   * with I/O in between: a ping is a write, and 10,000 of them in one go held
   * the event loop for 145 ms every tick, a stall every relayed frame of that
   * moment waited out (slices of 200: under 10 ms).
   */
  heartbeat(): void {
    if (this.sweeping) return; // the last tick is still going (a starved node): this one is skipped
    this.sweeping = true;
    const batch = [...this.conns];
    let i = 0;
    const step = () => {
      const end = Math.min(batch.length, i + HEARTBEAT_SLICE);
      const now = this.cfg.now();
      for (; i < end; i++) this.heartbeatCheck(batch[i]!, now);
      if (i < batch.length) setImmediate(step);
      else this.sweeping = false;
    };
    setImmediate(step);
  }

  private heartbeatCheck(conn: Conn, now: number): void {
    if (conn.closed) return;
    const idleMs = this.cfg.abuse.cfg.idleTimeoutSec * 1000;
    const authMs = this.cfg.abuse.cfg.authTimeoutSec * 1000;
    if (!conn.alive) {
      conn.timedOut = true;
      this.cfg.abuse.timeout('heartbeat_timeout');
      this.cfg.log({ ev: 'ws_timeout', conn: conn.id });
      conn.ws.terminate();
      return;
    }
    const quiet = now - conn.lastActivity;
    const limit = conn.state.kind === 'anon' && authMs > 0 ? authMs : idleMs;
    if (limit > 0 && quiet > limit) {
      const hit = this.cfg.abuse.timeout('idle_timeout');
      conn.timedOut = true;
      this.cfg.log({ ev: 'ws_idle', conn: conn.id, quietMs: quiet });
      this.error(conn, 'timeout', conn.state.kind === 'anon' ? 'closed: no auth or join in time' : hit.message);
      try { conn.ws.close(4008, 'idle'); } catch { /* closed */ }
      return;
    }
    conn.alive = false;
    // a bucket that has refilled is the same as none: idle sockets give theirs back
    if (conn.bucket && conn.bucket.isFull(Date.now())) conn.bucket = undefined;
    try {
      conn.ws.ping();
    } catch { /* socket already closing; close handler cleans up */ }
  }

  async sweep(): Promise<void> {
    const { endedRooms, forgottenInvites } = await this.store.sweep(this.cfg.now(), {
      roomIdleMs: this.cfg.limits.roomIdleMs,
      inviteRetentionMs: this.cfg.limits.inviteRetentionMs,
    });
    for (const room of endedRooms) {
      this.counters.roomsOpen = Math.max(0, this.counters.roomsOpen - 1);
      this.broadcastEnded(room, 'expired');
      this.cfg.log({ ev: 'room_expired', roomId: room.roomId });
    }
    if (forgottenInvites) this.cfg.log({ ev: 'invites_forgotten', n: forgottenInvites });
  }

  closeAll(code: number, reason: string): void {
    for (const conn of this.conns) {
      try {
        conn.ws.close(code, reason);
      } catch { /* already closed */ }
    }
  }

  /** Deliver a telephony screen pop to every open socket of that agent on this node (and, in Redis mode, on the others). */
  screenPop(agentId: string, pop: { ani: string, callId?: string, receivedAt: number }): number {
    const msg: ServerMessage = { type: 'screen_pop', ani: pop.ani, source: 'telephony', receivedAt: pop.receivedAt };
    if (pop.callId !== undefined) msg.callId = pop.callId;
    if (this.bus) this.publish({ kind: 'agent', agentId, msg, origin: this.bus.nodeId });
    const list = this.agents.get(agentId);
    return list ? this.sendAll(list, msg) : 0;
  }

  /** Drain: tell every client to reconnect (elsewhere); the server closes what is left after `graceMs`. */
  drain(graceMs: number): void {
    this.draining = true;
    this.cfg.metrics.draining.set(1);
    this.sendAll([...this.conns], { type: 'reconnect', reason: 'draining', graceMs });
  }

  /** Redis mode: seats a dead node held went offline; tell the rest of their rooms. */
  async reap(): Promise<void> {
    const store = this.store as SignalingStore & { reapDeadNodes?: (now: number) => Promise<Array<{ room: RoomRecord, memberId: string, role: Member['role'] }>> };
    if (!store.reapDeadNodes) return;
    const reaped = await store.reapDeadNodes(this.cfg.now());
    for (const r of reaped) {
      this.cfg.log({ ev: 'seat_reaped', roomId: r.room.roomId, memberId: r.memberId });
      this.broadcast(r.room, r.memberId, { type: 'peer_left', memberId: r.memberId, role: r.role, reason: 'timeout' });
    }
  }

  // ------------------------------------------------------------ frames

  /** One inbound frame. Synchronous unless its handler waits on the store (then later frames of this socket wait). */
  onFrame(conn: Conn, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void | Promise<void> {
    if (conn.closed) return;
    conn.lastActivity = this.cfg.now();
    return this.guard(conn, () => this.handleFrame(conn, data, isBinary, performance.now()));
  }

  private handleFrame(conn: Conn, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean, t0: number): void | Promise<void> {
    const now = Date.now();
    const limited = this.cfg.abuse.message((conn.bucket ??= this.cfg.abuse.messageBucket(now)), now);
    if (limited) {
      // a client that keeps flooding after being told is cut off rather than answered forever
      if (++conn.overLimit > this.cfg.abuse.cfg.messageBurst) { try { conn.ws.close(1008, 'rate limit'); } catch { /* closed */ } return; }
      return this.error(conn, 'rate_limited', limited.message, undefined, limited.retryAfterMs);
    }
    conn.overLimit = 0;
    if (isBinary) return this.error(conn, 'bad_frame', 'binary frames are not accepted; send JSON text');
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    const big = this.cfg.abuse.frame(bytes);
    if (big) return this.error(conn, 'too_large', big.message);
    // (ws has already checked the bytes are valid UTF-8, as RFC 6455 requires of text frames)
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data.toString('utf8');
    const parsed = parseClientFrame(text, fastSignal);
    if (!parsed.ok) return this.error(conn, parsed.code, parsed.message, reqIdOf(text));
    return this.dispatch(conn, parsed.value, t0);
  }

  /** Run a handler; a throw or rejection becomes a typed `internal` error to that client, never a crash. */
  private guard(conn: Conn, fn: () => void | Promise<void>): void | Promise<void> {
    try {
      const r = fn();
      if (r) return r.catch((err: unknown) => this.handlerFailed(conn, err));
    } catch (err) {
      this.handlerFailed(conn, err);
    }
  }

  private handlerFailed(conn: Conn, err: unknown): void {
    this.cfg.log({ ev: 'handler_error', conn: conn.id, err: err instanceof Error ? err.stack ?? err.message : String(err) });
    this.error(conn, 'internal', 'internal server error');
  }

  private dispatch(conn: Conn, msg: ClientMessage, t0: number): void | Promise<void> {
    const reqId = 'reqId' in msg ? msg.reqId : undefined;
    if (msg.type === 'ping') {
      const pong: ServerMessage = { type: 'pong', t: this.cfg.now() };
      if (reqId !== undefined) pong.reqId = reqId;
      this.send(conn, pong);
      return;
    }
    if (conn.state.kind === 'anon') {
      if (msg.type === 'auth') return this.onAuth(conn, msg.token);
      if (msg.type === 'join') return this.onJoin(conn, msg.invite, msg.context);
      if (msg.type === 'resume') return this.onResume(conn, msg.resumeToken, msg.context);
      return this.error(conn, 'unauthorized', 'authenticate (auth) or join with an invite first', reqId);
    }
    switch (msg.type) {
      case 'auth':
      case 'join':
      case 'resume':
        return this.error(conn, 'invalid_message', `${msg.type}: this socket is already ${conn.state.kind === 'agent' ? 'authenticated' : 'in a room'}`);
      case 'create_invite':
        return this.onCreateInvite(conn, msg);
      case 'signal':
        return this.onSignal(conn, msg.to, msg.data, t0);
      case 'hangup':
        return this.onHangup(conn, reqId);
    }
  }

  // ------------------------------------------------------------ agent

  private async onAuth(conn: Conn, token: string): Promise<void> {
    const v = verifyAgentToken(this.cfg.keyRing, token, this.cfg.now());
    if (!v.ok) {
      this.cfg.log({ ev: 'auth_failed', conn: conn.id, why: v.message });
      return this.error(conn, 'unauthorized', v.message);
    }
    const agentId = v.value.sub;
    conn.state = agentState(agentId, newId('a'));
    const list = this.agents.get(agentId);
    if (!list) {
      this.agents.set(agentId, [conn]);
      if (this.bus) this.bus.hold(this.bus.agentChannel(agentId)).catch((err: unknown) => this.cfg.log({ ev: 'bus_error', err: String(err) }));
    } else if (!list.includes(conn)) this.agents.set(agentId, withItem(list, conn));
    if (this.routine) this.cfg.log({ ev: 'agent_auth', conn: conn.id, agentId });
    const room = await this.store.findOpenRoomForAgent(agentId);
    if (room) {
      await this.seatAgent(conn, room);
      return;
    }
    this.send(conn, { type: 'welcome', v: PROTOCOL_VERSION, memberId: conn.state.memberId, role: 'agent', iceServers: this.ice(conn.state.memberId), members: [] });
  }

  /** Put this agent socket in the agent seat of `room` (re-auth, second tab) and tell everyone. */
  private async seatAgent(conn: Conn, room: RoomRecord): Promise<void> {
    if (conn.state.kind !== 'agent') return;
    const seat = room.seats.find((s) => s.role === 'agent');
    if (!seat) return;
    const prev = this.seats.get(seat.memberId);
    if (prev && prev !== conn && prev.state.kind === 'agent') {
      // the older tab keeps its socket (screen pops) but no longer speaks for the seat
      prev.state = agentState(prev.state.agentId, newId('a'));
    }
    // ... and so does an older tab on another node
    if (this.bus && !prev) this.publish({ kind: 'evict', roomId: room.roomId, memberId: seat.memberId, origin: this.bus.nodeId });
    conn.state = agentState(conn.state.agentId, seat.memberId, room.roomId);
    await this.bindSeat(seat.memberId, conn, room.roomId);
    const after = (await this.store.setSeatOnline(room.roomId, seat.memberId, true, this.cfg.now())) ?? room;
    this.send(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId: seat.memberId, role: 'agent', roomId: room.roomId,
      iceServers: this.ice(seat.memberId), members: otherOnlineMembers(after, seat.memberId),
    });
    this.broadcast(after, seat.memberId, { type: 'peer_joined', member: memberOf({ ...seat, online: true }) });
  }

  private async onCreateInvite(conn: Conn, msg: Extract<ClientMessage, { type: 'create_invite' }>): Promise<void> {
    if (conn.state.kind !== 'agent') return this.error(conn, 'unauthorized', 'only an authenticated agent can create invites', msg.reqId);
    const agentId = conn.state.agentId;
    let room = conn.state.roomId ? await this.store.getRoom(conn.state.roomId) : undefined;
    if (!room) room = await this.store.findOpenRoomForAgent(agentId);
    if (!room) {
      const now = this.cfg.now();
      room = {
        roomId: newId('r'), agentId, createdAt: now,
        seats: [{ memberId: conn.state.memberId, role: 'agent', online: true, joinedAt: now }],
      };
      await this.store.createRoom(room);
      this.counters.roomsOpen++;
      conn.state.roomId = room.roomId;
      await this.bindSeat(conn.state.memberId, conn, room.roomId);
      if (this.routine) this.cfg.log({ ev: 'room_created', roomId: room.roomId, agentId });
    } else if (conn.state.roomId !== room.roomId) {
      // the agent's room was opened from another socket: this one takes the seat
      await this.seatAgent(conn, room);
    }
    const inv = await createInvite(this.store, {
      publicUrl: this.publicUrl, roomId: room.roomId, agentId, role: msg.role ?? 'customer',
      ttlSec: msg.ttlSec ?? this.cfg.inviteTtlSec, now: this.cfg.now(),
      ...(msg.page !== undefined ? { page: msg.page } : {}),
      ...(msg.ref !== undefined ? { ref: msg.ref } : {}),
    });
    this.counters.invitesCreated++;
    this.cfg.metrics.invitesCreated.inc();
    const code = msg.code || this.cfg.codes ? await this.mintCode(inv.record.hash, inv.record.expiresAt) : undefined;
    if (this.routine) this.cfg.log({ ev: 'invite_created', roomId: room.roomId, role: inv.record.role, invite: logTagOfHash(inv.record.hash), expiresAt: inv.record.expiresAt, code: code !== undefined });
    const reply: ServerMessage = { type: 'invite_created', roomId: room.roomId, url: inv.url, expiresAt: inv.record.expiresAt };
    if (code !== undefined) reply.code = code;
    if (msg.reqId !== undefined) reply.reqId = msg.reqId;
    this.send(conn, reply);
  }

  /** A short numeric code for this invite, unique among live codes; lives as long as the invite or the code TTL. */
  private async mintCode(inviteHash: string, expiresAt: number): Promise<string | undefined> {
    const { digits, codeTtlSec } = this.cfg.abuse.cfg.codes;
    const ttlMs = Math.min(codeTtlSec * 1000, Math.max(1000, expiresAt - this.cfg.now()));
    for (let i = 0; i < 8; i++) {
      let code = '';
      for (let d = 0; d < digits; d++) code += String(randomInt(10));
      if (await this.store.putCode(code, inviteHash, ttlMs)) return code;
    }
    this.cfg.log({ ev: 'code_space_crowded' });
    return undefined;
  }

  // ------------------------------------------------------------ customer / technician

  private async onJoin(conn: Conn, invite: string, context: ContextPacket): Promise<void> {
    const now = this.cfg.now();
    const memberId = newId('m');
    const resumeToken = newBearerToken();
    const inviteHash = hashToken(invite);
    const res = await this.store.redeemInvite(inviteHash, now, {
      memberId, role: 'customer', context, resumeHash: hashToken(resumeToken), online: true, joinedAt: now,
    }, this.cfg.limits.maxMembersPerRoom);
    if (!res.ok) {
      this.cfg.metrics.invitesRefused.inc({ reason: res.reason });
      if (res.reason === 'room_full') this.cfg.abuse.hit('room_members', 'room_full', 'room full');
      this.cfg.log({ ev: 'join_refused', conn: conn.id, invite: logTagOfHash(inviteHash), code: res.reason });
      return this.error(conn, res.reason, JOIN_MESSAGES[res.reason]);
    }
    const seat = seatOf(res.room, memberId)!;
    const role = seat.role === 'technician' ? 'technician' : 'customer';
    if (conn.closed) {
      // the socket went away while we were redeeming: keep the seat for resume, offline
      await this.store.setSeatOnline(res.room.roomId, memberId, false, now);
      return;
    }
    conn.state = { kind: 'guest', memberId, role, roomId: res.room.roomId };
    await this.bindSeat(memberId, conn, res.room.roomId);
    this.counters.joins++;
    this.cfg.metrics.invitesRedeemed.inc();
    if (this.routine) this.cfg.log({ ev: 'join', conn: conn.id, roomId: res.room.roomId, memberId, role, invite: logTagOfHash(inviteHash), replaced: res.replaced?.memberId });
    this.send(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId, role, roomId: res.room.roomId, resumeToken,
      iceServers: this.ice(memberId), members: otherOnlineMembers(res.room, memberId),
    });
    this.broadcast(res.room, memberId, { type: 'peer_joined', member: memberOf(seat) });
  }

  private async onResume(conn: Conn, resumeToken: string, context?: ContextPacket): Promise<void> {
    const resumeHash = hashToken(resumeToken);
    const found = await this.store.findSeatByResume(resumeHash);
    if (!found) {
      this.cfg.log({ ev: 'resume_refused', conn: conn.id, resume: logTagOfHash(resumeHash) });
      return this.error(conn, 'resume_invalid', 'this session has ended or the resume token is not valid; ask for a new invite');
    }
    const { room, seat } = found;
    const role = seat.role === 'technician' ? 'technician' : 'customer';
    const prev = this.seats.get(seat.memberId);
    if (prev && prev !== conn) {
      // the old socket of this seat (a tab left open, a half-dead connection) loses it
      this.unbindSeat(seat.memberId, prev);
      prev.state = ANON;
      try {
        prev.ws.close(4001, 'seat resumed elsewhere');
      } catch { /* already closed */ }
    } else if (!prev && this.bus) {
      // ... wherever it is
      this.publish({ kind: 'evict', roomId: room.roomId, memberId: seat.memberId, origin: this.bus.nodeId });
    }
    if (conn.closed) return;
    conn.state = { kind: 'guest', memberId: seat.memberId, role, roomId: room.roomId };
    await this.bindSeat(seat.memberId, conn, room.roomId);
    const after = (await this.store.setSeatOnline(room.roomId, seat.memberId, true, this.cfg.now(), context)) ?? room;
    const fresh = seatOf(after, seat.memberId) ?? seat;
    this.counters.resumes++;
    if (this.routine) this.cfg.log({ ev: 'resume', conn: conn.id, roomId: room.roomId, memberId: seat.memberId });
    this.send(conn, {
      type: 'welcome', v: PROTOCOL_VERSION, memberId: seat.memberId, role, roomId: room.roomId, resumeToken,
      iceServers: this.ice(seat.memberId), members: otherOnlineMembers(after, seat.memberId),
    });
    this.broadcast(after, seat.memberId, { type: 'peer_joined', member: memberOf(fresh) });
  }

  // ------------------------------------------------------------ in a room

  private onSignal(conn: Conn, to: string, data: SignalData, t0: number): void | Promise<void> {
    const from = conn.memberId;
    const roomId = conn.roomId;
    if (!from || !roomId) return this.error(conn, 'not_in_room', 'you are not in a room; create an invite or join first');
    if (to === from) return this.error(conn, 'unknown_peer', 'no such member in your room');
    // Fast path, the common case of a call: the target's socket is on this node and seated in the
    // sender's room (seats are bound on join/resume and unbound on leave/end), so the store need not be read.
    const local = this.seats.get(to);
    if (local && !local.closed && local.roomId === roomId && local.memberId === to) {
      if (this.send(local, { type: 'signal', from, data })) {
        this.counters.relayed++;
        this.relayedLocal.inc();
        this.cfg.metrics.relayLatency.observe((performance.now() - t0) / 1000);
      }
      return;
    }
    return this.signalViaStore(conn, from, roomId, to, data, t0);
  }

  /** The target is not seated on this node (or not in the room): the store decides. */
  private async signalViaStore(conn: Conn, from: string, roomId: string, to: string, data: SignalData, t0: number): Promise<void> {
    const room = await this.store.getRoom(roomId);
    if (!room) return this.error(conn, 'not_in_room', 'the room has ended');
    if (!seatOf(room, to)) return this.error(conn, 'unknown_peer', 'no such member in your room');
    const target = this.seats.get(to);
    if (!target && this.bus && seatOf(room, to)?.online) {
      // the target's socket is on another node: the room channel carries it there
      this.publish({ kind: 'deliver', roomId, to, msg: { type: 'signal', from, data }, origin: this.bus.nodeId, sentAt: Date.now() });
      this.counters.relayed++;
      this.relayedRemoteOut.inc();
      this.cfg.metrics.relayLatency.observe((performance.now() - t0) / 1000);
      return;
    }
    // defence in depth: the target socket must itself still sit in this room
    if (!target || target.closed || target.roomId !== roomId || target.memberId !== to) {
      this.cfg.log({ ev: 'signal_dropped', roomId, from, to, why: 'peer offline' });
      return;
    }
    if (this.send(target, { type: 'signal', from, data })) {
      this.counters.relayed++;
      this.relayedLocal.inc();
      this.cfg.metrics.relayLatency.observe((performance.now() - t0) / 1000);
    }
  }

  private async onHangup(conn: Conn, reqId?: string): Promise<void> {
    const roomId = conn.roomId;
    if (!roomId) return this.error(conn, 'not_in_room', 'you are not in a room', reqId);
    if (conn.state.kind === 'agent') {
      const room = await this.store.endRoom(roomId);
      this.unbindSeat(conn.state.memberId, conn);
      conn.state = agentState(conn.state.agentId, newId('a'));
      if (!room) return;
      this.counters.roomsOpen = Math.max(0, this.counters.roomsOpen - 1);
      if (this.routine) this.cfg.log({ ev: 'room_ended', roomId, reason: 'agent_hangup' });
      this.broadcastEnded(room, 'agent_hangup');
      this.send(conn, { type: 'ended', reason: 'agent_hangup' });
      return;
    }
    if (conn.state.kind !== 'guest') return this.error(conn, 'not_in_room', 'you are not in a room', reqId);
    const memberId = conn.state.memberId;
    const role = conn.state.role;
    conn.state = ANON;
    this.unbindSeat(memberId, conn);
    const room = await this.store.removeSeat(roomId, memberId, this.cfg.now());
    if (this.routine) this.cfg.log({ ev: 'hangup', roomId, memberId, role });
    if (room) this.broadcast(room, memberId, { type: 'peer_left', memberId, role, reason: 'hangup' });
  }

  private onClose(conn: Conn): void | Promise<void> {
    const reason: LeaveReason = conn.timedOut ? 'timeout' : 'disconnect';
    if (this.routine) this.cfg.log({ ev: 'ws_close', conn: conn.id, reason });
    if (conn.state.kind === 'agent') {
      const list = this.agents.get(conn.state.agentId);
      const i = list ? list.indexOf(conn) : -1;
      if (i >= 0) list!.splice(i, 1);
      if (list && list.length === 0) {
        this.agents.delete(conn.state.agentId);
        if (this.bus) this.bus.release(this.bus.agentChannel(conn.state.agentId)).catch((err: unknown) => this.cfg.log({ ev: 'bus_error', err: String(err) }));
      }
    }
    const memberId = conn.memberId;
    const roomId = conn.roomId;
    if (!memberId || !roomId || this.seats.get(memberId) !== conn) return;
    this.unbindSeat(memberId, conn);
    const role = conn.state.kind === 'agent' ? 'agent' : conn.state.kind === 'guest' ? conn.state.role : 'customer';
    conn.state = ANON;
    return this.leftRoom(roomId, memberId, role, reason);
  }

  /** A seated socket went away: its seat stays (offline, for resume) and the room is told. */
  private async leftRoom(roomId: string, memberId: string, role: Member['role'], reason: LeaveReason): Promise<void> {
    const room = await this.store.setSeatOnline(roomId, memberId, false, this.cfg.now());
    if (room) this.broadcast(room, memberId, { type: 'peer_left', memberId, role, reason });
  }

  // ------------------------------------------------------------ sending

  private broadcastEnded(room: RoomRecord, reason: 'agent_hangup' | 'room_closed' | 'expired'): void {
    if (this.hasRemote(room)) this.publish({ kind: 'deliver', roomId: room.roomId, msg: { type: 'ended', reason }, origin: this.bus!.nodeId, sentAt: Date.now() });
    for (const seat of room.seats) {
      const c = this.seats.get(seat.memberId);
      if (!c || c.roomId !== room.roomId) continue;
      this.endLocalSeat(c, seat.memberId, reason);
    }
  }

  private endLocalSeat(c: Conn, memberId: string, reason: 'agent_hangup' | 'room_closed' | 'expired'): void {
    this.unbindSeat(memberId, c);
    if (c.state.kind === 'agent') {
      const agentId = c.state.agentId;
      c.state = agentState(agentId, newId('a'));
      if (reason === 'agent_hangup') return; // the hanging-up socket is told by onHangup
    } else {
      c.state = ANON;
    }
    this.send(c, { type: 'ended', reason });
  }

  /** To every online member of the room on this node except `exceptId`. */
  private broadcast(room: RoomRecord, exceptId: string, msg: ServerMessage): void {
    if (this.hasRemote(room, exceptId)) this.publish({ kind: 'deliver', roomId: room.roomId, except: exceptId, msg, origin: this.bus!.nodeId, sentAt: Date.now() });
    let text: string | undefined; // serialised once, for however many recipients
    for (const seat of room.seats) {
      if (seat.memberId === exceptId) continue;
      const c = this.seats.get(seat.memberId);
      if (c && c.roomId === room.roomId) this.sendText(c, (text ??= JSON.stringify(msg)));
    }
  }

  /** The same frame to several sockets; returns how many took it. */
  private sendAll(conns: readonly Conn[], msg: ServerMessage): number {
    let text: string | undefined;
    let n = 0;
    for (const c of conns) if (this.sendText(c, (text ??= JSON.stringify(msg)))) n++;
    return n;
  }

  private send(conn: Conn, msg: ServerMessage): boolean {
    if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return false;
    conn.ws.send(JSON.stringify(msg));
    return true;
  }

  private sendText(conn: Conn, text: string): boolean {
    if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return false;
    conn.ws.send(text);
    return true;
  }

  private countError(code: ErrorCode): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.cfg.metrics.errors.inc({ code });
  }

  private error(conn: Conn, code: ErrorCode, message: string, reqId?: string, retryAfterMs?: number): void {
    this.countError(code);
    const msg: ServerMessage = { type: 'error', code, message };
    if (reqId !== undefined) msg.reqId = reqId;
    if (retryAfterMs !== undefined) msg.retryAfterMs = retryAfterMs;
    this.send(conn, msg);
  }
}

const JOIN_MESSAGES: Record<'invite_unknown' | 'invite_expired' | 'invite_used' | 'room_full', string> = {
  invite_unknown: 'this invite link is not valid',
  invite_expired: 'this invite link has expired; ask the agent for a new one',
  invite_used: 'this invite link has already been used; ask the agent for a new one',
  room_full: 'this session already has the maximum number of participants',
};

/** Best effort: echo a well-formed reqId back on errors so a client can match them. */
function reqIdOf(text: string): string | undefined {
  if (text.length > 65_536) return undefined;
  try {
    const j = JSON.parse(text) as unknown;
    const r = j && typeof j === 'object' ? (j as { reqId?: unknown }).reqId : undefined;
    return typeof r === 'string' && /^[A-Za-z0-9_\-.:]{1,128}$/.test(r) ? r : undefined;
  } catch {
    return undefined;
  }
}

export type { Member };
