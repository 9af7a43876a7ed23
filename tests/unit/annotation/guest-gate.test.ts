/**
 * Three-way marks: the agent's workstation is the hub. A technician's marks
 * (in the technician colour, its own shapes only) reach the customer through
 * it; the agent's reach both; a guest can neither clear the board nor touch
 * another author's marks.
 */
import { describe, expect, it, vi } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AnnotationDoc, type Operation } from '../../../src-renderer/annotation/model';
import { AnnotationSync } from '../../../src-renderer/annotation/sync/annotation-sync';
import { GuestGate, TECHNICIAN_COLOR } from '../../../src-renderer/annotation/sync/guest-gate';
import { arrow, rect } from './helpers';

function link(a: Messenger, b: Messenger) {
  const pipe = (to: Messenger) => ({ send: (d: string | Uint8Array) => { const copy = typeof d === 'string' ? d : d.slice(); setTimeout(() => to.receive(copy), 0); return true; }, bufferedAmount: () => 0 });
  a.attach(pipe(b));
  b.attach(pipe(a));
}
const orange = { color: TECHNICIAN_COLOR, width: 0.008 };

describe('GuestGate', () => {
  const host = new AnnotationDoc('ahost1');
  const tech = new AnnotationDoc('ttech01');

  it('lets a guest add, move and remove its own marks in its colour', () => {
    const g = new GuestGate(host.author);
    const add = tech.create({ ...arrow(), style: orange });
    expect(g.check(add)).toBeNull();
    expect(g.author).toBe('ttech01');
    const id = (add as Extract<Operation, { op: 'add' }>).shape.id;
    expect(g.check(tech.put(id, { ...tech.contentOf(id)!, x1: 0.7 } as never))).toBeNull();
    expect(g.check(tech.remove(id)!)).toBeNull();
  });

  it('refuses a clear, another colour, another author and the agent’s shapes', () => {
    const g = new GuestGate(host.author);
    expect(g.check(tech.clear())?.message).toMatch(/cannot clear/);
    expect(g.check(tech.create(rect()))?.message).toMatch(/own colour/);
    // the agent's shape, re-stamped by the guest: not its id
    const agentAdd = host.create(arrow()) as Extract<Operation, { op: 'add' }>;
    const forged: Operation = { op: 'update', shape: { ...agentAdd.shape, style: orange, by: 'ttech01', clock: 99, v: 2 } };
    expect(g.check(forged)?.message).toMatch(/only the marks it made/);
    // the agent's author id, or a customer's
    expect(g.check({ ...agentAdd, shape: { ...agentAdd.shape, style: orange } })?.message).toMatch(/not a guest author/);
    // once pinned, one guest link is one author
    expect(g.check(tech.create({ ...arrow(), style: orange }))).toBeNull();
    const other = new AnnotationDoc('tother22');
    expect(g.check(other.create({ ...arrow(), style: orange }))?.message).toMatch(/only as itself/);
  });
});

describe('three-way sync through the agent', () => {
  it('every author’s marks reach all three; a guest’s forbidden ops are refused and not relayed', async () => {
    const agentDoc = new AnnotationDoc('ahost2'), customerDoc = new AnnotationDoc('ccust'), techDoc = new AnnotationDoc('ttech02');
    const toCustomer = createMessenger(), customerEnd = createMessenger();
    const toTech = createMessenger(), techEnd = createMessenger();
    const hubCustomer = new AnnotationSync(toCustomer, agentDoc, 'agent');
    const hubTech = new AnnotationSync(toTech, agentDoc, 'agent', { gate: new GuestGate(agentDoc.author) });
    // what AgentAnnotator.connectGuest does: relay a guest's applied ops to the customer
    hubTech.on('ops', (ops) => hubCustomer.sendOps(ops));
    new AnnotationSync(customerEnd, customerDoc, 'customer');
    const techSync = new AnnotationSync(techEnd, techDoc, 'technician');
    const rejected: string[] = [];
    hubTech.on('rejection', (r) => rejected.push(r.message));
    link(toCustomer, customerEnd);
    link(toTech, techEnd);
    // the agent draws before the technician is there: it gets it on open (full state)
    const a1 = agentDoc.create(arrow());
    hubCustomer.sendOps([a1]);
    await vi.waitFor(() => expect(techDoc.size).toBe(1));
    // the technician draws: agent and customer see it, in the technician's colour
    techSync.sendOps([techDoc.create({ ...rect(), style: orange })]);
    await vi.waitFor(() => expect(customerDoc.size).toBe(2));
    expect(agentDoc.size).toBe(2);
    expect(customerDoc.shapes().find((s) => s.by === 'ttech02')?.style.color).toBe(TECHNICIAN_COLOR);
    // the technician tries to clear everything and to recolour the agent's arrow: refused, nobody's board changes
    const agentShape = agentDoc.shapes().find((s) => s.by === 'ahost2')!;
    const recolour: Operation = { op: 'update', shape: { ...agentShape, style: orange, by: 'ttech02', clock: 999, v: agentShape.v + 1 } };
    techSync.sendOps([techDoc.clear(), recolour]);
    await vi.waitFor(() => expect(rejected.length).toBe(2));
    expect(rejected[1]).toMatch(/only the marks it made/);
    expect(agentDoc.size).toBe(2);
    expect(customerDoc.size).toBe(2);
    expect(agentDoc.get(agentShape.id)?.style.color).toBe('#ff0000');
    // the customer's taps reach the technician when the agent relays them
    const taps: number[] = [];
    techSync.on('tap', (t) => taps.push(t.x));
    hubTech.sendTap('t1', 0.25, 0.5);
    await vi.waitFor(() => expect(taps).toEqual([0.25]));
  });
});
