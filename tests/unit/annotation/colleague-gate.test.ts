/**
 * Two agents in one room (consult, warm transfer): the main agent's desk stays
 * the hub. The second agent's marks (its own only, in the colleague colour, no
 * clear) are checked on the hub and relayed to the customer; the hub's board
 * reaches the second agent, who never lets anyone else write as itself. When
 * the main agent leaves, the second agent carries the whole board on.
 */
import { describe, expect, it, vi } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AnnotationDoc, type Operation } from '../../../src-renderer/annotation/model';
import { AnnotationSync } from '../../../src-renderer/annotation/sync/annotation-sync';
import { COLLEAGUE_COLOR, HubGate, colleagueGate } from '../../../src-renderer/annotation/sync/colleague-gate';
import { GuestGate, TECHNICIAN_COLOR } from '../../../src-renderer/annotation/sync/guest-gate';
import { arrow, rect, visible } from './helpers';

function link(a: Messenger, b: Messenger) {
  const pipe = (to: Messenger) => ({ send: (d: string | Uint8Array) => { const copy = typeof d === 'string' ? d : d.slice(); setTimeout(() => to.receive(copy), 0); return true; }, bufferedAmount: () => 0 });
  a.attach(pipe(b));
  b.attach(pipe(a));
  return () => { a.detach(); b.detach(); };
}
const purple = { color: COLLEAGUE_COLOR, width: 0.008 };
const orange = { color: TECHNICIAN_COLOR, width: 0.008 };
type Add = Extract<Operation, { op: 'add' }>;

describe('colleagueGate (the hub checks the second agent)', () => {
  const alice = new AnnotationDoc('aalice1');
  const bob = new AnnotationDoc('abob001');

  it('lets the second agent add, move and remove its own marks in the colleague colour', () => {
    const g = colleagueGate(alice.author);
    const add = bob.create({ ...arrow(), style: purple }) as Add;
    expect(g.check(add)).toBeNull();
    expect(g.check(bob.put(add.shape.id, { ...bob.contentOf(add.shape.id)!, x1: 0.7 } as never))).toBeNull();
    expect(g.check(bob.remove(add.shape.id)!)).toBeNull();
  });

  it('refuses a clear, the palette colours, the hub’s marks, a technician’s and a second author', () => {
    const g = colleagueGate(alice.author);
    expect(g.check(bob.clear())?.message).toMatch(/cannot clear/);
    expect(g.check(bob.create(rect()))?.message).toMatch(/own colour/);
    const hubAdd = alice.create(arrow()) as Add;
    expect(g.check({ op: 'update', shape: { ...hubAdd.shape, style: purple, by: 'abob001', clock: 99, v: 2 } })?.message).toMatch(/only the marks it made/);
    expect(g.check({ op: 'remove', id: hubAdd.shape.id, v: 2, clock: 99, by: 'abob001' })?.message).toMatch(/only the marks it made/);
    expect(g.check({ ...hubAdd, shape: { ...hubAdd.shape, style: purple } })?.message).toMatch(/not a guest author/);
    expect(g.check(new AnnotationDoc('ttech01').create({ ...arrow(), style: purple }))?.message).toMatch(/not a guest author/);
    expect(g.check(bob.create({ ...arrow(), style: purple }))).toBeNull();
    expect(g.check(new AnnotationDoc('acarol1').create({ ...arrow(), style: purple }))?.message).toMatch(/only as itself/);
  });

  it('is not the technician gate: a technician id is refused by it, an agent id by the technician gate', () => {
    expect(new GuestGate('aalice1').check(bob.create({ ...arrow(), style: orange }))?.message).toMatch(/not a guest author/);
  });
});

describe('HubGate (the second agent checks the hub)', () => {
  it('applies the hub’s own, relayed and clear operations; skips echoes of ours; refuses forgeries of ours', () => {
    const bob = new AnnotationDoc('abob002');
    const alice = new AnnotationDoc('aalice2');
    const g = new HubGate(bob.author, (id) => bob.get(id));
    expect(g.check(alice.create(arrow()))).toBeNull();
    expect(g.check(new AnnotationDoc('ttech02').create({ ...rect(), style: orange }))).toBeNull();
    expect(g.check(alice.clear())).toBeNull();
    const mine = bob.create({ ...arrow(), style: purple }) as Add;
    // the hub moving one of our marks writes with its own stamp: that is the hub's right (as with a technician's)
    expect(g.check({ op: 'update', shape: { ...mine.shape, x1: 0.9, by: 'aalice2', clock: 50, v: 2 } as never })).toBeNull();
    // our own op coming back (full state): not applied, not refused
    expect(g.check(structuredClone(mine))).toBe('echo');
    // our author id on something we never wrote: refused
    expect(g.check({ op: 'update', shape: { ...mine.shape, x1: 0.2, clock: 999, v: 9 } as never })).toMatchObject({ code: 'unsupported' });
    expect(g.check({ op: 'clear', clock: 999, by: bob.author })).toMatchObject({ code: 'unsupported' });
  });
});

describe('two agents and a customer', () => {
  it('each sees the other’s marks, the customer sees both through the hub, forbidden ops are refused, and the second agent carries everything on', async () => {
    const aliceDoc = new AnnotationDoc('aalice3'), bobDoc = new AnnotationDoc('abob003'), customerDoc = new AnnotationDoc('ccust03');
    const aliceToCustomer = createMessenger(), customerEnd = createMessenger();
    const aliceToBob = createMessenger(), bobToAlice = createMessenger();
    const hubCustomer = new AnnotationSync(aliceToCustomer, aliceDoc, 'agent');
    const hubBob = new AnnotationSync(aliceToBob, aliceDoc, 'agent', { gate: colleagueGate(aliceDoc.author) });
    // what AgentAnnotator.connectColleague does: the second agent's applied ops go on to the customer
    hubBob.on('ops', (ops) => hubCustomer.sendOps(ops));
    const customer = new AnnotationSync(customerEnd, customerDoc, 'customer');
    const bobSync = new AnnotationSync(bobToAlice, bobDoc, 'colleague', { gate: new HubGate(bobDoc.author, (id) => bobDoc.get(id)) });
    const refusedAtAlice: string[] = [], refusedAtBob: string[] = [];
    hubBob.on('rejection', (r) => { if (r.direction === 'in') refusedAtAlice.push(r.message); });
    bobSync.on('rejection', (r) => { if (r.direction === 'in') refusedAtBob.push(r.message); });
    link(aliceToCustomer, customerEnd);
    // what AgentAnnotator.send does on the hub: its own ops go to the customer and to the second agent
    const aliceSends = (op: Operation) => { hubCustomer.sendOps([op]); hubBob.sendOps([op]); };

    // Alice draws before Bob is there; Bob draws before the agents' link is up
    hubCustomer.sendOps([aliceDoc.create(arrow())]);
    const early = bobDoc.create({ ...rect(), style: purple });
    const cut = link(aliceToBob, bobToAlice);
    // on open: Bob gets the whole board, Alice gets Bob's early mark, and the customer gets it from Alice
    await vi.waitFor(() => expect(customerDoc.size).toBe(2));
    await vi.waitFor(() => expect(visible(bobDoc)).toEqual(visible(aliceDoc)));
    expect(bobDoc.shapes().find((s) => s.by === aliceDoc.author)?.style.color).toBe('#ff0000');
    expect(customerDoc.get((early as Add).shape.id)?.style.color).toBe(COLLEAGUE_COLOR);

    // live both ways
    aliceSends(aliceDoc.create({ kind: 'step', x: 0.5, y: 0.5, n: 1, style: { color: '#0a84ff', width: 0.008 } }));
    bobSync.sendOps([bobDoc.create({ ...arrow(0.6, 0.6, 0.9, 0.9), style: purple })]);
    await vi.waitFor(() => expect(customerDoc.size).toBe(4));
    await vi.waitFor(() => expect(visible(bobDoc)).toEqual(visible(aliceDoc)));
    expect(visible(customerDoc)).toEqual(visible(aliceDoc));

    // Bob may not clear the board, recolour or remove Alice's mark: refused on Alice's desk, typed, nothing changes anywhere
    const aliceShape = aliceDoc.shapes().find((s) => s.by === aliceDoc.author)!;
    bobSync.sendOps([
      { op: 'clear', clock: 899, by: bobDoc.author },
      { op: 'update', shape: { ...aliceShape, style: purple, by: bobDoc.author, clock: 900, v: aliceShape.v + 1 } },
      { op: 'remove', id: aliceShape.id, v: aliceShape.v + 1, clock: 901, by: bobDoc.author },
      { op: 'add', shape: { kind: 'rect', x: 2, y: 0, w: 0, h: 0 } } as never,
    ]);
    await vi.waitFor(() => expect(refusedAtAlice.length).toBe(4));
    expect(refusedAtAlice[0]).toMatch(/cannot clear/);
    expect(refusedAtAlice[3]).toMatch(/operation/);
    expect(aliceDoc.size).toBe(4);
    expect(customerDoc.size).toBe(4);
    // and Alice's desk cannot write as Bob: refused on Bob's desk; the echo of his own marks is not
    const bobShape = bobDoc.shapes().find((s) => s.by === bobDoc.author)!;
    hubBob.sendOps([{ op: 'update', shape: { ...bobShape, x: 0.05, clock: 950, v: bobShape.v + 5 } as never }]);
    hubBob.sendFullState();
    await vi.waitFor(() => expect(refusedAtBob.length).toBe(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(refusedAtBob).toHaveLength(1);
    expect(bobDoc.get(bobShape.id)).toEqual(bobShape);

    // Alice's clear is the board's clear (the model's watermark): both desks and the customer agree
    aliceSends(aliceDoc.clear());
    await vi.waitFor(() => expect(bobDoc.size).toBe(0));
    await vi.waitFor(() => expect(customerDoc.size).toBe(0));

    // marks again, then Alice leaves: Bob becomes the hub of the customer's link; nothing lost or doubled
    aliceSends(aliceDoc.create(arrow(0.2, 0.2, 0.3, 0.3)));
    bobSync.sendOps([bobDoc.create({ ...rect(0.7, 0.1), style: purple })]);
    await vi.waitFor(() => expect(customerDoc.size).toBe(2));
    await vi.waitFor(() => expect(bobDoc.size).toBe(2));
    cut();
    bobSync.dispose();
    aliceToCustomer.detach();
    customer.dispose();
    const bobToCustomer = createMessenger(), customerEnd2 = createMessenger();
    new AnnotationSync(bobToCustomer, bobDoc, 'agent');
    const customer2 = new AnnotationSync(customerEnd2, customerDoc, 'customer');
    let synced = 0;
    customer2.on('synced', () => synced++);
    link(bobToCustomer, customerEnd2);
    await vi.waitFor(() => expect(synced).toBeGreaterThan(0));
    expect(visible(customerDoc)).toEqual(visible(bobDoc));
    expect(customerDoc.size).toBe(2);
    expect(new Set(customerDoc.shapes().map((s) => s.by))).toEqual(new Set([aliceDoc.author, bobDoc.author]));
  });
});
