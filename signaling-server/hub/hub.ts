/**
 * The socket side of the server: who is on which socket, and what each
 * client frame does. Shared state lives in the store; this node only keeps
 * the routing table from members to its own open sockets (seat-table.ts).
 *
 * The hub takes sockets in and out, reads each frame and hands it to the
 * part that does that job: agent-auth.ts (auth, invites, short codes),
 * guest-join.ts (join, resume), relay.ts (signal), leave.ts (hang-up,
 * close); heartbeat.ts checks the sockets on a timer.
 */
import type { WebSocket } from 'ws';
import { performance } from 'node:perf_hooks';
import { parseClientFrame, fastSignal, type ClientMessage, type ErrorCode, type ServerMessage } from '../protocol/index';
import type { ResolvedConfig } from '../config/index';
import type { RedisBus } from '../redis/bus';
import type { SignalingStore } from '../store';
import { AgentAuth } from './agent-auth';
import type { HubContext } from './context';
import { ErrorReplies } from './errors';
import { GuestJoin } from './guest-join';
import { Handoffs } from './handoff';
import { Heartbeat } from './heartbeat';
import { Leave } from './leave';
import { Relay } from './relay';
import { RelayCounter } from './relay-counter';
import { SeatTable, sendAll } from './seat-table';
import { Conn, listen, sendFrame, type SocketOwner } from './socket';
import { createBearerVerifier, type VerifyBearer } from '../identity/verify-bearer';

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

export class Hub implements SocketOwner {
  readonly conns = new Set<Conn>();
  /** sockets refused at the door (rate limit, draining) that are still closing */
  readonly refused = new Set<WebSocket>();
  draining = false;
  private nextId = 1;
  private readonly h: HubContext;
  private readonly relays: RelayCounter;
  private readonly beat: Heartbeat;
  private readonly agents: AgentAuth;
  private readonly guests: GuestJoin;
  private readonly relay: Relay;
  private readonly leave: Leave;
  readonly handoffs: Handoffs;

  constructor(private readonly cfg: ResolvedConfig, private readonly store: SignalingStore) {
    this.relays = new RelayCounter(cfg.metrics);
    const seats = new SeatTable(cfg.log, this.relays);
    const errors = new ErrorReplies(cfg.metrics);
    this.h = { cfg, store, seats, errors, counters: { invitesCreated: 0, joins: 0, resumes: 0, roomsOpen: 0 }, routine: cfg.logRoutine, publicUrl: '', verify: createBearerVerifier({ keyRing: cfg.keyRing, now: cfg.now }) };
    this.beat = new Heartbeat(cfg, this.conns, errors);
    this.handoffs = new Handoffs(this.h);
    this.agents = new AgentAuth(this.h, this.handoffs);
    this.guests = new GuestJoin(this.h, this.handoffs);
    this.relay = new Relay(this.h, this.relays);
    this.leave = new Leave(this.h, this.handoffs);
    cfg.metrics.socketsOpen.collect(() => this.conns.size);
    cfg.metrics.rooms.collect(() => seats.roomCount);
  }

  /** Redis mode: frames for members on other nodes travel over pub/sub; resolves once the node is subscribed to the supervisors' channel. */
  attachBus(bus: RedisBus): Promise<void> {
    return this.h.seats.attachBus(bus);
  }

  setPublicUrl(url: string): void {
    this.h.publicUrl = url;
  }

  /** The bearer verifier for agent sockets (the server sets it once its IdP is known). */
  setVerifier(verify: VerifyBearer): void {
    this.h.verify = verify;
  }

  /** To every authenticated socket whose identity has `role`, on this node and, in Redis mode, on the others (approval requests to supervisors). */
  toRole(role: 'supervisor', msg: ServerMessage): number {
    return this.h.seats.toRole(role, msg);
  }

  /** To every socket of this agent (here and, in Redis mode, on other nodes). */
  toAgent(agentId: string, msg: ServerMessage): number {
    return this.h.seats.toAgent(agentId, msg);
  }

  stats(): HubStats {
    const c = this.h.counters;
    return {
      sockets: this.conns.size,
      agents: this.h.seats.agentCount,
      rooms: c.roomsOpen,
      relayed: this.relays.relayed,
      invitesCreated: c.invitesCreated,
      joins: c.joins,
      resumes: c.resumes,
      errors: this.h.errors.snapshot(),
    };
  }

  // ------------------------------------------------------------ socket lifecycle

  /** Refuse a socket with a typed error before it does anything (connection rate, draining). */
  refuse(ws: WebSocket, code: ErrorCode, message: string, retryAfterMs?: number): void {
    this.h.errors.count(code);
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

  /**
   * Sockets that have not authenticated or joined yet, per address and in
   * total. They cost memory and a heartbeat slot without being anyone, so
   * there are only so many: the server refuses a new socket over either cap.
   */
  private readonly pendingByAddress = new Map<string, number>();
  private pendingTotal = 0;
  private readonly pendingAddress = new WeakMap<Conn, string>();

  /** null when one more unauthenticated socket from `address` is allowed, else why not. */
  unauthenticatedCap(address: string): string | null {
    const a = this.cfg.abuse.cfg;
    if (this.pendingTotal >= a.maxUnauthenticatedTotal) return `too many unauthenticated connections on this node (limit ${a.maxUnauthenticatedTotal}); try again shortly`;
    if ((this.pendingByAddress.get(address) ?? 0) >= a.maxUnauthenticatedPerAddress) return `too many unauthenticated connections from this address (limit ${a.maxUnauthenticatedPerAddress})`;
    return null;
  }

  admitted(conn: Conn): void { this.releasePending(conn); }

  private releasePending(conn: Conn): void {
    const address = this.pendingAddress.get(conn);
    if (address === undefined) return;
    this.pendingAddress.delete(conn);
    this.pendingTotal--;
    const n = (this.pendingByAddress.get(address) ?? 1) - 1;
    if (n <= 0) this.pendingByAddress.delete(address); else this.pendingByAddress.set(address, n);
  }

  attach(ws: WebSocket, remote: string): Conn {
    const conn = new Conn(this.nextId++, ws, this);
    conn.lastActivity = conn.connectedAt = this.cfg.now();
    this.pendingAddress.set(conn, remote);
    this.pendingTotal++;
    this.pendingByAddress.set(remote, (this.pendingByAddress.get(remote) ?? 0) + 1);
    this.conns.add(conn);
    this.cfg.metrics.socketsTotal.inc();
    listen(ws, conn);
    if (this.h.routine) this.cfg.log({ ev: 'ws_open', conn: conn.id, remote });
    return conn;
  }

  /** The socket closed: frames still queued run first, then the seat is let go. */
  detach(conn: Conn): void {
    conn.closed = true;
    this.releasePending(conn);
    this.conns.delete(conn);
    conn.enqueue(() => this.guard(conn, () => this.leave.closed(conn)));
  }

  /** Problems (always logged). */
  logWarn(rec: Record<string, unknown>): void {
    this.cfg.log(rec);
  }

  /** One heartbeat tick (heartbeat.ts). */
  heartbeat(): void {
    this.beat.tick();
    this.handoffs.refresh().catch((err: unknown) => this.cfg.log({ ev: 'presence_error', err: String(err) }));
  }

  /** Hand-off time-outs (every second). */
  async handoffTick(): Promise<void> {
    await this.handoffs.tick();
  }

  async sweep(): Promise<void> {
    const { endedRooms, forgottenInvites } = await this.store.sweep(this.cfg.now(), {
      roomIdleMs: this.cfg.limits.roomIdleMs,
      inviteRetentionMs: this.cfg.limits.inviteRetentionMs,
    });
    for (const room of endedRooms) {
      this.h.counters.roomsOpen = Math.max(0, this.h.counters.roomsOpen - 1);
      this.h.seats.broadcastEnded(room, 'expired');
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
    return this.h.seats.toAgent(agentId, msg);
  }

  /** Drain: tell every client to reconnect (elsewhere); the server closes what is left after `graceMs`. */
  drain(graceMs: number): void {
    this.draining = true;
    this.cfg.metrics.draining.set(1);
    sendAll([...this.conns], { type: 'reconnect', reason: 'draining', graceMs });
  }

  /** Redis mode: seats a dead node held went offline; tell the rest of their rooms. */
  async reap(): Promise<void> {
    if (!this.store.reapDeadNodes) return;
    const reaped = await this.store.reapDeadNodes(this.cfg.now());
    for (const r of reaped) {
      this.cfg.log({ ev: 'seat_reaped', roomId: r.room.roomId, memberId: r.memberId });
      this.h.seats.broadcast(r.room, r.memberId, { type: 'peer_left', memberId: r.memberId, role: r.role, reason: 'timeout' });
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
    const errors = this.h.errors;
    const abuse = this.cfg.abuse;
    const now = Date.now();
    const limited = abuse.message((conn.bucket ??= abuse.messageBucket(now)), now);
    if (limited) {
      // a client that keeps flooding after being told is cut off rather than answered forever
      if (++conn.overLimit > abuse.cfg.messageBurst) { try { conn.ws.close(1008, 'rate limit'); } catch { /* closed */ } return; }
      return errors.send(conn, 'rate_limited', limited.message, undefined, limited.retryAfterMs);
    }
    conn.overLimit = 0;
    if (isBinary) return errors.send(conn, 'bad_frame', 'binary frames are not accepted; send JSON text');
    const bytes = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
    const big = abuse.frame(bytes);
    if (big) return errors.send(conn, 'too_large', big.message);
    // (ws has already checked the bytes are valid UTF-8, as RFC 6455 requires of text frames)
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : data.toString('utf8');
    const parsed = parseClientFrame(text, fastSignal);
    if (!parsed.ok) return errors.send(conn, parsed.code, parsed.message, reqIdOf(text));
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
    this.h.errors.send(conn, 'internal', 'internal server error');
  }

  private dispatch(conn: Conn, msg: ClientMessage, t0: number): void | Promise<void> {
    const reqId = 'reqId' in msg ? msg.reqId : undefined;
    if (msg.type === 'ping') {
      const pong: ServerMessage = { type: 'pong', t: this.cfg.now() };
      if (reqId !== undefined) pong.reqId = reqId;
      sendFrame(conn, pong);
      return;
    }
    if (conn.state.kind === 'anon') {
      if (msg.type === 'auth') return this.agents.auth(conn, msg.token);
      if (msg.type === 'join') return this.guests.join(conn, msg.invite, msg.context);
      if (msg.type === 'resume') return this.guests.resume(conn, msg.resumeToken, msg.context);
      return this.h.errors.send(conn, 'unauthorized', 'authenticate (auth) or join with an invite first', reqId);
    }
    switch (msg.type) {
      case 'auth':
      case 'join':
      case 'resume':
        return this.h.errors.send(conn, 'invalid_message', `${msg.type}: this socket is already ${conn.state.kind === 'agent' ? 'authenticated' : 'in a room'}`);
      case 'create_invite':
        return this.agents.createInvite(conn, msg);
      case 'signal':
        return this.relay.signal(conn, msg.to, msg.data, t0);
      case 'hangup':
        return this.leave.hangup(conn, reqId);
      case 'presence':
        return this.handoffs.setStatus(conn, msg.status);
      case 'directory':
        return this.handoffs.directory(conn, msg.reqId);
      case 'handoff_request':
        return this.handoffs.request(conn, msg);
      case 'handoff_answer':
        return this.handoffs.answer(conn, msg);
      case 'handoff_cancel':
        return this.handoffs.cancel(conn, msg);
      case 'handoff_complete':
        return this.handoffs.complete(conn, msg);
      case 'notify':
        return this.handoffs.notify(conn, msg);
      case 'guest_revoke':
        return this.handoffs.revokeGuest(conn, msg);
    }
  }
}

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
