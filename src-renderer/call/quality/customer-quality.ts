/**
 * The mode machine at work on the customer's page (the sender): each stats tick of the
 * live peer becomes a reading, the machine steps, a changed mode goes onto the senders,
 * and the agent is told the mode and why. The agent's freezes and pins arrive on the
 * 'quality' namespace. UI-free: the page renders `store`.
 */
import type { Messenger } from '../peer/data-channel';
import type { StatsSnapshot } from '../peer/stats';
import type { LinkState } from '../peer-session';
import { createStore, type Store } from '../store';
import { initialState, pin, setBillReading, shownMode, step, type QualityReading, type QualityState } from './machine';
import { QUALITY_NS, QualityMsg, type QualityStatus } from './protocol';
import { readQuality } from './reading';
import { applyMode } from './sender-params';
import { bulkBudgetKbps } from './modes';
import { launchOver, modeFor, type SenderRole } from './launch';

export interface CustomerQualityView { state: QualityState; reading: QualityReading | null }

/** A link beside the main agent's (extra-peers.ts): a second agent's or a technician's. */
export interface SideSender { pc: RTCPeerConnection; role: Exclude<SenderRole, 'main'> }

/** The last minute of readings and the mode after each (diagnostics: what the ladder saw and did). */
export interface QualityHistoryEntry { reading: QualityReading; mode: string; link: LinkState }
const HISTORY = 60;
/**
 * Readings of a fresh link say nothing about it yet: the estimate starts from the start
 * bitrate and the encoder ramps up (and is 'bandwidth'-limited while it does). The ladder
 * waits this long after a peer first connects before it reads.
 */
export const WARM_UP_MS = 4000;

export class CustomerQuality {
  readonly store: Store<CustomerQualityView>;
  private freezes = 0;
  private warm: { pc: RTCPeerConnection; since: number } | null = null;
  readonly history: QualityHistoryEntry[] = [];
  /** What was last put on each link's senders (a key of its inputs), so a tick that changes nothing costs nothing. */
  private applied = new WeakMap<RTCPeerConnection, string>();
  /** Links past their launch (launch.ts); the others send at most 360p. */
  private launched = new WeakSet<RTCPeerConnection>();
  /** When each side link was first seen connected (its launch clock). */
  private sideSince = new WeakMap<RTCPeerConnection, number>();
  private off: () => void;

  constructor(
    private readonly messenger: Messenger,
    private readonly pc: () => RTCPeerConnection | null,
    now = performance.now(),
    private readonly sides: () => SideSender[] = () => [],
  ) {
    this.store = createStore<CustomerQualityView>({ state: initialState(now), reading: null });
    this.off = messenger.register(QUALITY_NS, QualityMsg, (m) => {
      const at = performance.now();
      if (m.kind === 'rx') this.freezes += m.freezes;
      else if (m.kind === 'pin') this.update(pin(this.state, m.mode, at));
      else if (m.kind === 'purpose') this.update(setBillReading(this.state, m.billReading));
    });
  }

  get state(): QualityState { return this.store.get().state; }

  /** Bytes per second a still may use now without starving the call (null: unpaced). See bulkBudgetKbps. */
  bulkBytesPerSec(): number | null {
    const kbps = bulkBudgetKbps(this.state.mode, this.store.get().reading?.availableKbps ?? null);
    return kbps === null ? null : (kbps * 1000) / 8;
  }

  /**
   * One stats tick of the live peer. Read while the link is up and while ICE calls it
   * 'disconnected': a congested uplink drops the consent checks too, and that is exactly
   * when the sender must step down, not wait for the restart.
   */
  onStats(prev: StatsSnapshot | null, cur: StatsSnapshot, link: LinkState): void {
    if (link !== 'connected' && link !== 'disconnected') return;
    const pc = this.pc();
    if (!pc) return;
    if (this.warm?.pc !== pc) this.warm = { pc, since: cur.at };
    if (cur.at - this.warm.since < WARM_UP_MS) {
      const estimate = readQuality(prev, cur).availableKbps;
      if (this.launchOver('main', cur.at - this.warm.since, estimate)) this.launched.add(pc);
      this.liftSideLaunches(cur.at, estimate);
      void this.apply();
      return;
    }
    // From here the machine reads the link and picks the mode; a launch still capped ends.
    this.launched.add(pc);
    this.liftSideLaunches(cur.at, Number.POSITIVE_INFINITY);
    const reading = readQuality(prev, cur, this.freezes);
    this.freezes = 0;
    this.store.set({ reading });
    this.update(step(this.state, reading));
    this.history.push({ reading, mode: this.state.mode, link });
    if (this.history.length > HISTORY) this.history.shift();
    this.report();
  }

  private update(next: QualityState) {
    const before = this.state;
    if (next !== before) this.store.set({ state: next });
    void this.apply();
    if (next.mode !== before.mode || next.pinned !== before.pinned || next.billReading !== before.billReading) this.report();
  }

  /**
   * Side links launch on their own clock (from when they connect) and on the main link's
   * estimate: they share the customer's uplink with it.
   */
  private liftSideLaunches(now: number, estimate: number | null) {
    for (const side of this.sides()) {
      if (this.launched.has(side.pc)) continue;
      if (side.pc.connectionState !== 'connected') continue;
      const since = this.sideSince.get(side.pc) ?? now;
      this.sideSince.set(side.pc, since);
      if (this.launchOver(side.role, now - since, estimate)) this.launched.add(side.pc);
    }
  }

  /** Whether a link of this role, connected this long, may leave its launch size (launch.ts). */
  private launchOver(role: SenderRole, connectedForMs: number, estimate: number | null): boolean {
    const s = this.state;
    return launchOver({ connectedForMs, availableKbps: estimate, mode: modeFor(role, s.mode), pinned: s.pinned !== null, billReading: s.billReading });
  }

  /**
   * Put the current parameters on every link now: the moment a link has answered, before
   * its encoder starts, so its first frame is already the launch size.
   */
  applyNow(): Promise<void> { return this.apply(); }

  /**
   * The camera is about to replace the stand-in on the main link: its launch size is set
   * for the camera's height first, so not one frame goes out at full size.
   */
  async prepareTrack(track: MediaStreamTrack): Promise<void> {
    const pc = this.pc();
    if (pc) await this.applyTo(pc, 'main', track.getSettings().height ?? null);
  }

  /** Puts the mode on the senders of every link when it, the link, its launch or its video track changed. */
  private async apply() {
    const main = this.pc();
    const jobs: Array<Promise<void>> = [];
    if (main) jobs.push(this.applyTo(main, 'main'));
    for (const side of this.sides()) if (side.pc !== main) jobs.push(this.applyTo(side.pc, side.role));
    await Promise.all(jobs);
  }

  private async applyTo(pc: RTCPeerConnection, role: SenderRole, trackHeight?: number | null) {
    const s = this.state;
    const mode = modeFor(role, s.mode);
    const launch = !this.launched.has(pc);
    const video = pc.getSenders().find((x) => x.track?.kind === 'video')?.track;
    const height = trackHeight ?? video?.getSettings().height ?? null;
    const key = `${mode}|${s.billReading}|${launch}|${video?.id ?? ''}|${height ?? ''}`;
    if (this.applied.get(pc) === key) return;
    this.applied.set(pc, key);
    const done = await applyMode(pc, mode, s.billReading, { launch, trackHeight: height });
    if (!done && this.applied.get(pc) === key) this.applied.delete(pc);
  }

  private report() {
    const s = this.state;
    const r = this.store.get().reading;
    const msg: QualityStatus = {
      kind: 'status', mode: s.mode, shown: shownMode(s), reason: s.reason, pinned: s.pinned, advice: s.advice, billReading: s.billReading,
      availableKbps: r?.availableKbps ?? null, lossPct: r?.lossPct ?? null, rttMs: r?.rttMs ?? null, limitation: r?.limitation ?? null,
    };
    this.messenger.send(QUALITY_NS, msg);
  }

  close(): void { this.off(); }
}
