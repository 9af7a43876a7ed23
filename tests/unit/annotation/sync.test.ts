import { describe, expect, it, vi } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AnnotationDoc } from '../../../src-renderer/annotation/model';
import { AnnotationSync } from '../../../src-renderer/annotation/sync/annotation-sync';
import { sha256Hex } from '../../../src-renderer/bytes/sha256';
import { AgentStills } from '../../../src-renderer/stills/agent-stills';
import { stillSender } from '../../../src-renderer/stills/wire';
import { arrow, ellipse, rect, visible } from './helpers';

/** Two messengers joined back to back, delivering asynchronously like a data channel. */
function link(a: Messenger, b: Messenger) {
  const pipe = (to: Messenger) => ({ send: (d: string | Uint8Array) => { const copy = typeof d === 'string' ? d : d.slice(); setTimeout(() => to.receive(copy), 0); return true; }, bufferedAmount: () => 0 });
  a.attach(pipe(b));
  b.attach(pipe(a));
  return () => { a.detach(); b.detach(); };
}
const settle = () => new Promise((r) => setTimeout(r, 20));

function pair() {
  const am = createMessenger(), cm = createMessenger();
  const agentDoc = new AnnotationDoc('agent'), customerDoc = new AnnotationDoc('customer');
  const agent = new AnnotationSync(am, agentDoc, 'agent');
  const customer = new AnnotationSync(cm, customerDoc, 'customer');
  return { am, cm, agentDoc, customerDoc, agent, customer };
}

describe('annotation sync over the data channel', () => {
  it('delivers the agent’s operations to the customer', async () => {
    const p = pair();
    link(p.am, p.cm);
    await settle();
    p.agent.sendOps([p.agentDoc.create(arrow()), p.agentDoc.create(ellipse())]);
    const id = p.agentDoc.shapes()[0]!.id;
    p.agent.sendOps([p.agentDoc.put(id, { ...p.agentDoc.contentOf(id)!, x1: 0.9 } as never)]);
    await vi.waitFor(() => expect(visible(p.customerDoc)).toEqual(visible(p.agentDoc)));
  });

  it('brings a customer that joins late up to date, removals and clears included', async () => {
    const p = pair();
    p.agentDoc.create(arrow()); p.agentDoc.clear(); p.agentDoc.create(rect());
    const gone = p.agentDoc.create(ellipse());
    p.agentDoc.remove((gone as { shape: { id: string } }).shape.id);
    // The customer had a stale mark from before (e.g. a reconnect): it must disappear.
    p.customerDoc.apply(structuredClone({ op: 'add', shape: { ...(gone as { shape: object }).shape } }) as never);
    let synced = 0;
    p.customer.on('synced', () => synced++);
    link(p.am, p.cm);
    await vi.waitFor(() => expect(synced).toBeGreaterThan(0));
    expect(visible(p.customerDoc)).toEqual(visible(p.agentDoc));
    expect(visible(p.customerDoc).map((s) => s.kind)).toEqual(['rect']);
  });

  it('sends big documents in batches under the channel limit', async () => {
    const p = pair();
    for (let i = 0; i < 400; i++) p.agentDoc.create({ kind: 'pen', points: Array.from({ length: 60 }, (_, k) => ((i * 7 + k * 13) % 1000) / 1000), style: { color: '#ff0000', width: 0.004 } });
    const errors: string[] = [];
    p.am.onError((e) => errors.push(e.code));
    link(p.am, p.cm);
    await vi.waitFor(() => expect(p.customerDoc.size).toBe(400));
    expect(errors).toEqual([]);
  });

  it('refuses malformed and oversized operations with a typed reason, tells the sender, keeps the good ones', async () => {
    const p = pair();
    link(p.am, p.cm);
    await settle();
    const good = p.agentDoc.create(arrow());
    const bad = { op: 'add', shape: { ...(good as { shape: object }).shape, id: 'x-1', x1: Number.MAX_VALUE } };
    const huge = { op: 'add', shape: { kind: 'text', id: 'x-2', v: 1, clock: 5, by: 'x', z: 5, x: 0.1, y: 0.1, size: 0.05, text: 'y'.repeat(5000), style: { color: '#000000', width: 0.01 } } };
    const junk = { op: 'add', shape: { kind: 'script', src: 'javascript:alert(1)' } };
    p.am.send('annotation', { t: 'ops', ops: [bad, good, huge, junk] });
    await vi.waitFor(() => expect(p.customer.rejections.map((r) => [r.direction, r.code])).toEqual([['in', 'oversized'], ['in', 'oversized'], ['in', 'malformed']]));
    await vi.waitFor(() => expect(p.agent.rejections.map((r) => r.code)).toEqual(['oversized', 'oversized', 'malformed']));
    expect(p.agent.rejections[0]!.message).toMatch(/peer refused/);
    expect(visible(p.customerDoc)).toEqual(visible(p.agentDoc));
  });

  it('reports a message over the size limit without parsing it', async () => {
    const p = pair();
    link(p.am, p.cm);
    await settle();
    const before = p.customerDoc.revision;
    p.cm.receive(JSON.stringify({ ns: 'annotation', v: 1, msg: { t: 'ops', ops: [{ pad: 'z'.repeat(70_000) }] } }));
    expect(p.customerDoc.revision).toBe(before);
    // The messenger reports it; it never reaches the document.
  });

  it('does not count being offline as a refusal (the next open resyncs)', async () => {
    const p = pair();
    expect(p.agent.sendOps([p.agentDoc.create(arrow())])).toBe(false);
    expect(p.agent.rejections).toEqual([]);
    link(p.am, p.cm);
    await vi.waitFor(() => expect(p.customerDoc.size).toBe(1));
  });

  it('never lets the customer write the agent’s document', async () => {
    const p = pair();
    link(p.am, p.cm);
    await settle();
    const op = p.customerDoc.create(rect());
    p.customer.sendOps([op]);
    await vi.waitFor(() => expect(p.agent.rejections.at(-1)).toMatchObject({ code: 'unsupported', direction: 'in' }));
    expect(p.agentDoc.size).toBe(0);
  });

  it('carries taps to the agent and a freeze still back by sha256, its bytes through the stills transport', async () => {
    const p = pair();
    const stills = new AgentStills(p.am);
    link(p.am, p.cm);
    await settle();
    const taps: Array<{ x: number; y: number }> = [];
    p.agent.on('tap', (t) => taps.push(t));
    const freezes: string[] = [];
    p.customer.on('freeze', (f) => freezes.push(`${f.fid}:${f.on}`));
    p.customer.sendTap('t1', 0.25, 0.75);
    p.agent.sendFreeze('f1', true);
    await vi.waitFor(() => expect(freezes).toHaveLength(1));
    expect(taps).toEqual([{ id: 't1', x: 0.25, y: 0.75, t: 'tap' }]);
    expect(freezes).toEqual(['f1:true']);
    const still = new Uint8Array(150_000).map((_, i) => (i * 31) & 255);
    const sha256 = await sha256Hex(still);
    const named: string[] = [];
    p.agent.on('still', (s) => { expect(s.fid).toBe('f1'); named.push(s.sha256); });
    expect(p.customer.sendStill('f1', sha256)).toBe(true);
    const sent = await stillSender(p.cm).send(still, { mime: 'image/jpeg', width: 1280, height: 720, source: 'freeze', sha256 });
    expect(sent.ok).toBe(true);
    await vi.waitFor(() => expect(named).toEqual([sha256]));
    const got = stills.map.get(sha256);
    expect(got).toMatchObject({ sha256, source: 'freeze', width: 1280, height: 720, mime: 'image/jpeg' });
    expect(Buffer.from(got!.bytes).equals(Buffer.from(still))).toBe(true);
    stills.close();
  });

  it('refuses a tap outside the frame at the envelope', async () => {
    const p = pair();
    link(p.am, p.cm);
    await settle();
    const errors: string[] = [];
    p.am.onError((e) => errors.push(`${e.code}:${e.direction}`));
    const taps: unknown[] = [];
    p.agent.on('tap', (t) => taps.push(t));
    p.am.receive(JSON.stringify({ ns: 'annotation', v: 1, msg: { t: 'tap', id: 't', x: 7, y: 0.5 } }));
    expect(taps).toEqual([]);
    expect(errors).toEqual(['invalid_message:in']);
  });

  it('a technician is told of the agent’s freeze and resume; an agent ignores a freeze sent to it', async () => {
    const hm = createMessenger(), tm = createMessenger();
    const hub = new AnnotationSync(hm, new AnnotationDoc('agent'), 'agent', { gate: { check: () => null } });
    const tech = new AnnotationSync(tm, new AnnotationDoc('t1'), 'technician');
    const seen: string[] = [];
    tech.on('freeze', (f) => seen.push(`tech ${f.fid}:${f.on}`));
    hub.on('freeze', (f) => seen.push(`hub ${f.fid}:${f.on}`));
    link(hm, tm);
    await settle();
    hub.sendFreeze('f1', true);
    tech.sendFreeze('f2', true);
    hub.sendFreeze('f1', false);
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    await settle();
    expect(seen).toEqual(['tech f1:true', 'tech f1:false']);
  });
});
