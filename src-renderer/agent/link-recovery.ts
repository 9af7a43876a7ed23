/**
 * The agent's recovery policy for one call's media link: the call's phase as the
 * link goes up and down, the connect watchdog for a first connection that does not
 * come up, and ICE restarts (new offer on the same peer) while the link stays down.
 * Separate from AgentCall so that the call reads as signaling + peer life cycle,
 * and this as the policy.
 */
import type { LinkState, PeerSession } from '../call/peer-session';

const DISCONNECT_GRACE_MS = 1500;
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
  /** The customer in the call, if any: a peer that closed is made again only for one still online. */
  customer(): { online: boolean } | null;
  /** The call's phase as the link goes (one update with the recovery count when given). */
  setPhase(patch: { phase: 'connected' | 'reconnecting'; recoveries?: number }): void;
}

export class LinkRecovery {
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private lastRestartAt = 0;

  constructor(private readonly host: RecoveryHost) {}

  /** The link changed state: mid-call, a link down gets its recovery (between calls there is none to make). */
  onLinkState(s: LinkState): void {
    const h = this.host;
    const phase = h.phase();
    if (phase === 'ended' || phase === 'ready' || phase === 'starting') return;
    if (s === 'connected') {
      this.clear();
      h.setPhase({ phase: 'connected', recoveries: h.link.recoveries });
    } else if (s === 'disconnected') {
      h.setPhase({ phase: 'reconnecting' });
      this.scheduleRestart(DISCONNECT_GRACE_MS);
    } else if (s === 'failed') {
      h.setPhase({ phase: 'reconnecting' });
      this.restartIce('failed');
    } else if (s === 'closed') {
      // The peer is gone (the customer's page closed or reloaded). Re-create it if they are still here.
      if (h.customer()) {
        h.setPhase({ phase: 'reconnecting' });
        if (h.customer()?.online) setTimeout(() => { if (!h.link.alive && !h.isPeerPending() && h.customer()?.online) { h.link.recoveries++; h.requestPeer(); } }, 300);
      }
    }
  }

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
