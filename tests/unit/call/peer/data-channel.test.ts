import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createMessenger, decodeBinaryFrame, encodeBinaryFrame,
  type DataChannelError, type Messenger,
} from '../../../../src-renderer/call/peer/data-channel';

const Mark = z.object({ kind: z.literal('dot'), x: z.number().min(0).max(1), y: z.number().min(0).max(1) }).strict();

/** Two messengers joined back to back, as two peers' channels would be. */
function pair(opts?: { maxTextBytes?: number; maxBinaryBytes?: number }) {
  const a = createMessenger(opts), b = createMessenger(opts);
  const errors: DataChannelError[] = [];
  b.onError((e) => errors.push(e));
  a.attach({ send: (d) => { b.receive(d); return true; } });
  b.attach({ send: (d) => { a.receive(d); return true; } });
  return { a, b, errors };
}

describe('data channel namespaces', () => {
  it('delivers a valid message to the registered handler', () => {
    const { a, b } = pair();
    const got: unknown[] = [];
    a.register('annotation', Mark);
    b.register('annotation', Mark, (m) => got.push(m));
    expect(a.send('annotation', { kind: 'dot', x: 0.5, y: 0.25 })).toEqual({ ok: true });
    expect(got).toEqual([{ kind: 'dot', x: 0.5, y: 0.25 }]);
  });

  it('refuses to send what its own schema rejects, or an unregistered namespace', () => {
    const { a } = pair();
    a.register('annotation', Mark);
    const r = a.send('annotation', { kind: 'dot', x: 2, y: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_message', direction: 'out', ns: 'annotation' });
    const u = a.send('nope', {});
    expect(!u.ok && u.error.code).toBe('unknown_namespace');
  });

  it('drops and reports malformed, unknown, wrong-version and invalid inbound messages without calling handlers', () => {
    const b = createMessenger();
    const errors: DataChannelError[] = [];
    const got: unknown[] = [];
    b.onError((e) => errors.push(e));
    b.register('annotation', Mark, (m) => got.push(m), { v: 2 });
    b.receive('{not json');
    b.receive('[1,2]');
    b.receive(JSON.stringify({ ns: 'annotation', msg: {} }));
    b.receive(JSON.stringify({ ns: 'control', v: 1, msg: {} }));
    b.receive(JSON.stringify({ ns: 'annotation', v: 1, msg: { kind: 'dot', x: 0, y: 0 } }));
    b.receive(JSON.stringify({ ns: 'annotation', v: 2, msg: { kind: 'dot', x: 0, y: 0, evil: true } }));
    b.receive(JSON.stringify({ ns: '__proto__', v: 2, msg: {} }));
    expect(got).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['bad_json', 'bad_envelope', 'bad_envelope', 'unknown_namespace', 'unsupported_version', 'invalid_message', 'bad_envelope']);
    expect(errors.every((e) => e.direction === 'in')).toBe(true);
  });

  it('rejects oversized text before parsing it, in both directions', () => {
    const { a, b, errors } = pair({ maxTextBytes: 256 });
    const Note = z.object({ text: z.string() });
    a.register('control', Note);
    b.register('control', Note, () => { throw new Error('must not be called'); });
    const r = a.send('control', { text: 'x'.repeat(300) });
    expect(!r.ok && r.error.code).toBe('too_large');
    b.receive(JSON.stringify({ ns: 'control', v: 1, msg: { text: 'あ'.repeat(100) } })); // 300 UTF-8 bytes, 100 UTF-16 units
    expect(errors.map((e) => e.code)).toEqual(['too_large']);
  });

  it('reports a throwing handler as handler_failed and keeps working', () => {
    const { a, b, errors } = pair();
    let n = 0;
    a.register('control', z.object({ n: z.number() }));
    b.register('control', z.object({ n: z.number() }), (m) => { n++; if (m.n === 1) throw new Error('boom'); });
    a.send('control', { n: 1 });
    a.send('control', { n: 2 });
    expect(n).toBe(2);
    expect(errors).toEqual([{ code: 'handler_failed', message: 'boom', ns: 'control', direction: 'in' }]);
  });

  it('says not_connected when no channel is open, and tells listeners about open/close', () => {
    const m = createMessenger();
    const states: boolean[] = [];
    m.onOpenChange((o) => states.push(o));
    m.register('control', z.object({}));
    const r = m.send('control', {});
    expect(!r.ok && r.error.code).toBe('not_connected');
    m.attach({ send: () => true });
    m.detach();
    expect(states).toEqual([true, false]);
  });

  it('refuses double registration and bad namespace names', () => {
    const m: Messenger = createMessenger();
    const off = m.register('stills', z.object({}));
    expect(() => m.register('stills', z.object({}))).toThrow(/already registered/);
    off();
    expect(() => m.register('stills', z.object({}))).not.toThrow();
    expect(() => m.register('Bad NS', z.object({}))).toThrow();
  });
});

describe('binary frames and chunked transfers', () => {
  it('round-trips the frame header', () => {
    const bytes = encodeBinaryFrame('stills', { transferId: 7, seq: 2, total: 3, payload: new Uint8Array([1, 2, 3]) });
    const f = decodeBinaryFrame(bytes);
    expect(typeof f).toBe('object');
    if (typeof f === 'object') expect({ ...f, payload: [...f.payload] }).toEqual({ ns: 'stills', transferId: 7, seq: 2, total: 3, payload: [1, 2, 3] });
  });

  it('rejects truncated, unmarked and out-of-range frames', () => {
    const { b, errors } = pair();
    b.registerBinary('stills', () => { throw new Error('must not be called'); });
    b.receive(new Uint8Array([0xb1, 6]));
    b.receive(new Uint8Array(20));
    b.receive(encodeBinaryFrame('stills', { transferId: 1, seq: 5, total: 3, payload: new Uint8Array(1) }));
    b.receive(encodeBinaryFrame('other', { transferId: 1, seq: 0, total: 1, payload: new Uint8Array(1) }));
    expect(errors.map((e) => e.code)).toEqual(['bad_binary_frame', 'bad_binary_frame', 'bad_binary_frame', 'unknown_namespace']);
  });
});
