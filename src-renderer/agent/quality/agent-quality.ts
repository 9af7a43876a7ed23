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
import { inboundFreezeCount, lossPct } from '../../call/quality/reading';
import { applyVoiceCap, pcId } from '../../call/quality/sender-params';
import { initialVoiceCap, nextVoiceCap, type VoiceCapState } from '../../call/quality/voice-cap';

export interface AgentQualityState {
  status: QualityStatus | null;
  /** When the last status arrived (this page's clock, ms); null before the first. */
  statusAt: number | null;
  billReading: boolean;
}

/**
 * The customer's page reports once a second. Its reports ride the data channel, which a
 * congested link can hold for tens of seconds (SCTP's retransmission back-off) while voice
 * still flows; past this age the panel says its reading is old rather than show it as now.
 */
export const STATUS_STALE_MS = 4_000;

/** How old the status is (ms), or null when none has come. */
export function statusAge(s: AgentQualityState, now: number): number | null {
  return s.statusAt === null ? null : Math.max(0, now - s.statusAt);
}

export class AgentQuality {
  readonly store: Store<AgentQualityState> = createStore<AgentQualityState>({ status: null, statusAt: null, billReading: false });
  private lastFreezes: number | null = null;
  private voice: VoiceCapState = initialVoiceCap();
  /** The cap on the voice sender now, and the peer it is on ('' until applied). */
  private voiceApplied = '';
  private off: () => void;

  /** `pc`: the agent's live peer, whose voice sender follows the customer's link (voice-cap.ts). */
  constructor(private readonly messenger: Messenger, private readonly pc: () => RTCPeerConnection | null = () => null, private readonly now: () => number = () => performance.now()) {
    this.off = messenger.register(QUALITY_NS, QualityMsg, (m) => {
      if (m.kind === 'status') this.store.set({ status: m, statusAt: this.now() });
    });
  }

  /** Each stats tick of the agent's peer: new freezes of the inbound video go back to the sender. */
  onStats(prev: StatsSnapshot | null, cur: StatsSnapshot): void {
    this.followLink(prev, cur);
    const n = inboundFreezeCount(cur);
    const last = this.lastFreezes;
    this.lastFreezes = n;
    if (last === null || n <= last) return;
    this.messenger.send(QUALITY_NS, { kind: 'rx', freezes: Math.min(1000, n - last) });
  }

  /** The agent's voice at the customer's mode's rate, leaner while the customer reports it lost. */
  private followLink(prev: StatsSnapshot | null, cur: StatsSnapshot): void {
    const st = this.store.get();
    const age = statusAge(st, this.now());
    const mode = st.status && age !== null && age <= STATUS_STALE_MS ? st.status.mode : null;
    this.voice = nextVoiceCap(this.voice, this.now(), mode, lossPct(prev, cur));
    const pc = this.pc();
    if (!pc) return;
    const key = `${this.voice.capBps}|${pcId(pc)}`;
    if (key === this.voiceApplied) return;
    this.voiceApplied = key;
    void applyVoiceCap(pc, this.voice.capBps).then((ok) => { if (!ok && this.voiceApplied === key) this.voiceApplied = ''; });
  }

  /** The cap on the agent's voice now (bit/s), for the figures panel and tests. */
  get voiceCapBps(): number { return this.voice.capBps; }

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
    this.voice = initialVoiceCap();
    this.voiceApplied = '';
    this.store.set({ status: null, statusAt: null });
  }

  close(): void { this.off(); }
}
