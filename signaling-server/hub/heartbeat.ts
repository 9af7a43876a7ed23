/**
 * The heartbeat: sockets that did not answer the last ping are dropped;
 * sockets that sent no frame for the idle time (or never authenticated within
 * the auth time) are told why (typed `timeout`) and closed.
 */
import type { ResolvedConfig } from '../config/index';
import type { ErrorReplies } from './errors';
import type { Conn } from './socket';

/** Sockets checked (and pinged) per event-loop turn. */
const HEARTBEAT_SLICE = 200;

export class Heartbeat {
  /** a sweep is in progress */
  private sweeping = false;

  constructor(private readonly cfg: ResolvedConfig, private readonly conns: ReadonlySet<Conn>, private readonly errors: ErrorReplies) {}

  /**
   * One tick. The check runs after this loop turn's I/O (setImmediate), so a
   * node that was stalled (GC, CPU starvation) reads the pongs already waiting
   * in its socket buffers before judging anyone dead. It runs in slices of
   * HEARTBEAT_SLICE sockets with I/O in between: a ping is a write, and 10,000
   * of them in one go held the event loop for 145 ms every tick, a stall every
   * relayed frame of that moment waited out (slices of 200: under 10 ms).
   */
  tick(): void {
    if (this.sweeping) return; // the last tick is still going (a starved node): this one is skipped
    this.sweeping = true;
    const batch = [...this.conns];
    let i = 0;
    const step = () => {
      const end = Math.min(batch.length, i + HEARTBEAT_SLICE);
      const now = this.cfg.now();
      for (; i < end; i++) this.check(batch[i]!, now);
      if (i < batch.length) setImmediate(step);
      else this.sweeping = false;
    };
    setImmediate(step);
  }

  private check(conn: Conn, now: number): void {
    // already told and closing: counted once, not again on every tick until the close completes
    if (conn.closed || conn.timedOut) return;
    const abuse = this.cfg.abuse;
    const idleMs = abuse.cfg.idleTimeoutSec * 1000;
    const authMs = abuse.cfg.authTimeoutSec * 1000;
    if (!conn.alive) {
      conn.timedOut = true;
      abuse.timeout('heartbeat_timeout');
      this.cfg.log({ ev: 'ws_timeout', conn: conn.id });
      conn.ws.terminate();
      return;
    }
    const quiet = now - conn.lastActivity;
    // A socket that never authenticated has authMs from connect, however many frames it sends.
    const pending = conn.state.kind === 'anon' && !conn.admitted && authMs > 0;
    const limit = conn.state.kind === 'anon' && authMs > 0 ? authMs : idleMs;
    if ((pending && now - conn.connectedAt > authMs) || (limit > 0 && quiet > limit)) {
      const hit = abuse.timeout('idle_timeout');
      conn.timedOut = true;
      this.cfg.log({ ev: 'ws_idle', conn: conn.id, quietMs: quiet });
      this.errors.send(conn, 'timeout', conn.state.kind === 'anon' ? 'closed: no auth or join in time' : hit.message);
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
}
