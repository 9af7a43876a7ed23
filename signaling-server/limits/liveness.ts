/**
 * Heartbeat and idle time-outs for many sockets with ONE timer per node (not
 * one per socket): every `heartbeatIntervalMs` the sweep pings each socket
 * that answered the previous ping and closes those that did not (dead TCP,
 * phone gone to sleep); sockets that sent no application frame for
 * `idleTimeoutMs` are closed too, so half-open or abandoned sockets cannot
 * pin memory.
 */
export interface LivenessConfig { heartbeatIntervalMs: number; idleTimeoutMs: number }

export interface Watched {
  ping(): void;
  /** Close because a time-out fired; the caller sends a typed error first when it can. */
  expire(reason: 'heartbeat_timeout' | 'idle_timeout'): void;
}

interface Entry { alive: boolean; lastActivity: number }

export class LivenessMonitor<S extends Watched = Watched> {
  private entries = new Map<S, Entry>();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly cfg: LivenessConfig, private readonly now: () => number = Date.now) {}

  start(): void {
    if (this.timer || this.cfg.heartbeatIntervalMs <= 0) return;
    this.timer = setInterval(() => this.sweep(), this.cfg.heartbeatIntervalMs);
    this.timer.unref();
  }
  stop(): void { if (this.timer) clearInterval(this.timer); this.timer = undefined; }

  add(s: S): void { this.entries.set(s, { alive: true, lastActivity: this.now() }); }
  remove(s: S): void { this.entries.delete(s); }
  /** A pong arrived. */
  pong(s: S): void { const e = this.entries.get(s); if (e) e.alive = true; }
  /** An application frame arrived (also counts as proof of life). */
  activity(s: S): void { const e = this.entries.get(s); if (e) { e.alive = true; e.lastActivity = this.now(); } }
  get size(): number { return this.entries.size; }

  /** One pass; public so tests drive it without waiting. */
  sweep(): void {
    const t = this.now();
    for (const [s, e] of this.entries) {
      if (this.cfg.idleTimeoutMs > 0 && t - e.lastActivity > this.cfg.idleTimeoutMs) { this.entries.delete(s); s.expire('idle_timeout'); continue; }
      if (!e.alive) { this.entries.delete(s); s.expire('heartbeat_timeout'); continue; }
      e.alive = false;
      try { s.ping(); } catch { /* the close handler removes it */ }
    }
  }
}
