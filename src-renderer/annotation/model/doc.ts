/**
 * One annotation document: a last-writer-wins map of shapes keyed by id, with
 * tombstones for removals and a "cleared up to" watermark for clear. Applying an
 * operation is idempotent (a replay carries a stamp that is not newer, so it is
 * a no-op) and operations on the same document commute, which is why the sync
 * layer can resend freely and merge snapshots with the same code path.
 */
import { idFactory } from './ids';
import { LIMITS } from './limits';
import { compareStamps, newer } from './stamp';
import type { Geometry, Operation, Rejection, Shape, ShapeContent, Snapshot, Stamp, Style, Tombstone } from './types';

export type ApplyResult = { ok: true; changed: boolean } | { ok: false; error: Rejection };

type Entry = Shape | Tombstone;
const isTomb = (e: Entry | undefined): e is Tombstone => !!e && 'deleted' in e;

/** Content without identity: what a tool produces. */
export type NewContent = Geometry & { style: Style; z?: number };

export interface LaserTrail { shape: Shape; seenAt: number }

export class AnnotationDoc {
  readonly author: string;
  private clock = 0;
  private readonly records = new Map<string, Entry>();
  private readonly lasers = new Map<string, LaserTrail>();
  private cleared: Stamp | null = null;
  private live = 0;
  private readonly nextId: () => string;
  private readonly listeners = new Set<() => void>();
  private sorted: Shape[] | null = null;
  private rev = 0;
  private batching = 0;
  private dirty = false;

  constructor(author: string, private readonly now: () => number = () => Date.now()) {
    this.author = author;
    this.nextId = idFactory(author);
  }

  // ---- reading -------------------------------------------------------------

  /** Live shapes in stacking order (creation clock, then id). Lasers are separate. */
  shapes(): readonly Shape[] {
    if (!this.sorted) {
      const out: Shape[] = [];
      for (const e of this.records.values()) if (!isTomb(e)) out.push(e);
      out.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      this.sorted = out;
    }
    return this.sorted;
  }

  get(id: string): Shape | undefined {
    const e = this.records.get(id);
    return e && !isTomb(e) ? e : this.lasers.get(id)?.shape;
  }

  contentOf(id: string): ShapeContent | null {
    const s = this.get(id);
    return s ? contentOf(s) : null;
  }

  /** Laser trails with the local time they were last updated (for fading). */
  laserTrails(): readonly LaserTrail[] { return [...this.lasers.values()]; }

  get size(): number { return this.live; }
  get revision(): number { return this.rev; }
  get lamport(): number { return this.clock; }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  // ---- applying (local and remote alike) -----------------------------------

  apply(op: Operation): ApplyResult {
    const r = this.applyInner(op);
    if (r.ok && r.changed) this.touch();
    return r;
  }

  /** Group notifications (e.g. a snapshot merge) into one. */
  batch<T>(fn: () => T): T {
    this.batching++;
    try { return fn(); } finally {
      if (--this.batching === 0 && this.dirty) { this.dirty = false; this.emit(); }
    }
  }

  private applyInner(op: Operation): ApplyResult {
    const stamp: Stamp = op.op === 'add' || op.op === 'update' ? op.shape : op;
    this.clock = Math.max(this.clock, stamp.clock);
    if (op.op === 'clear') return { ok: true, changed: this.applyClear(op) };
    // Anything stamped before the last clear was cleared by it, whenever it arrives.
    if (this.cleared && !newer(stamp, this.cleared)) return { ok: true, changed: false };
    if (op.op === 'remove') return { ok: true, changed: this.applyRemove(op.id, op) };
    const shape = op.shape;
    if (shape.kind === 'laser') return { ok: true, changed: this.applyLaser(shape) };
    const prev = this.records.get(shape.id);
    if (prev && !newer(shape, prev)) return { ok: true, changed: false };
    if (!prev || isTomb(prev)) {
      if (this.live >= LIMITS.maxShapes) {
        return { ok: false, error: { code: 'too_many_shapes', message: `document already holds ${LIMITS.maxShapes} shapes` } };
      }
      this.live++;
    }
    this.records.set(shape.id, shape);
    return { ok: true, changed: true };
  }

  private applyLaser(shape: Shape): boolean {
    const prev = this.lasers.get(shape.id);
    const tomb = this.records.get(shape.id);
    if (prev && !newer(shape, prev.shape)) return false;
    if (tomb && !newer(shape, tomb)) return false;
    this.lasers.set(shape.id, { shape, seenAt: this.now() });
    return true;
  }

  private applyRemove(id: string, op: Stamp & { v: number }): boolean {
    const laser = this.lasers.get(id);
    if (laser && newer(op, laser.shape)) { this.lasers.delete(id); }
    const prev = this.records.get(id);
    if (prev && !newer(op, prev)) return !!laser && !this.lasers.has(id);
    if (prev && !isTomb(prev)) this.live--;
    this.records.set(id, { id, v: op.v, clock: op.clock, by: op.by, deleted: true });
    // A tombstone for an id we never saw changes nothing visible, but it must be
    // kept so an older add arriving later stays dead.
    return (!!prev && !isTomb(prev)) || (!!laser && !this.lasers.has(id));
  }

  private applyClear(stamp: Stamp): boolean {
    if (!newer(stamp, this.cleared)) return false;
    this.cleared = { clock: stamp.clock, by: stamp.by };
    let changed = false;
    for (const [id, e] of this.records) {
      if (compareStamps(e, stamp) < 0) {
        if (!isTomb(e)) { this.live--; changed = true; }
        this.records.delete(id); // the watermark now covers it (tombstone GC)
      }
    }
    for (const [id, l] of this.lasers) if (compareStamps(l.shape, stamp) < 0) { this.lasers.delete(id); changed = true; }
    return changed;
  }

  // ---- authoring (local operations; the caller sends the returned op) ------

  private stamp(): Stamp { return { clock: ++this.clock, by: this.author }; }

  /** Add a new shape authored here. */
  create(content: NewContent): Operation {
    const st = this.stamp();
    const shape = { ...content, z: content.z ?? st.clock, id: this.nextId(), v: 1, ...st } as Shape;
    return this.applyLocal({ op: 'add', shape });
  }

  /**
   * Make shape `id` look like `content` (add it back if it was removed: undo of
   * a delete re-adds under the same id with a newer stamp, which beats the tombstone).
   */
  put(id: string, content: ShapeContent): Operation {
    const cur = this.records.get(id) ?? this.lasers.get(id)?.shape;
    const v = (cur?.v ?? 0) + 1;
    const shape = { ...content, id, v, ...this.stamp() } as Shape;
    return this.applyLocal(cur && !isTomb(cur) ? { op: 'update', shape } : { op: 'add', shape });
  }

  remove(id: string): Operation | null {
    const cur = this.records.get(id) ?? this.lasers.get(id)?.shape;
    if (!cur || isTomb(cur)) return null;
    return this.applyLocal({ op: 'remove', id, v: cur.v + 1, ...this.stamp() });
  }

  clear(): Operation {
    return this.applyLocal({ op: 'clear', ...this.stamp() });
  }

  private applyLocal(op: Operation): Operation {
    const r = this.apply(op);
    if (!r.ok) throw new Error(r.error.message);
    return op;
  }

  /** Drop laser trails that have fully faded. Returns true if any went. */
  expireLasers(now = this.now()): boolean {
    let gone = false;
    for (const [id, l] of this.lasers) {
      const ttl = l.shape.kind === 'laser' ? l.shape.ttlMs : 0;
      if (now - l.seenAt > ttl) { this.lasers.delete(id); gone = true; }
    }
    if (gone) this.touch();
    return gone;
  }

  // ---- snapshots --------------------------------------------------------------

  snapshot(): Snapshot {
    const shapes: Shape[] = [];
    const tombstones: Tombstone[] = [];
    for (const e of this.records.values()) (isTomb(e) ? tombstones : shapes).push(e as never);
    shapes.sort((a, b) => a.z - b.z || (a.id < b.id ? -1 : 1));
    return {
      v: 1,
      clock: this.clock,
      cleared: this.cleared,
      shapes: structuredClone(shapes),
      // Newest tombstones matter most (older ones are usually behind a clear).
      tombstones: tombstones.sort((a, b) => compareStamps(b, a)).slice(0, LIMITS.maxSnapshotRecords),
    };
  }

  /** Merge a snapshot: the same LWW rules as ops, so merging twice or out of order is harmless. */
  merge(s: Snapshot): ApplyResult {
    return this.batch(() => {
      let changed = false;
      this.clock = Math.max(this.clock, s.clock);
      if (s.cleared) changed = this.applyClear(s.cleared) || changed;
      for (const t of s.tombstones) {
        const r = this.applyInner({ op: 'remove', id: t.id, v: t.v, clock: t.clock, by: t.by });
        if (r.ok) changed = r.changed || changed;
      }
      for (const shape of s.shapes) {
        const r = this.applyInner({ op: 'add', shape });
        if (!r.ok) { if (changed) this.touch(); return r; }
        changed = r.changed || changed;
      }
      if (changed) this.touch();
      return { ok: true, changed };
    });
  }

  private touch(): void {
    this.sorted = null;
    this.rev++;
    if (this.batching) { this.dirty = true; return; }
    this.emit();
  }

  private emit(): void { for (const fn of this.listeners) fn(); }
}

/** Strip identity and version: what undo/redo restore and what tools edit. */
export function contentOf(s: Shape): ShapeContent {
  const { id: _i, v: _v, clock: _c, by: _b, ...content } = s;
  return structuredClone(content) as ShapeContent;
}
