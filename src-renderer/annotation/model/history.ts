/**
 * Local undo/redo as inverse operations (Excalidraw-style multiplayer undo:
 * each side undoes only its own changes). An entry records, per shape, the
 * content before and after a user action; undo emits the operations that turn
 * "after" back into "before", redo the reverse. They go through the same
 * apply() and the same wire as any other op, so the customer sees undo too.
 */
import type { AnnotationDoc } from './doc';
import type { Operation, ShapeContent } from './types';

export interface Change { id: string; before: ShapeContent | null; after: ShapeContent | null }
export type HistoryEntry = readonly Change[];

export class History {
  private undoStack: HistoryEntry[] = [];
  private redoStack: HistoryEntry[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly doc: AnnotationDoc, private readonly depth = 200) {}

  /** Record a finished user action. Lasers are ephemeral and never recorded. */
  record(entry: HistoryEntry): void {
    const kept = entry.filter((c) => c.before?.kind !== 'laser' && c.after?.kind !== 'laser');
    if (!kept.length) return;
    this.undoStack.push(kept);
    if (this.undoStack.length > this.depth) this.undoStack.shift();
    this.redoStack = [];
    this.emit();
  }

  get canUndo(): boolean { return this.undoStack.length > 0; }
  get canRedo(): boolean { return this.redoStack.length > 0; }

  undo(): Operation[] {
    const e = this.undoStack.pop();
    if (!e) return [];
    this.redoStack.push(e);
    this.emit();
    return this.move(e, 'before');
  }

  redo(): Operation[] {
    const e = this.redoStack.pop();
    if (!e) return [];
    this.undoStack.push(e);
    this.emit();
    return this.move(e, 'after');
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  private move(entry: HistoryEntry, to: 'before' | 'after'): Operation[] {
    const ops: Operation[] = [];
    // Reverse order on undo so dependent steps unwind last-first.
    const list = to === 'before' ? [...entry].reverse() : entry;
    this.doc.batch(() => {
      for (const c of list) {
        const target = c[to];
        const op = target ? this.doc.put(c.id, target) : this.doc.remove(c.id);
        if (op) ops.push(op);
      }
    });
    return ops;
  }

  private emit(): void { for (const fn of this.listeners) fn(); }
}
