import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnnotationDoc, History, type Operation } from '../../../src-renderer/annotation/model';
import { arrow, ellipse, rect, replay, visible } from './helpers';

function setup() {
  const doc = new AnnotationDoc('agent');
  const history = new History(doc);
  const sent: Operation[] = [];
  const add = (c: Parameters<AnnotationDoc['create']>[0]) => {
    const op = doc.create(c); sent.push(op);
    const id = (op as { shape: { id: string } }).shape.id;
    history.record([{ id, before: null, after: doc.contentOf(id) }]);
    return id;
  };
  return { doc, history, sent, add };
}

describe('undo/redo', () => {
  it('undoes and redoes an add, a move, a delete and a clear, and the customer follows', () => {
    const { doc, history, sent, add } = setup();
    const a = add(arrow());
    add(ellipse());
    const before = doc.contentOf(a)!;
    sent.push(doc.put(a, { ...before, x1: 0.8 } as never));
    history.record([{ id: a, before, after: doc.contentOf(a) }]);
    const beforeRm = doc.contentOf(a);
    sent.push(doc.remove(a)!);
    history.record([{ id: a, before: beforeRm, after: null }]);
    const all = doc.shapes().map((s) => ({ id: s.id, content: doc.contentOf(s.id) }));
    sent.push(doc.clear());
    history.record(all.map((s) => ({ id: s.id, before: s.content, after: null })));

    const states = [visible(doc)];
    for (let i = 0; i < 4; i++) { sent.push(...history.undo()); states.push(visible(doc)); }
    expect(states[1]!.map((s) => s.kind)).toEqual(['ellipse']); // clear undone
    expect(states[2]!.map((s) => s.kind)).toEqual(['arrow', 'ellipse']); // delete undone, arrow back in place in the stack
    expect(states[2]![0]).toMatchObject({ x1: 0.8 });
    expect(states[3]![0]).toMatchObject({ x1: 0.1 }); // move undone
    expect(states[4]!.map((s) => s.kind)).toEqual(['arrow']); // ellipse add undone
    sent.push(...history.undo()); states.push(visible(doc)); // arrow add undone
    expect(states[5]).toEqual([]);
    expect(history.undo()).toEqual([]); // nothing left
    for (let i = 4; i >= 0; i--) { sent.push(...history.redo()); expect(visible(doc)).toEqual(states[i]); }
    expect(history.redo()).toEqual([]);
    // The customer replaying the wire sees exactly what the agent sees.
    expect(visible(replay(sent))).toEqual(visible(doc));
  });

  it('drops the redo branch after a new action', () => {
    const { history, add } = setup();
    add(arrow()); history.undo();
    expect(history.canRedo).toBe(true);
    add(rect());
    expect(history.canRedo).toBe(false);
  });

  it('round-trips: undo all then redo all returns to the same picture (random sessions)', () => {
    fc.assert(fc.property(fc.array(fc.record({ what: fc.constantFrom('add', 'move', 'remove', 'clear'), k: fc.nat(10), x: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 30 }), (acts) => {
      const { doc, history, sent, add } = setup();
      const pictures = [visible(doc)];
      for (const a of acts) {
        const ids = doc.shapes().map((s) => s.id);
        if (a.what === 'add' || !ids.length) add(rect(a.x, a.x, 0, 0));
        else if (a.what === 'move') {
          const id = ids[a.k % ids.length]!; const before = doc.contentOf(id)!;
          sent.push(doc.put(id, { ...before, x: a.x } as never));
          history.record([{ id, before, after: doc.contentOf(id) }]);
        } else if (a.what === 'remove') {
          const id = ids[a.k % ids.length]!; const before = doc.contentOf(id);
          sent.push(doc.remove(id)!); history.record([{ id, before, after: null }]);
        } else {
          const all = ids.map((id) => ({ id, before: doc.contentOf(id), after: null }));
          sent.push(doc.clear()); history.record(all);
        }
        pictures.push(visible(doc));
      }
      for (let i = pictures.length - 2; i >= 0; i--) { sent.push(...history.undo()); expect(visible(doc)).toEqual(pictures[i]); }
      for (let i = 1; i < pictures.length; i++) { sent.push(...history.redo()); expect(visible(doc)).toEqual(pictures[i]); }
      expect(visible(replay(sent))).toEqual(visible(doc));
    }), { numRuns: 150 });
  });
});
