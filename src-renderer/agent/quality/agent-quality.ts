/**
 * The agent's end of the quality ladder: the customer's page runs the mode machine
 * (it owns the encoder) and reports its mode and why; this side reports the freezes
 * it sees in the customer's video, pins a mode, and switches bill reading.
 */
import type { Messenger } from '../../call/peer/data-channel';
import type { StatsSnapshot } from '../../call/peer/stats';
import { createStore, type Store } from '../../call/observable-store';
import type { Mode } from '../../call/quality/modes';
import { QUALITY_NS, QualityMsg, type QualityStatus } from '../../call/quality/protocol';
import { inboundFreezeCount } from '../../call/quality/reading';

export interface AgentQualityState { status: QualityStatus | null; billReading: boolean }

export class AgentQuality {
  readonly store: Store<AgentQualityState> = createStore<AgentQualityState>({ status: null, billReading: false });
  private lastFreezes: number | null = null;
  private off: () => void;

  constructor(private readonly messenger: Messenger) {
    this.off = messenger.register(QUALITY_NS, QualityMsg, (m) => {
      if (m.kind === 'status') this.store.set({ status: m });
    });
  }

  /** Each stats tick of the agent's peer: new freezes of the inbound video go back to the sender. */
  onStats(_prev: StatsSnapshot | null, cur: StatsSnapshot): void {
    const n = inboundFreezeCount(cur);
    const last = this.lastFreezes;
    this.lastFreezes = n;
    if (last === null || n <= last) return;
    this.messenger.send(QUALITY_NS, { kind: 'rx', freezes: Math.min(1000, n - last) });
  }

  /** Pin a mode (null: let the ladder choose again). */
  pin(mode: Mode | null): boolean {
    return this.messenger.send(QUALITY_NS, { kind: 'pin', mode }).ok;
  }

  setBillReading(on: boolean): boolean {
    this.store.set({ billReading: on });
    return this.messenger.send(QUALITY_NS, { kind: 'purpose', billReading: on }).ok;
  }

  /** A new call (or a new peer): counters start again. */
  reset(): void {
    this.lastFreezes = null;
    this.store.set({ status: null });
  }

  close(): void { this.off(); }
}
