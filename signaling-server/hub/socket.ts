/**
 * One client socket on this node: its state (anonymous, agent, guest), its
 * frame queue, and the shared ws listeners that feed it.
 *
 * Every socket's frames are handled one at a time (a promise chain per
 * socket), so a `signal` can never overtake the `join` before it.
 */
import { WebSocket } from 'ws';
import type { ServerMessage } from '../protocol/index';
import type { TokenBucket } from '../limits/index';
import type { Identity } from '../identity/identity';

export type ConnState =
  | { kind: 'anon' }
  | { kind: 'agent', agentId: string, memberId: string, roomId?: string }
  | { kind: 'guest', memberId: string, role: 'customer' | 'technician', roomId: string };

export const ANON: ConnState = Object.freeze({ kind: 'anon' });
/** roomId always present (maybe undefined): set later, it would not fit inside the object. */
export const agentState = (agentId: string, memberId: string, roomId?: string): Extract<ConnState, { kind: 'agent' }> => ({ kind: 'agent', agentId, memberId, roomId });

const QUEUE_PAUSE_AT = 64;
const QUEUE_RESUME_AT = 8;

/** A frame handler: synchronous when it can be (relay, ping, refusals), a promise when it waits on the store. */
export type Task = () => void | Promise<void>;

/** What a socket's listeners hand their events to (the hub). */
export interface SocketOwner {
  onFrame(conn: Conn, data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void | Promise<void>;
  detach(conn: Conn): void;
  logWarn(rec: Record<string, unknown>): void;
  /** The socket authenticated or joined for the first time (frees its unauthenticated slot). */
  admitted?(conn: Conn): void;
}

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
  private st: ConnState = ANON;
  /** when the socket connected: the auth deadline runs from here, not from its last frame; also the team board's "available since" */
  connectedAt = 0;
  /** has been an agent or a room member at least once (then the auth deadline no longer applies) */
  admitted = false;
  get state(): ConnState { return this.st; }
  set state(next: ConnState) {
    this.st = next;
    if (!this.admitted && next.kind !== 'anon') {
      this.admitted = true;
      this.hub.admitted?.(this);
    }
  }
  /** set when an agent socket authenticates; kept across seat changes, cleared never (a socket is one person) */
  identity: Identity | undefined = undefined;
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
  constructor(readonly id: number, readonly ws: WebSocket, readonly hub: SocketOwner) {}

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

/** Tie `ws` to `conn` and give it the shared listeners. */
export function listen(ws: WebSocket, conn: Conn): void {
  (ws as SignalingSocket).conn = conn;
  ws.on('pong', onWsPong);
  ws.on('message', onWsMessage);
  ws.on('close', onWsClose);
  ws.on('error', onWsError);
}

/** Send one frame if the socket is still open; true if it was sent. */
export function sendFrame(conn: Conn, msg: ServerMessage): boolean {
  if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return false;
  conn.ws.send(JSON.stringify(msg));
  return true;
}

/** The same with a frame already serialised (one text for several recipients). */
export function sendText(conn: Conn, text: string): boolean {
  if (conn.closed || conn.ws.readyState !== conn.ws.OPEN) return false;
  conn.ws.send(text);
  return true;
}
