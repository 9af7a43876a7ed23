/**
 * The second agent's desk (AgentAnnotator.connectHub): while linked to the
 * main agent it draws in the colleague colour, changes only its own marks,
 * clears only its own (never the board) and does not freeze the customer's
 * picture; once the main agent has gone it is the hub again, with its palette.
 */
import { describe, expect, it, vi } from 'vitest';
import { createMessenger, type Messenger } from '../../../src-renderer/call/peer/data-channel';
import { AnnotationDoc } from '../../../src-renderer/annotation/model';
import { AnnotationSync } from '../../../src-renderer/annotation/sync/annotation-sync';
import { COLLEAGUE_COLOR, colleagueGate } from '../../../src-renderer/annotation/sync/colleague-gate';
import { AgentAnnotator } from '../../../src-renderer/annotation/agent/agent-annotator';
import { arrow } from './helpers';

function link(a: Messenger, b: Messenger) {
  const pipe = (to: Messenger) => ({ send: (d: string | Uint8Array) => { const copy = typeof d === 'string' ? d : d.slice(); setTimeout(() => to.receive(copy), 0); return true; }, bufferedAmount: () => 0 });
  a.attach(pipe(b));
  b.attach(pipe(a));
}

describe('the second agent’s desk', () => {
  it('draws in the colleague colour on its own marks only while the main agent is there, then carries on as the hub', async () => {
    const aliceDoc = new AnnotationDoc('aalice9');
    const toBob = createMessenger(), toAlice = createMessenger();
    const hub = new AnnotationSync(toBob, aliceDoc, 'agent', { gate: colleagueGate(aliceDoc.author) });
    const refused: string[] = [];
    hub.on('rejection', (r) => refused.push(r.message));
    const aliceMark = aliceDoc.create(arrow());
    const bob = new AgentAnnotator('abob009');
    expect(bob.state.color).not.toBe(COLLEAGUE_COLOR);
    const palette = bob.state.color;
    const off = bob.connectHub(toAlice);
    link(toBob, toAlice);
    expect(bob.state.colleague).toBe(true);
    expect(bob.style.color).toBe(COLLEAGUE_COLOR);
    bob.setColor('#34c759');
    expect(bob.state.color).toBe(COLLEAGUE_COLOR);
    // the main agent's board arrives; its mark cannot be selected (so not moved, restyled or deleted) here
    await vi.waitFor(() => expect(bob.doc.size).toBe(1));
    const aliceId = aliceMark.op === 'add' ? aliceMark.shape.id : '';
    bob.select(aliceId);
    expect(bob.state.selected).toBeNull();
    // our own mark (as a tool makes it), then Clear: only ours goes, on both desks, nothing refused
    const own = bob.doc.create({ ...arrow(0.6, 0.6, 0.9, 0.9), style: bob.style });
    (bob as unknown as { send(ops: unknown[]): void }).send([own]);
    await vi.waitFor(() => expect(aliceDoc.size).toBe(2));
    bob.select(own.op === 'add' ? own.shape.id : '');
    expect(bob.state.selected).not.toBeNull();
    bob.clearAll();
    await vi.waitFor(() => expect(aliceDoc.size).toBe(1));
    expect(bob.doc.shapes().map((s) => s.id)).toEqual([aliceId]);
    expect(aliceDoc.shapes().map((s) => s.id)).toEqual([aliceId]);
    // undo brings our mark back, on both
    bob.undo();
    await vi.waitFor(() => expect(aliceDoc.size).toBe(2));
    expect(refused).toEqual([]);
    // the main agent leaves: we are the hub, with our palette and every mark
    off();
    expect(bob.state.colleague).toBe(false);
    expect(bob.state.color).toBe(palette);
    expect(bob.doc.size).toBe(2);
    bob.select(aliceId);
    expect(bob.state.selected).toBe(aliceId);
    bob.dispose();
  });
});
