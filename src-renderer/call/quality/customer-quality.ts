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
import { applyMode, pcId } from './sender-params';
import { bulkBudgetKbps } from './modes';

export interface CustomerQualityView { state: QualityState; reading: QualityReading | null }

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
  private applied = '';
  private off: () => void;

  constructor(private readonly messenger: Messenger, private readonly pc: () => RTCPeerConnection | null, now = performance.now()) {
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
    if (cur.at - this.warm.since < WARM_UP_MS) { void this.apply(); return; }
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

  /** Puts the mode on the senders when it, the peer or the video track changed. */
  private async apply() {
    const pc = this.pc();
    if (!pc) return;
    const s = this.state;
    const video = pc.getSenders().find((x) => x.track?.kind === 'video')?.track;
    const key = `${s.mode}|${s.billReading}|${video?.id ?? ''}|${video?.getSettings().height ?? ''}|${pcId(pc)}`;
    if (key === this.applied) return;
    this.applied = key;
    if (!(await applyMode(pc, s.mode, s.billReading)) && this.applied === key) this.applied = '';
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
