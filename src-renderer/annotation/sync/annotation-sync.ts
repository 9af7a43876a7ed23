/**
 * Binds an AnnotationDoc to the data channel. The agent authors and sends
 * operations; the customer applies them. Full state is sent as the same
 * idempotent operations (clear watermark, tombstones, shapes) in size-bounded
 * batches followed by 'synced', so a late joiner or a reconnecting customer
 * converges through exactly the code path live ops use, and overlap with live
 * ops in flight is harmless.
 */
import type { Messenger } from '../../call/peer/data-channel';
import type { AnnotationDoc } from '../model/doc';
import { LIMITS } from '../model/limits';
import { checkOperation } from '../model/schema';
import type { Operation, Rejection } from '../model/types';
import type { GateVerdict } from './colleague-gate';
import { ANNOTATION_NS, MAX_OPS_PER_MESSAGE, annotationWire, type AnnotationWire } from './protocol';

/**
 * `agent`: the hub; authors, sends full state, and accepts operations only
 * through a guest gate (a technician's or the second agent's link).
 * `customer`: applies the agent's operations, taps. `technician`: applies the
 * agent's operations (the customer's marks relayed among them) and sends its
 * own. `colleague`: the second agent's desk on its link to the room's main
 * agent (consult, warm transfer): applies the hub's operations through a gate,
 * asks for the hub's full state and offers only the marks it wrote itself.
 */
export type Role = 'agent' | 'customer' | 'technician' | 'colleague';

export interface SyncOptions {
  /**
   * Agent (a technician's or colleague's link) and colleague (the hub's link): each inbound
   * op is applied if the gate lets it through; 'echo' skips it without a refusal.
   */
  gate?: { check(op: Operation): GateVerdict };
}

export interface RejectionReport extends Rejection {
  direction: 'in' | 'out';
  at: number;
}

/** A freeze's still, named by its sha256 (the bytes arrive through the stills transport). */
export interface StillRef { fid: string; sha256: string }

type Handlers = {
  tap: (t: { id: string; x: number; y: number }) => void;
  freeze: (f: { fid: string; on: boolean }) => void;
  still: (s: StillRef) => void;
  synced: (s: { clock: number; shapes: number }) => void;
  rejection: (r: RejectionReport) => void;
  open: (open: boolean) => void;
  /** With a gate: the other side's operations just applied (the hub relays them to the others). */
  ops: (ops: Operation[]) => void;
};

/** Keep batches well under the channel's 64 KiB text limit. */
const BATCH_BYTES = 48 * 1024;

export class AnnotationSync {
  readonly rejections: RejectionReport[] = [];
  private readonly offs: Array<() => void> = [];
  private readonly handlers: { [K in keyof Handlers]: Set<Handlers[K]> } = {
    tap: new Set(), freeze: new Set(), still: new Set(), synced: new Set(), rejection: new Set(), open: new Set(), ops: new Set(),
  };

  constructor(readonly messenger: Messenger, readonly doc: AnnotationDoc, readonly role: Role, private readonly opts: SyncOptions = {}) {
    this.offs.push(messenger.register(ANNOTATION_NS, annotationWire, (m) => this.onMessage(m)));
    this.offs.push(messenger.onError((e) => {
      // Not being connected is not a refusal: the full-state sync on the next open catches up.
      if (e.code === 'not_connected') return;
      if (e.ns === ANNOTATION_NS) this.noteRejection({ code: e.code === 'too_large' ? 'oversized' : 'malformed', message: `${e.code}: ${e.message}` }, e.direction);
    }));
    this.offs.push(messenger.onOpenChange((open) => {
      for (const fn of this.handlers.open) fn(open);
      if (open) this.onOpened();
    }));
    // The channel may already be open when this side mounts (the overlay appears after the video).
    if (messenger.isOpen()) queueMicrotask(() => this.onOpened());
  }

  on<K extends keyof Handlers>(event: K, fn: Handlers[K]): () => void {
    (this.handlers[event] as Set<Handlers[K]>).add(fn);
    return () => { (this.handlers[event] as Set<Handlers[K]>).delete(fn); };
  }

  get open(): boolean { return this.messenger.isOpen(); }

  /** Send operations already applied locally. Returns false if not delivered (offline: the next sync catches up). */
  sendOps(ops: readonly Operation[]): boolean {
    let ok = true;
    for (const batch of batches(ops)) ok = this.send({ t: 'ops', ops: batch }) && ok;
    return ok;
  }

  /** Agent: push the whole document (late joiner / reconnect). */
  sendFullState(): boolean {
    const s = this.doc.snapshot();
    const ops: Operation[] = [];
    if (s.cleared) ops.push({ op: 'clear', ...s.cleared });
    for (const t of s.tombstones) ops.push({ op: 'remove', id: t.id, v: t.v, clock: t.clock, by: t.by });
    for (const shape of s.shapes) ops.push({ op: 'add', shape });
    const ok = this.sendOps(ops);
    return this.send({ t: 'synced', clock: s.clock, shapes: s.shapes.length }) && ok;
  }

  /** Colleague: the marks this desk wrote itself (the hub's gate refuses anyone else's), and its removals. */
  sendOwnState(): boolean {
    const s = this.doc.snapshot();
    const me = this.doc.author;
    const ops: Operation[] = [];
    for (const t of s.tombstones) if (t.by === me) ops.push({ op: 'remove', id: t.id, v: t.v, clock: t.clock, by: t.by });
    for (const shape of s.shapes) if (shape.by === me) ops.push({ op: 'add', shape });
    return this.sendOps(ops);
  }

  requestSync(): boolean { return this.send({ t: 'sync' }); }
  sendTap(id: string, x: number, y: number): boolean { return this.send({ t: 'tap', id, x, y }); }
  sendFreeze(fid: string, on: boolean): boolean { return this.send({ t: 'freeze', fid, on }); }

  /** Customer: name the still shown for freeze `fid` (its bytes go through the stills transport). */
  sendStill(fid: string, sha256: string): boolean { return this.send({ t: 'still', fid, sha256 }); }

  dispose(): void {
    for (const off of this.offs.splice(0)) off();
    for (const set of Object.values(this.handlers)) set.clear();
  }

  // ---- inbound ---------------------------------------------------------------

  private onOpened(): void {
    // Both ends ask: the customer because it may have missed ops, the agent
    // because its overlay may have mounted after the customer's request.
    if (this.role === 'agent') this.sendFullState();
    else this.requestSync();
    // the second agent's marks drawn before (or while) the link was down
    if (this.role === 'colleague') this.sendOwnState();
  }

  private onMessage(m: AnnotationWire): void {
    switch (m.t) {
      case 'ops': return this.onOps(m.ops);
      case 'sync': if (this.role === 'agent') this.sendFullState(); else if (this.role === 'colleague') this.sendOwnState(); return;
      case 'synced': for (const fn of this.handlers.synced) fn(m); return;
      // the technician sees the customer's taps too (the agent relays them)
      case 'tap': if (this.role !== 'customer') for (const fn of this.handlers.tap) fn(m); return;
      // the agent's freeze-frame: the customer shows (and sends) its still; a technician shows the same moment
      case 'freeze': if (this.role !== 'agent') for (const fn of this.handlers.freeze) fn(m); return;
      case 'still': if (this.role === 'agent') for (const fn of this.handlers.still) fn({ fid: m.fid, sha256: m.sha256 }); return;
      case 'reject': this.noteRejection({ code: m.code, message: `peer refused: ${m.message}` }, 'out'); return;
    }
  }

  private onOps(raw: unknown[]): void {
    if (this.role === 'agent' || this.role === 'colleague') {
      const gate = this.opts.gate;
      // The customer only points; it never writes the agent's document (or the case evidence).
      if (!gate) { this.refuse({ code: 'unsupported', message: 'the agent does not accept annotation operations from the customer' }); return; }
      const applied: Operation[] = [];
      this.doc.batch(() => {
        for (const item of raw) {
          const c = checkOperation(item);
          if (!c.ok) { this.refuse(c.error); continue; }
          const no = gate.check(c.value);
          if (no === 'echo') continue;
          if (no) { this.refuse(no); continue; }
          const r = this.doc.apply(c.value);
          if (!r.ok) this.refuse(r.error);
          else if (r.changed) applied.push(c.value);
        }
      });
      if (applied.length) for (const fn of this.handlers.ops) fn(applied);
      return;
    }
    this.doc.batch(() => {
      for (const item of raw) {
        const c = checkOperation(item);
        if (!c.ok) { this.refuse(c.error); continue; }
        const r = this.doc.apply(c.value);
        if (!r.ok) this.refuse(r.error);
      }
    });
  }

  private refuse(r: Rejection): void {
    this.noteRejection(r, 'in');
    this.send({ t: 'reject', code: r.code, message: r.message.slice(0, 500) });
  }

  private noteRejection(r: Rejection, direction: 'in' | 'out'): void {
    const rep: RejectionReport = { ...r, direction, at: Date.now() };
    this.rejections.push(rep);
    if (this.rejections.length > 100) this.rejections.shift();
    if (direction === 'in') console.warn(`annotation: rejected ${r.code}: ${r.message}`);
    for (const fn of this.handlers.rejection) fn(rep);
  }

  private send(m: AnnotationWire): boolean {
    return this.messenger.send(ANNOTATION_NS, m).ok;
  }
}

/** Split ops into messages under the size and count limits. */
export function* batches(ops: readonly Operation[]): Generator<Operation[]> {
  let cur: Operation[] = [];
  let size = 0;
  for (const op of ops) {
    const n = JSON.stringify(op).length;
    if (cur.length && (size + n > BATCH_BYTES || cur.length >= MAX_OPS_PER_MESSAGE)) { yield cur; cur = []; size = 0; }
    cur.push(op);
    size += n + 1;
  }
  if (cur.length) yield cur;
}

export const SYNC_LIMITS = { batchBytes: BATCH_BYTES, maxPoints: LIMITS.maxPointsPerStroke };
