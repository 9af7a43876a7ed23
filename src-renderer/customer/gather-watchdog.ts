/**
 * A peer that has answered but gathered no ICE candidate at all can never connect, and an
 * ICE restart on it gathers nothing either. Chromium does this now and then to a peer
 * created while getUserMedia is still opening the camera (about 1 call in 12 in
 * bench/call.ts). The watchdog drops it and has the agent asked for a fresh offer: host
 * candidates take milliseconds, so waiting seconds for the agent's own watchdog would be wasted.
 */
import type { PeerSession } from '../call/peer-session';

/** How long a peer may go without a single local ICE candidate after answering, and how often we start over. */
const GATHER_WATCHDOG_MS = 1500;
/** Relay-only candidates need a TURN allocation first, which may take a while on a far server. */
const GATHER_WATCHDOG_RELAY_MS = 6000;
const GATHER_ATTEMPTS = 3;

export class GatherWatchdog {
  /** Local ICE candidates the current peer has sent. */
  private candidatesOut = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Peers replaced for want of candidates since the last connection, plus one. */
  private attempt = 1;

  constructor(private readonly d: {
    link: () => PeerSession;
    /** The call is over: nothing to watch. */
    over: () => boolean;
    /** Drop the silent peer and ask the agent for a fresh offer; false when that cannot be asked now (no agent, no socket). */
    startOver: () => boolean;
  }) {}

  /** A new peer has been made: watch it from zero. */
  watch(): void {
    this.candidatesOut = 0;
    this.arm();
  }

  /** The current peer sent a local candidate. */
  candidate(): void { this.candidatesOut++; }

  /** The link connected: the next peer starts its attempts afresh. */
  connected(): void { this.attempt = 1; }

  stop(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
  }

  private arm() {
    this.stop();
    const link = this.d.link();
    const wait = link.iceTransportPolicy === 'relay' ? GATHER_WATCHDOG_RELAY_MS : GATHER_WATCHDOG_MS;
    this.timer = setTimeout(() => {
      this.timer = null;
      const live = this.d.link();
      const pc = live.peer?.pc;
      if (this.d.over() || !pc || this.candidatesOut > 0 || live.linkState === 'connected') return;
      if (!pc.localDescription) { this.arm(); return; } // not answered yet (a slow device): wait
      if (this.attempt > GATHER_ATTEMPTS) return;
      console.info('no ICE candidates gathered; asking the agent for a fresh offer');
      if (this.d.startOver()) this.attempt++;
    }, wait);
  }
}
