/**
 * The agent's hand-offs, UI-free: the directory, transfers and consults it
 * starts (through the two state machines in model/), and offers it receives.
 * It speaks to the signaling server through the call's socket, feeds the
 * machines the server's frames and a clock tick, and does what their states
 * say: End is disabled while one is in flight; the customer is told to wait
 * during a consult; a completed transfer ends our side of the call.
 *
 * The receiving side: accepting an offer seats this workstation in the
 * customer's live room (the server sends a welcome with the room), and the
 * call offers the customer a second peer connection exactly as after a
 * reload. A cold transfer is completed by the receiver once the customer's
 * video is arriving, so agent 1 is released only when someone really has
 * the customer.
 */
import type { DirectoryPerson, HandoffOffer, HandoffTarget, PresenceStatus, ServerMessage } from '../../signaling-server/protocol';
import type { AgentCall } from '../agent/agent-call';
import { createStore, type Store } from '../call/observable-store';
import { CONSULT_IDLE, consultOpen, consultReducer, type ConsultEvent, type ConsultState, type ConsultVideo } from './model/consult';
import { IDLE, isPending, transferReducer, type TransferEvent, type TransferKind, type TransferState } from './model/transfer';

export interface ReceivingHandoff {
  handoffId: string;
  kind: HandoffOffer['kind'];
  from: HandoffOffer['from'];
  note: string;
  caseRef?: string;
  customerName?: string;
  /** the receiver is in the room and connecting to the customer */
  joined: boolean;
}

export interface HandoffState {
  /** the case that came with the hand-off I took: 'loading', 'opened', or why not */
  receivedCase: 'none' | 'loading' | 'opened' | 'missing';
  directory: DirectoryPerson[];
  queues: string[];
  myStatus: PresenceStatus;
  transfer: TransferState;
  consult: ConsultState;
  /** offers waiting for my answer */
  offers: HandoffOffer[];
  /** the hand-off I accepted, while it lasts */
  receiving: ReceivingHandoff | null;
  lastError: string | null;
}

export interface AgentHandoffOptions {
  now?: () => number;
  /** how long a request rings before it times out (the server enforces the same) */
  timeoutMs?: number;
  tickMs?: number;
  directoryPollMs?: number;
  newId?: () => string;
  /** Attach my case to the hand-off (the workstation's main exports it and carries it to the signaling server). */
  shareCase?: (handoffId: string, caseRef: string) => Promise<void>;
  /** Fetch and open the case that came with a hand-off I took; rejects when none arrived. */
  receiveCase?: (handoffId: string) => Promise<void>;
}

/** How long a hand-off rings before it fails back to agent 1 (a loaded contact center answers within a minute). */
const DEFAULT_TIMEOUT_MS = 60_000;

export class AgentHandoff {
  readonly store: Store<HandoffState>;
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly offs: Array<() => void> = [];
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private reqSeq = 0;
  private readonly newId: () => string;
  /** hand-offs whose case I have attached (once each) */
  private readonly shared = new Set<string>();

  constructor(private readonly call: AgentCall, private readonly opts: AgentHandoffOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.newId = opts.newId ?? (() => `h${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`);
    this.store = createStore<HandoffState>({ receivedCase: 'none', directory: [], queues: [], myStatus: 'available', transfer: IDLE, consult: CONSULT_IDLE, offers: [], receiving: null, lastError: null });
    this.offs.push(
      call.onServer('directory', (m) => this.store.set({ directory: m.people, queues: m.queues })),
      call.onServer('handoff_offer', (m) => this.onOffer(m)),
      call.onServer('handoff_update', (m) => this.onUpdate(m)),
      call.onServer('peer_left', (m) => this.onPeerLeft(m)),
      call.onServer('welcome', () => { this.refreshDirectory(); }),
      call.onServer('error', (m) => this.onError(m)),
      call.store.subscribe(() => this.onCallChange()),
      // an offer ringing here gets a peer and the microphone ready before it is accepted (agent-call.ts)
      this.store.subscribe(() => this.syncPrepared()),
    );
    this.timers.push(setInterval(() => this.tick(), opts.tickMs ?? 500));
    this.timers.push(setInterval(() => this.refreshDirectory(), opts.directoryPollMs ?? 3000));
  }

  get state(): HandoffState { return this.store.get(); }

  close(): void {
    for (const off of this.offs.splice(0)) off();
    for (const t of this.timers.splice(0)) clearInterval(t);
  }

  // ------------------------------------------------------------ directory

  refreshDirectory(): void {
    this.call.send({ type: 'directory', reqId: `d${++this.reqSeq}` });
  }

  setStatus(status: PresenceStatus): void {
    this.store.set({ myStatus: status });
    this.call.send({ type: 'presence', status });
  }

  // ------------------------------------------------------------ sending side

  /** Transfer the customer (warm: you stay until the receiver joins; cold: they wait for whoever takes it). Returns the hand-off id. */
  transfer(kind: TransferKind, target: HandoffTarget, note: string, ctx: { caseRef?: string; customerName?: string } = {}, id = this.newId()): string {
    if (consultOpen(this.state.consult)) { this.store.set({ lastError: 'consult_open' }); return id; }
    const step = transferReducer(this.state.transfer, { type: 'request', id, kind, target, note, now: this.now(), timeoutMs: this.timeoutMs });
    if (step.refused) { this.store.set({ lastError: step.refused }); return id; }
    this.setTransfer(step.state);
    if (step.state.phase === 'requesting') {
      const sent = this.call.send({ type: 'handoff_request', handoffId: id, kind, to: target, note, timeoutSec: Math.round(this.timeoutMs / 1000), ...ctx });
      if (!sent) this.transferEvent({ type: 'error', id, message: 'not connected to the signaling server', now: this.now() });
      else this.pendingCase.set(id, ctx.caseRef);
    }
    return id;
  }

  /** Ask a colleague while the customer waits (video paused or kept). Returns the hand-off id. */
  consult(colleagueId: string, video: ConsultVideo, note: string, ctx: { caseRef?: string; customerName?: string } = {}, id = this.newId()): string {
    if (isPending(this.state.transfer)) { this.store.set({ lastError: 'transfer_pending' }); return id; }
    const step = consultReducer(this.state.consult, { type: 'request', id, colleagueId, video, note, now: this.now(), timeoutMs: this.timeoutMs });
    if (step.refused) { this.store.set({ lastError: step.refused }); return id; }
    this.setConsult(step.state);
    if (step.state.phase === 'requesting') {
      const sent = this.call.send({ type: 'handoff_request', handoffId: id, kind: 'consult', to: { agentId: colleagueId }, note, video, timeoutSec: Math.round(this.timeoutMs / 1000), ...ctx });
      if (!sent) this.consultEvent({ type: 'error', id, message: 'not connected to the signaling server', now: this.now() });
      else this.pendingCase.set(id, ctx.caseRef);
    }
    return id;
  }

  /** Cancel the transfer or consult in flight: the customer is back with me, off hold. */
  cancel(): void {
    const t = this.state.transfer;
    if (isPending(t)) {
      this.call.send({ type: 'handoff_cancel', handoffId: t.id });
      this.transferEvent({ type: 'cancel', id: t.id, now: this.now() });
    }
    const c = this.state.consult;
    if (consultOpen(c)) {
      this.call.send({ type: 'handoff_cancel', handoffId: c.id });
      this.consultEvent({ type: 'cancel', id: c.id, now: this.now() });
    }
  }

  /** Warm transfer: the receiver is with the customer; I leave. */
  completeTransfer(): void {
    const t = this.state.transfer;
    if (t.phase !== 'joined' || t.kind !== 'warm') return;
    this.call.send({ type: 'handoff_complete', handoffId: t.id });
  }

  /** End the consult and go back to the customer. */
  returnFromConsult(): void {
    const c = this.state.consult;
    if (!consultOpen(c)) return;
    this.call.send({ type: c.phase === 'talking' ? 'handoff_complete' : 'handoff_cancel', handoffId: c.id });
    this.consultEvent({ type: c.phase === 'talking' ? 'return' : 'cancel', id: c.id, now: this.now() });
  }

  // ------------------------------------------------------------ receiving side

  accept(handoffId: string): void {
    const offer = this.state.offers.find((o) => o.handoffId === handoffId);
    if (!offer) return;
    const r: ReceivingHandoff = { handoffId, kind: offer.kind, from: offer.from, note: offer.note, joined: false };
    if (offer.caseRef !== undefined) r.caseRef = offer.caseRef;
    if (offer.customerName !== undefined) r.customerName = offer.customerName;
    this.store.set({ receiving: r, offers: this.state.offers.filter((o) => o.handoffId !== handoffId) });
    if (offer.kind === 'consult') this.call.joinAsConsultGuest(true);
    this.call.prepareMic();
    this.call.send({ type: 'handoff_answer', handoffId, accept: true });
  }

  decline(handoffId: string): void {
    this.store.set({ offers: this.state.offers.filter((o) => o.handoffId !== handoffId) });
    this.call.send({ type: 'handoff_answer', handoffId, accept: false });
  }

  /** The consulted colleague (or a receiver who changed their mind before completing) leaves; the customer stays with agent 1. */
  leave(): void {
    const r = this.state.receiving;
    if (!r) return;
    this.call.send({ type: 'handoff_cancel', handoffId: r.handoffId });
  }

  // ------------------------------------------------------------ frames

  private onOffer(m: HandoffOffer): void {
    if (this.state.offers.some((o) => o.handoffId === m.handoffId) || this.state.receiving?.handoffId === m.handoffId) return;
    this.store.set({ offers: [...this.state.offers, m] });
  }

  /** The case to attach once the server has the hand-off (its record must exist before the upload). */
  private readonly pendingCase = new Map<string, string | undefined>();

  private attachCase(id: string): void {
    const caseRef = this.pendingCase.get(id);
    this.pendingCase.delete(id);
    if (!caseRef || !this.opts.shareCase || this.shared.has(id)) return;
    this.shared.add(id);
    this.opts.shareCase(id, caseRef).catch((err: unknown) => { console.warn('the case could not be attached to the hand-off', err); this.store.set({ lastError: String((err as Error).message ?? err) }); });
  }

  private async fetchCase(r: ReceivingHandoff): Promise<void> {
    if (!this.opts.receiveCase || !r.caseRef) return;
    this.store.set({ receivedCase: 'loading' });
    // the sender uploads while we are being seated: a few tries cover that race
    for (let i = 0; i < 20; i++) {
      try {
        await this.opts.receiveCase(r.handoffId);
        this.store.set({ receivedCase: 'opened' });
        return;
      } catch (err) {
        if (!/not_found/.test(String((err as Error).message ?? err))) { console.warn('the hand-off case could not be opened', err); break; }
        await new Promise((res) => setTimeout(res, 500));
      }
    }
    this.store.set({ receivedCase: 'missing' });
  }

  private onUpdate(m: Extract<ServerMessage, { type: 'handoff_update' }>): void {
    const now = this.now();
    if (m.phase === 'offered') this.attachCase(m.handoffId);
    const t = this.state.transfer;
    const c = this.state.consult;
    if (isPending(t) && t.id === m.handoffId) {
      const ev = transferEventOf(m, now);
      if (ev) this.transferEvent(ev);
      return;
    }
    if (consultOpen(c) && c.id === m.handoffId) {
      const ev = consultEventOf(m, now);
      if (ev) this.consultEvent(ev);
      return;
    }
    // offers I was shown that someone else took, or that ended
    if (this.state.offers.some((o) => o.handoffId === m.handoffId) && m.phase !== 'offered' && m.phase !== 'accepted') {
      this.store.set({ offers: this.state.offers.filter((o) => o.handoffId !== m.handoffId) });
    }
    const r = this.state.receiving;
    if (r && r.handoffId === m.handoffId) {
      if (m.phase === 'accepted') {
        this.store.set({ receiving: { ...r, joined: true } });
        void this.fetchCase(r);
      }
      else if (m.phase === 'completed') {
        // a consult is over for the colleague; a transfer is ours now
        if (r.kind === 'consult') this.call.leftRoomQuietly('consult_ended');
        this.store.set({ receiving: null });
        this.call.joinAsConsultGuest(false);
      } else if (m.phase !== 'offered') {
        this.call.leftRoomQuietly(m.phase === 'cancelled' ? 'handoff_cancelled' : `handoff_${m.phase}`);
        this.call.dropHandoffPeer();
        this.store.set({ receiving: null });
      }
    }
  }

  private onPeerLeft(m: Extract<ServerMessage, { type: 'peer_left' }>): void {
    // the receiver's workstation went away mid-transfer: the customer is still with us
    const t = this.state.transfer;
    if (t.phase === 'joined' && m.role === 'agent') {
      this.call.send({ type: 'handoff_cancel', handoffId: t.id });
      this.transferEvent({ type: 'target_gone', id: t.id, now: this.now() });
    }
    const c = this.state.consult;
    if (c.phase === 'talking' && m.role === 'agent') {
      this.call.send({ type: 'handoff_cancel', handoffId: c.id });
      this.consultEvent({ type: 'colleague_left', id: c.id, now: this.now() });
    }
    if (m.role === 'customer' && m.reason === 'hangup') {
      this.transferEvent({ type: 'customer_left', now: this.now() });
      this.consultEvent({ type: 'customer_left', now: this.now() });
    }
  }

  private onError(m: Extract<ServerMessage, { type: 'error' }>): void {
    if (!['agent_unavailable', 'handoff_conflict', 'handoff_unknown', 'forbidden', 'not_in_room'].includes(m.code)) return;
    const now = this.now();
    const t = this.state.transfer;
    if (t.phase === 'requesting') this.transferEvent({ type: 'error', id: t.id, message: m.message, now });
    const c = this.state.consult;
    if (c.phase === 'requesting') this.consultEvent({ type: 'error', id: c.id, message: m.message, now });
    this.store.set({ lastError: m.message });
  }

  private syncPrepared(): void {
    const { offers, receiving } = this.state;
    if (receiving) return;
    if (offers.length) this.call.prepareForHandoff();
    else this.call.dropHandoffPeer();
  }

  /** The receiver of a cold transfer completes it once the customer's video is arriving. */
  private onCallChange(): void {
    const r = this.state.receiving;
    const s = this.call.state;
    if (r && r.kind === 'cold' && r.joined && s.phase === 'connected' && s.remoteStream) {
      this.call.send({ type: 'handoff_complete', handoffId: r.handoffId });
      this.store.set({ receiving: { ...r, joined: false } });
    }
  }

  private tick(): void {
    const now = this.now();
    const t = this.state.transfer;
    if (isPending(t)) {
      const step = transferReducer(t, { type: 'tick', now });
      if (step.state.phase === 'failed') this.call.send({ type: 'handoff_cancel', handoffId: t.id });
      this.setTransfer(step.state);
    }
    const c = this.state.consult;
    if (consultOpen(c)) {
      const step = consultReducer(c, { type: 'tick', now });
      if (!consultOpen(step.state)) this.call.send({ type: 'handoff_cancel', handoffId: c.id });
      this.setConsult(step.state);
    }
    // offers past their time go away by themselves
    if (this.state.offers.some((o) => o.expiresAt <= now)) this.store.set({ offers: this.state.offers.filter((o) => o.expiresAt > now) });
  }

  // ------------------------------------------------------------ effects

  private transferEvent(e: TransferEvent): void {
    this.setTransfer(transferReducer(this.state.transfer, e).state);
  }

  private consultEvent(e: ConsultEvent): void {
    this.setConsult(consultReducer(this.state.consult, e).state);
  }

  private setTransfer(s: TransferState): void {
    const before = this.state.transfer;
    if (before === s) return;
    this.store.set({ transfer: s });
    this.syncPending();
    if (s.phase === 'completed' && before.phase !== 'completed') this.call.transferredAway();
  }

  private setConsult(s: ConsultState): void {
    const before = this.state.consult;
    if (before === s) return;
    this.store.set({ consult: s });
    this.syncPending();
    // the server tells the customer too; this covers a consult that ended on our side first (time-out, error)
    if (consultOpen(before) && !consultOpen(s)) this.call.send({ type: 'notify', notice: 'resumed' });
  }

  private syncPending(): void {
    this.call.setHandoffPending(isPending(this.state.transfer) || consultOpen(this.state.consult));
  }
}

function transferEventOf(m: Extract<ServerMessage, { type: 'handoff_update' }>, now: number): TransferEvent | null {
  const id = m.handoffId;
  switch (m.phase) {
    case 'offered': return { type: 'offered', id };
    case 'accepted': return { type: 'accepted', id, by: m.by ?? '', now };
    case 'completed': return { type: 'complete', id, now };
    case 'declined': return { type: 'declined', id, now };
    case 'cancelled': return { type: 'cancel', id, now };
    case 'timeout': return { type: 'tick', now: Number.MAX_SAFE_INTEGER };
    case 'target_gone': return { type: 'target_gone', id, now };
    case 'failed': return { type: 'error', id, message: m.message ?? 'the hand-off failed', now };
    case 'taken': return null;
  }
}

function consultEventOf(m: Extract<ServerMessage, { type: 'handoff_update' }>, now: number): ConsultEvent | null {
  const id = m.handoffId;
  switch (m.phase) {
    case 'offered': return { type: 'offered', id };
    case 'accepted': return { type: 'accepted', id, now };
    case 'completed': return { type: 'return', id, now };
    case 'declined': return { type: 'declined', id, now };
    case 'cancelled': return { type: 'cancel', id, now };
    case 'timeout': return { type: 'tick', now: Number.MAX_SAFE_INTEGER };
    case 'target_gone': return { type: 'colleague_left', id, now };
    case 'failed': return { type: 'error', id, message: m.message ?? 'the consult failed', now };
    case 'taken': return null;
  }
}
