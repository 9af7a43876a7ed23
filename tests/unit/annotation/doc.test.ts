import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AnnotationDoc, LIMITS, type Operation } from '../../../src-renderer/annotation/model';
import { arrow, ellipse, rect, replay, style, visible } from './helpers';

describe('annotation document', () => {
  it('adds, updates, removes and clears shapes', () => {
    const d = new AnnotationDoc('agent');
    const add = d.create(arrow());
    expect(add.op).toBe('add');
    const id = add.op === 'add' ? add.shape.id : '';
    d.create(ellipse());
    expect(d.shapes().map((s) => s.kind)).toEqual(['arrow', 'ellipse']);
    d.put(id, { ...d.contentOf(id)!, kind: 'arrow', x1: 0.9 } as never);
    expect(d.get(id)).toMatchObject({ x1: 0.9, v: 2 });
    d.remove(id);
    expect(d.shapes().map((s) => s.kind)).toEqual(['ellipse']);
    d.clear();
    expect(d.shapes()).toEqual([]);
    expect(d.size).toBe(0);
  });

  it('gives every shape a distinct id across authors', () => {
    const a = new AnnotationDoc('agentA'), b = new AnnotationDoc('agentB');
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) {
      for (const d of [a, b]) { const op = d.create(rect()); if (op.op === 'add') ids.add(op.shape.id); }
    }
    expect(ids.size).toBe(100);
  });

  it('treats a replayed operation as a no-op', () => {
    const src = new AnnotationDoc('agent');
    const ops = [src.create(arrow()), src.create(ellipse())];
    const id = (ops[0] as { shape: { id: string } }).shape.id;
    ops.push(src.put(id, { ...src.contentOf(id)!, x2: 0.7 } as never));
    ops.push(src.remove((ops[1] as { shape: { id: string } }).shape.id)!);
    const d = replay(ops);
    const before = visible(d);
    const rev = d.revision;
    for (const op of ops) expect(d.apply(structuredClone(op))).toEqual({ ok: true, changed: false });
    expect(visible(d)).toEqual(before);
    expect(d.revision).toBe(rev);
    expect(visible(d)).toEqual(visible(src));
  });

  it('keeps a removed shape removed when an older update arrives late', () => {
    const src = new AnnotationDoc('agent');
    const add = src.create(arrow());
    const id = (add as { shape: { id: string } }).shape.id;
    const upd = src.put(id, { ...src.contentOf(id)!, x1: 0.4 } as never);
    const rem = src.remove(id)!;
    const d = replay([add, rem, upd]);
    expect(d.shapes()).toEqual([]);
  });

  it('clears everything stamped before the clear, whatever the arrival order', () => {
    const src = new AnnotationDoc('agent');
    const a = src.create(arrow());
    const c = src.clear();
    const b = src.create(rect());
    for (const order of [[a, c, b], [c, a, b], [b, c, a], [c, b, a]]) {
      expect(visible(replay(order)).map((s) => s.kind)).toEqual(['rect']);
    }
  });

  it('resolves concurrent edits of one shape the same way on every replica', () => {
    const agent = new AnnotationDoc('agent');
    const add = agent.create(arrow());
    const id = (add as { shape: { id: string } }).shape.id;
    const other = replay([add], 'supervisor');
    // Both edit concurrently (same Lamport clock): the author id breaks the tie.
    const e1 = agent.put(id, { ...agent.contentOf(id)!, x1: 0.2 } as never);
    const e2 = other.put(id, { ...other.contentOf(id)!, x1: 0.8 } as never);
    agent.apply(e2); other.apply(e1);
    expect(visible(agent)).toEqual(visible(other));
    const x1 = (agent.get(id) as { x1: number }).x1;
    expect(x1 === 0.8 || x1 === 0.2).toBe(true);
    expect(agent.get(id)!.by).toBe('supervisor'); // 'supervisor' > 'agent'
  });

  it('refuses shapes beyond the limit with a typed reason', () => {
    const src = new AnnotationDoc('agent');
    const ops: Operation[] = [];
    for (let i = 0; i < LIMITS.maxShapes; i++) ops.push(src.create(rect()));
    const overflow = new AnnotationDoc('other');
    const d = replay(ops);
    const extra = overflow.create(rect());
    const r = d.apply(extra);
    expect(r).toMatchObject({ ok: false, error: { code: 'too_many_shapes' } });
    expect(d.size).toBe(LIMITS.maxShapes);
  });

  it('fades laser trails out of the document after their ttl and never counts them as shapes', () => {
    let now = 1000;
    const d = new AnnotationDoc('agent', () => now);
    d.create({ kind: 'laser', points: [0.1, 0.1, 0.2, 0.2], ttlMs: 500, style });
    expect(d.shapes()).toEqual([]);
    expect(d.laserTrails()).toHaveLength(1);
    now += 400; expect(d.expireLasers()).toBe(false);
    now += 200; expect(d.expireLasers()).toBe(true);
    expect(d.laserTrails()).toHaveLength(0);
  });

  it('brings a late joiner to the same state from a snapshot, and merging again changes nothing', () => {
    const src = new AnnotationDoc('agent');
    src.create(arrow()); const e = src.create(ellipse()); src.clear(); src.create(rect());
    const r2 = src.create(arrow(0.6, 0.6, 0.9, 0.9));
    src.remove((r2 as { shape: { id: string } }).shape.id);
    void e;
    const late = new AnnotationDoc('customer');
    expect(late.merge(JSON.parse(JSON.stringify(src.snapshot())))).toEqual({ ok: true, changed: true });
    expect(visible(late)).toEqual(visible(src));
    expect(late.merge(src.snapshot())).toEqual({ ok: true, changed: false });
  });

  it('updates a reconnecting customer that missed operations, including removals', () => {
    const agent = new AnnotationDoc('agent');
    const a = agent.create(arrow());
    const customer = replay([a], 'customer');
    // Customer offline: the agent removes the arrow and draws more.
    agent.remove((a as { shape: { id: string } }).shape.id);
    agent.create(ellipse());
    customer.merge(agent.snapshot());
    expect(visible(customer)).toEqual(visible(agent));
    expect(visible(customer).map((s) => s.kind)).toEqual(['ellipse']);
  });
});

/** Random sessions by two authors, applied in random orders: every replica converges. */
describe('operations commute', () => {
  type Act = { who: 0 | 1; what: 'add' | 'move' | 'remove' | 'clear'; k: number; x: number };
  const act = fc.record({
    who: fc.constantFrom<0 | 1>(0, 1),
    what: fc.constantFrom<'add' | 'move' | 'remove' | 'clear'>('add', 'add', 'move', 'move', 'remove', 'clear'),
    k: fc.nat(20),
    x: fc.double({ min: 0, max: 0.5, noNaN: true }),
  });

  function session(acts: Act[]): Operation[] {
    const docs = [new AnnotationDoc('alice'), new AnnotationDoc('bob')];
    const ops: Operation[] = [];
    const outbox: Operation[][] = [[], []];
    for (const a of acts) {
      const d = docs[a.who]!;
      // Sometimes deliver the other side's pending ops first (causal, not total, order).
      if (a.k % 3 === 0) { for (const op of outbox[1 - a.who]!) d.apply(op); outbox[1 - a.who] = []; }
      const ids = d.shapes().map((s) => s.id);
      let op: Operation | null = null;
      if (a.what === 'add' || ids.length === 0) op = d.create(arrow(a.x, a.x, 0.9, 0.9));
      else if (a.what === 'move') { const id = ids[a.k % ids.length]!; op = d.put(id, { ...d.contentOf(id)!, x1: a.x } as never); }
      else if (a.what === 'remove') op = d.remove(ids[a.k % ids.length]!);
      else op = d.clear();
      if (op) { ops.push(op); outbox[a.who]!.push(op); }
    }
    return ops;
  }

  it('any delivery order gives the same visible state', () => {
    fc.assert(fc.property(fc.array(act, { minLength: 1, maxLength: 40 }), fc.integer(), (acts, seed) => {
      const ops = session(acts);
      const ref = visible(replay(ops));
      const shuffled = fc.sample(fc.shuffledSubarray(ops, { minLength: ops.length, maxLength: ops.length }), { numRuns: 1, seed })[0]!;
      expect(visible(replay(shuffled))).toEqual(ref);
      // and duplicates anywhere are harmless
      expect(visible(replay([...shuffled, ...ops]))).toEqual(ref);
    }), { numRuns: 200 });
  });

  it('a snapshot taken at any point plus the remaining ops gives the same state', () => {
    fc.assert(fc.property(fc.array(act, { minLength: 1, maxLength: 40 }), fc.nat(), (acts, cut) => {
      const ops = session(acts);
      const at = cut % (ops.length + 1);
      const head = replay(ops.slice(0, at));
      const late = new AnnotationDoc('late');
      late.merge(head.snapshot());
      // The tail may overlap the snapshot (reconnect races): still fine.
      for (const op of ops.slice(Math.max(0, at - 2))) late.apply(op);
      expect(visible(late)).toEqual(visible(replay(ops)));
    }), { numRuns: 200 });
  });
});
