/**
 * A browser WebSocket to the signaling server that speaks protocol.ts:
 * frames out are typed ClientMessages, frames in are validated with
 * parseServerFrame before anyone sees them (bad frames are reported, not
 * thrown). Reconnection policy belongs to the caller (agent and customer
 * differ: the customer resumes its seat, the agent re-authenticates); a
 * draining server's `reconnect` frame is handled here for both: the socket
 * closes itself at a spread-out moment and says so (`moving`), so the caller
 * reconnects at once instead of backing off.
 */
import { parseServerFrame, type ClientMessage, type ServerMessage } from '../../signaling-server/protocol';
import { fastServerSignal } from '../../signaling-server/protocol';

const KEEPALIVE_MS = 20_000;

export type ServerMessageOf<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

export interface SignalingClient {
  send(msg: ClientMessage): boolean;
  on<T extends ServerMessage['type']>(type: T, fn: (msg: ServerMessageOf<T>) => void): () => void;
  /** `moving`: we left a draining node on its `reconnect` frame; connect again now (the balancer picks another node). */
  onClose(fn: (ev: SignalingClose) => void): () => void;
  onInvalid(fn: (err: { code: string; message: string }) => void): () => void;
  readonly open: boolean;
  close(): void;
  /** Test/diagnostic hook: drop the socket as a network loss would (no close handshake semantics needed). */
  readonly socket: WebSocket;
}

export interface SignalingClose { code: number; reason: string; moving: boolean }

/**
 * A socket some earlier script opened to the same URL (the customer page's served HTML does,
 * while the page's code loads), with the frames it received before anyone listened.
 */
export interface EarlySocket { ws: WebSocket; queue: string[] }

/**
 * Opens the socket (or takes over `early`, if it is still connecting or open); resolves once it
 * is open, rejects if it cannot be opened. An early socket's queued frames, and any that arrive
 * before then, are delivered on the next task after the promise resolves, i.e. to the handlers
 * its `then` registered, in order.
 */
export function connectSignaling(url: string, timeoutMs = 10_000, early?: EarlySocket): Promise<SignalingClient> {
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    const adopt = early && early.ws.url === new URL(url).href && early.ws.readyState <= WebSocket.OPEN ? early : null;
    if (early && !adopt) try { early.ws.close(); } catch { /* already closed */ }
    try { ws = adopt ? adopt.ws : new WebSocket(url); } catch (err) { reject(err); return; }
    const handlers = new Map<string, Set<(m: ServerMessage) => void>>();
    const closeFns = new Set<(ev: SignalingClose) => void>();
    let moving = false;
    const invalidFns = new Set<(e: { code: string; message: string }) => void>();
    let settled = false;
    const timer = setTimeout(() => { if (!settled) { settled = true; ws.close(); reject(new Error('signaling connect timeout')); } }, timeoutMs);

    const client: SignalingClient = {
      send(msg) {
        if (ws.readyState !== WebSocket.OPEN) return false;
        ws.send(JSON.stringify(msg));
        return true;
      },
      on(type, fn) {
        let set = handlers.get(type);
        if (!set) handlers.set(type, (set = new Set()));
        set.add(fn as (m: ServerMessage) => void);
        return () => { set.delete(fn as (m: ServerMessage) => void); };
      },
      onClose(fn) { closeFns.add(fn); return () => { closeFns.delete(fn); }; },
      onInvalid(fn) { invalidFns.add(fn); return () => { invalidFns.delete(fn); }; },
      get open() { return ws.readyState === WebSocket.OPEN; },
      close() { try { ws.close(1000, 'bye'); } catch { /* already closed */ } },
      get socket() { return ws; },
    };

    // The server closes sockets that stay silent (idle timeout); a ping now and then keeps a
    // waiting agent or a customer reading the consent text connected.
    let keepAlive: ReturnType<typeof setInterval> | null = null;
    const opened = () => {
      if (!settled) { settled = true; clearTimeout(timer); resolve(client); }
      keepAlive = setInterval(() => { if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping' })); }, KEEPALIVE_MS);
    };
    ws.onopen = opened;
    ws.onerror = () => { if (!settled) { settled = true; clearTimeout(timer); reject(new Error('signaling connection failed')); } };
    ws.onclose = (ev) => {
      if (keepAlive) clearInterval(keepAlive);
      if (!settled) { settled = true; clearTimeout(timer); reject(new Error(`signaling closed (${ev.code})`)); return; }
      for (const fn of closeFns) fn({ code: ev.code, reason: ev.reason, moving });
    };
    const onFrame = (ev: { data: unknown }) => {
      if (typeof ev.data !== 'string') { for (const fn of invalidFns) fn({ code: 'bad_frame', message: 'binary frame from server' }); return; }
      const r = parseServerFrame(ev.data, fastServerSignal);
      if (!r.ok) { for (const fn of invalidFns) fn({ code: r.code, message: r.message }); return; }
      if (r.value.type === 'reconnect') {
        // Leave before the node cuts us off at the end of its grace period, spread out so that its
        // sockets do not all reach the other nodes in the same instant.
        setTimeout(() => {
          if (ws.readyState !== WebSocket.OPEN) return;
          moving = true;
          try { ws.close(1000, 'moving'); } catch { /* already closing */ }
        }, drainSpreadMs(r.value.graceMs));
      }
      for (const fn of handlers.get(r.value.type) ?? []) {
        try { fn(r.value); } catch (err) { console.error(`signaling ${r.value.type} handler failed`, err); }
      }
    };
    if (!adopt) { ws.onmessage = onFrame; return; }
    // Taken over: the early script's handler keeps queueing until the caller has its handlers on.
    setTimeout(() => {
      for (const data of adopt.queue.splice(0)) onFrame({ data });
      ws.onmessage = onFrame;
    }, 0);
    if (ws.readyState === WebSocket.OPEN) opened();
  });
}

/** Same-origin signaling URL for pages served by the signaling server (the customer page). */
export function sameOriginSignalingUrl(loc: Pick<Location, 'protocol' | 'host'> = location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

/**
 * When to leave a draining node: a random point in the first half of its grace period (at most
 * 10 s in), so its sockets arrive at the other nodes spread out rather than all at once.
 */
export function drainSpreadMs(graceMs: number, rand: number = Math.random()): number {
  return Math.floor(rand * Math.min(Math.max(graceMs, 0) / 2, 10_000));
}

/** The session config carries the server's http(s) base URL; its socket is ws(s)://same-host/ws. */
export function toWsUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/ws';
  return u.toString();
}
