/**
 * The agent's recovery timers for one call's media link: the connect watchdog
 * for a first connection that does not come up, and ICE restarts (new offer on
 * the same peer) while the link stays down. Separate from AgentCall so that
 * the call reads as signaling + peer life cycle, and this as the policy.
 */
import type { PeerSession } from '../call/peer-session';

const CONNECT_WATCHDOG_MS = 6000;
const RESTART_RETRY_MS = 4000;

export interface RecoveryHost {
  readonly link: PeerSession;
  /** True while the call is being set up (watchdog) or is reconnecting (retry). */
  phase(): string;
  isClosed(): boolean;
  isPeerPending(): boolean;
  /** A fresh peer and offer (collapses concurrent requests). */
  requestPeer(): void;
  /** The link's recovery count changed. */
  onRecoveries(n: number): void;
}

export class LinkRecovery {
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private lastRestartAt = 0;

  constructor(private readonly host: RecoveryHost) {}

  /**
   * A first connection that has not come up in a few seconds (a lost answer or candidate,
   * a customer page that missed the offer) gets an ICE restart: a complete new offer on the
   * same peer, which the customer either applies or starts a fresh peer from.
   */
  armConnectWatchdog(attempt = 1): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      const h = this.host;
      if (h.isClosed() || h.phase() !== 'connecting' || h.link.linkState === 'connected') return;
      if (attempt % 2 === 1 || h.isPeerPending()) {
        this.restartIce('not connected yet');
        this.armConnectWatchdog(attempt + 1);
        return;
      }
      // A restart on the same peer did not help either: whatever state that peer pair is in,
      // start both over with a fresh one (the customer sees a new DTLS identity and follows).
      console.info('new peer (not connected after an ICE restart)');
      h.link.recoveries++;
      h.link.teardown(false);
      h.requestPeer();
    }, CONNECT_WATCHDOG_MS);
  }

  restartIce(why: string): void {
    const link = this.host.link;
    if (!link.alive) return;
    const now = performance.now();
    if (now - this.lastRestartAt < 1000) return;
    this.lastRestartAt = now;
    console.info(`ICE restart (${why})`);
    link.restartIce();
    this.host.onRecoveries(link.recoveries);
    this.scheduleRestart(RESTART_RETRY_MS);
  }

  scheduleRestart(ms: number): void {
    this.clear();
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      const s = this.host.link.linkState;
      if (s === 'disconnected' || s === 'failed' || (s === 'connecting' && this.host.phase() === 'reconnecting')) this.restartIce('still down');
    }, ms);
  }

  clear(): void {
    if (this.restartTimer) { clearTimeout(this.restartTimer); this.restartTimer = null; }
    if (this.watchdog) { clearTimeout(this.watchdog); this.watchdog = null; }
  }
}
