/**
 * A contact offered to the agent by telephony (the PBX's screen pop) rings
 * until the agent answers (the headset's hook switch or the Answer button:
 * a visual session starts for it), dismisses it, a session starts anyway,
 * or 30 s pass. The ring itself is audio/ringer.ts on the ringer device.
 */
import { createStore, type Store } from '../call/observable-store';

/** The part of AgentCall an offered contact needs (kept structural so it is tested without a peer). */
export interface IncomingCall {
  readonly store: Store<{ phase: string }>;
  readonly state: { phase: string };
  newSession(): void;
  onScreenPop(fn: (ani: string, source: 'telephony' | 'context', callId?: string) => void): () => void;
}

export interface IncomingState { ringing: boolean; ani: string | null; callId: string | null }
export const RING_TIMEOUT_MS = 30_000;

const BUSY = new Set(['waiting', 'connecting', 'connected', 'reconnecting']);

export class IncomingContact {
  readonly store: Store<IncomingState> = createStore<IncomingState>({ ringing: false, ani: null, callId: null });
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly offs: Array<() => void> = [];

  constructor(private readonly call: IncomingCall) {
    this.offs.push(call.onScreenPop((ani, source, callId) => { if (source === 'telephony') this.offer(ani, callId ?? null); }));
    // A session started some other way takes the place of the ring.
    this.offs.push(call.store.subscribe(() => { if (BUSY.has(call.state.phase)) this.clear(); }));
  }

  offer(ani: string, callId: string | null): void {
    if (BUSY.has(this.call.state.phase)) return;
    this.store.set({ ringing: true, ani, callId });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.clear(), RING_TIMEOUT_MS);
  }

  /** Take the contact: a visual session starts for it (the invite and its code are on screen at once). */
  answer(): void {
    if (!this.store.get().ringing) return;
    this.clear();
    this.call.newSession();
  }

  dismiss(): void { this.clear(); }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.store.get().ringing) this.store.set({ ringing: false });
  }

  dispose(): void { this.clear(); for (const off of this.offs.splice(0)) off(); }
}
