/**
 * The agent's links to the other desks that annotate the same customer during a hand-off:
 * technicians and the second agent (consult, warm transfer) linked to this desk as guests, or,
 * on the second agent's desk, the main agent's desk as the hub. Marks made here or applied from
 * a guest go on to every other link, so every screen shows every author's marks. The customer's
 * own link stays with the annotator; this is given it, and the rest it needs, as callbacks.
 */
import type { Messenger } from '../../call/peer/data-channel';
import type { Store } from '../../call/observable-store';
import type { AnnotationDoc } from '../model/doc';
import type { Operation } from '../model/types';
import { AnnotationSync } from '../sync/annotation-sync';
import type { GuestGate } from '../sync/guest-gate';
import { COLLEAGUE_COLOR, HubGate } from '../sync/colleague-gate';
import { COLORS } from './gestures';
import type { AgentAnnotationState } from './state';

export class MarkRelay {
  /** Technicians' links and the second agent's (agent only): their marks are relayed to the customer and to each other. */
  private readonly guests = new Set<AnnotationSync>();

  /** The main agent's link while this desk is the second agent in the room (connectHub). */
  private hub: AnnotationSync | null = null;
  private hubOff: (() => void) | null = null;
  /** The palette colour to go back to once this desk is no longer the second agent. */
  private paletteColor = COLORS[0].hex as string;

  constructor(private readonly d: {
    doc: AnnotationDoc;
    store: Store<AgentAnnotationState>;
    /** The customer's link (null while not connected). */
    customer: () => AnnotationSync | null;
    mine: (id: string) => boolean;
    select: (id: string | null) => void;
    /** Follow the main agent's freeze (`on`) or resume of the picture `fid`. */
    follow: (fid: string, on: boolean) => void;
    /** Show a customer's tap, here relayed by the main agent. */
    tapped: (x: number, y: number) => void;
  }) {}

  /** True while this desk is the second agent, linked to the main agent's desk. */
  get linkedToHub(): boolean { return this.hub !== null; }

  /**
   * Agent: a technician's data channel. The guest gets the whole document, then every
   * change; its own marks (checked by a GuestGate) are applied here and relayed to the
   * customer and the other guests, so all three screens show every author's marks.
   */
  connectGuest(messenger: Messenger, gate: GuestGate): () => void {
    const { doc, store } = this.d;
    const sync = new AnnotationSync(messenger, doc, 'agent', { gate });
    this.guests.add(sync);
    // the guest sees the frozen picture too: now if we are frozen, and whenever its channel (re)opens
    const tellFreeze = () => { const fr = store.get().frozen; if (fr && sync.open) sync.sendFreeze(fr.fid, true); };
    if (sync.open) queueMicrotask(tellFreeze);
    const offs = [
      sync.on('open', (open) => { if (open) tellFreeze(); }),
      sync.on('ops', (ops) => {
        this.d.customer()?.sendOps(ops);
        for (const g of this.guests) if (g !== sync) g.sendOps(ops);
      }),
      sync.on('rejection', () => store.set({ rejections: store.get().rejections + 1 })),
    ];
    return () => {
      for (const off of offs) off();
      this.guests.delete(sync);
      sync.dispose();
    };
  }

  /**
   * Second agent: the main agent's desk. Its board comes in (full state, then every change, through
   * a HubGate); ours goes to it (our own marks only), and from there to the customer. Until it goes
   * (the transfer completed, the consult over) we draw in the colleague colour on our own marks.
   */
  connectHub(messenger: Messenger): () => void {
    this.hubOff?.();
    const { doc, store } = this.d;
    const sync = new AnnotationSync(messenger, doc, 'colleague', { gate: new HubGate(doc.author, (id) => doc.get(id)) });
    this.hub = sync;
    const s = store.get();
    if (!s.colleague) this.paletteColor = s.color;
    store.set({ colleague: true, color: COLLEAGUE_COLOR });
    if (s.selected && !this.d.mine(s.selected)) this.d.select(null);
    let hubFreeze: string | null = null;
    const offs = [
      // the main agent's freeze-frame: we annotate on the same moment (our own received frame)
      sync.on('freeze', (f) => {
        if (f.on) { this.d.follow(f.fid, true); hubFreeze = store.get().frozen?.fid ?? null; } else { this.d.follow(f.fid, false); hubFreeze = null; }
      }),
      // the customer's pointing, relayed by the main agent
      sync.on('tap', (tp) => this.d.tapped(tp.x, tp.y)),
      sync.on('rejection', () => store.set({ rejections: store.get().rejections + 1 })),
    ];
    const off = () => {
      if (this.hubOff !== off) return;
      for (const o of offs) o();
      sync.dispose();
      this.hub = null;
      this.hubOff = null;
      if (hubFreeze) this.d.follow(hubFreeze, false);
      // the main agent left (we carry on as the hub) or the consult is over: our own palette again
      store.set({ colleague: false, color: this.paletteColor });
    };
    this.hubOff = off;
    return off;
  }

  /** Our own operations, after the customer has them: to every guest and to the main agent's desk. */
  sendOps(ops: readonly Operation[]): void {
    for (const g of this.guests) g.sendOps(ops);
    this.hub?.sendOps(ops);
  }

  /** The customer's tap, on to the technicians. */
  sendTap(id: string, x: number, y: number): void {
    for (const g of this.guests) g.sendTap(id, x, y);
  }

  /** Our freeze (or resume), on to the technicians and the second agent. */
  sendFreeze(fid: string, on: boolean): void {
    for (const g of this.guests) g.sendFreeze(fid, on);
  }

  /** Leave the main agent's desk; each guest's link is closed by the off its connectGuest returned. */
  dispose(): void { this.hubOff?.(); }
}
