/**
 * fastSignal (signaling-server/protocol/fast-signal.ts) vouches for `signal` frames
 * ahead of the zod schema. The schema is the contract: whenever the fast
 * check answers, zod must accept the same frame and return an equal value;
 * and the common frames of a call must take the fast path at all.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastServerSignal, fastSignal } from '../../../../signaling-server/protocol/index';
import { ClientMessage, parseClientFrame, parseServerFrame, ServerMessage } from '../../../../signaling-server/protocol/index';

/** Mostly well-formed, sometimes not: `good` four times in five. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: good, weight: 4 }, { arbitrary: bad, weight: 1 });
/** Strings around the bounds that matter, and characters that break the id pattern. */
const str = (max: number) => fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'a'.repeat(max), 'a'.repeat(max + 1), 'm-abc_DEF.1:2', 'm abc', 'ü', '\u0000'),
);
const scalar = fc.oneof(fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.string({ maxLength: 6 }));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Absent seven times in eight. */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const memberId = fc.stringMatching(/^[A-Za-z0-9_\-.:]{1,20}$/);
// "___proto___" becomes an own "__proto__" key once the frame is JSON text (see asParsed)
const PROTO = '___proto___';

/** Signal frames with every part sometimes missing, mistyped, out of bounds or extra. */
const candidate = fc.record({
  candidate: mostly(str(1024), scalar),
  sdpMid: maybe(mostly(fc.oneof(str(64), fc.constant(null)), scalar)),
  sdpMLineIndex: maybe(mostly(fc.oneof(fc.integer({ min: -2, max: 70 }), fc.constant(null)), fc.oneof(fc.double(), fc.string()))),
  usernameFragment: maybe(mostly(fc.oneof(str(256), fc.constant(null)), scalar)),
  extra: rarely(scalar),
  [PROTO]: rarely(scalar),
}, { requiredKeys: [] });
const data = fc.oneof(
  { weight: 4, arbitrary: fc.record({ type: mostly(fc.constantFrom('offer', 'answer', 'pranswer', 'rollback'), fc.constantFrom('Offer', 'candidate')), sdp: maybe(mostly(str(48_000), scalar)), extra: rarely(scalar), [PROTO]: rarely(scalar) }, { requiredKeys: ['type'] }) },
  { weight: 4, arbitrary: fc.record({ type: mostly(fc.constant('candidate'), fc.constantFrom('candidat', 'offer')), candidate: mostly(candidate, fc.oneof(scalar, fc.array(scalar, { maxLength: 2 }))), extra: rarely(scalar) }, { requiredKeys: ['type'] }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('renegotiate'), renegotiate: fc.oneof(fc.constant(true), scalar) }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('transceiverRequest'), transceiverRequest: fc.record({ kind: fc.constantFrom('audio', 'video', 'data') }) }) },
  { weight: 1, arbitrary: scalar },
);
const frame = fc.record({
  type: mostly(fc.constant('signal'), fc.constantFrom('hangup', 'Signal', 'ping')),
  to: mostly(memberId, fc.oneof(str(128), scalar)),
  data,
  v: rarely(fc.integer()),
  reqId: rarely(fc.string({ maxLength: 4 })),
}, { requiredKeys: ['data'] });

/** The same frames as the server sends them to a page: `from` where the client wrote `to`. */
const serverFrame = fc.record({
  type: mostly(fc.constant('signal'), fc.constantFrom('welcome', 'Signal', 'pong')),
  from: mostly(memberId, fc.oneof(str(128), scalar)),
  data,
  to: rarely(memberId),
  reqId: rarely(fc.string({ maxLength: 4 })),
}, { requiredKeys: ['data'] });

/** JSON text -> object, as the server sees it (no undefined; own "__proto__" keys kept as data, as JSON.parse does). */
const asParsed = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll(`"${PROTO}"`, '"__proto__"')) as unknown;

/**
 * The property both fast checks are held to: whenever `fast` answers, the schema accepts the
 * same frame and returns an equal value, byte for byte once serialised again (what is relayed
 * or handed on); and random frames reach the fast path often enough for that to mean something.
 */
function holdsToSchema(frames: fc.Arbitrary<unknown>, fast: (json: unknown) => unknown, schema: { safeParse(x: unknown): { success: boolean; data?: unknown } }) {
  let vouched = 0;
  fc.assert(fc.property(frames, (f) => {
    const json = asParsed(f);
    const got = fast(json);
    const z = schema.safeParse(json);
    if (got === undefined) return;
    vouched++;
    expect(z.success).toBe(true);
    expect(got).toEqual(z.data);
    expect(JSON.parse(JSON.stringify(got))).toEqual(JSON.parse(JSON.stringify(z.data)));
  }), { numRuns: 10_000 });
  expect(vouched).toBeGreaterThan(500);
}

describe('fastSignal against the zod contract', () => {
  it('never vouches for a frame zod refuses, and what it returns is what zod returns (10,000 random frames)', () => {
    holdsToSchema(frame, fastSignal, ClientMessage);
  });

  it('takes the fast path for the frames of a real call (simple-peer offer, answer, trickled candidates)', () => {
    const frames = [
      { type: 'signal', to: 'm-Abc_123-x', data: { type: 'offer', sdp: 'v=0\r\no=- 46117 2 IN IP4 127.0.0.1\r\n' } },
      { type: 'signal', to: 'a-Abc_123-x', data: { type: 'answer', sdp: 'v=0\r\n' } },
      { type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: 'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'EsB5' } } },
      { type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: '', sdpMid: null, sdpMLineIndex: null } } },
    ];
    for (const f of frames) {
      const json = asParsed(f);
      expect(fastSignal(json)).toBe(json);
      expect(parseClientFrame(JSON.stringify(f), fastSignal)).toEqual({ ok: true, value: f });
    }
  });

  it('leaves everything else to zod, which still answers with its typed errors', () => {
    const cases: Array<[unknown, string]> = [
      [{ type: 'signal', to: 'm 1', data: { type: 'offer', sdp: 'x' } }, 'invalid_message'],
      [{ type: 'signal', to: 'm-1', data: { type: 'offer', sdp: 'x'.repeat(48_001) } }, 'invalid_message'],
      [{ type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: 'c', sdpMLineIndex: 65 } } }, 'invalid_message'],
      [{ type: 'signal', to: 'm-1', data: { type: 'offer' }, extra: 1 }, 'invalid_message'],
    ];
    for (const [f, code] of cases) {
      expect(fastSignal(asParsed(f))).toBeUndefined();
      const r = parseClientFrame(JSON.stringify(f), fastSignal);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(code);
    }
    // a frame zod accepts but would change (an unknown key in a candidate signal is stripped) is zod's to return
    const stripped = { type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: 'c' }, extra: 1 } };
    expect(fastSignal(asParsed(stripped))).toBeUndefined();
    expect(parseClientFrame(JSON.stringify(stripped), fastSignal)).toEqual({ ok: true, value: { type: 'signal', to: 'm-1', data: { type: 'candidate', candidate: { candidate: 'c' } } } });
  });
});

describe('fastServerSignal (the pages) against the zod contract', () => {
  it('never vouches for a frame zod refuses or would change, and returns what zod returns (10,000 random frames)', () => {
    holdsToSchema(serverFrame, fastServerSignal, ServerMessage);
  });

  it('takes the fast path for an offer and a candidate from the agent; a client frame (with `to`) is not a server frame', () => {
    const offer = { type: 'signal', from: 'm-Abc_123-x', data: { type: 'offer', sdp: 'v=0\r\n' } };
    const cand = { type: 'signal', from: 'm-1', data: { type: 'candidate', candidate: { candidate: 'candidate:1 1 udp 1 192.0.2.1 9 typ host', sdpMid: '0', sdpMLineIndex: 0 } } };
    for (const f of [offer, cand]) {
      expect(fastServerSignal(asParsed(f))).toEqual(f);
      expect(parseServerFrame(JSON.stringify(f), fastServerSignal)).toEqual({ ok: true, value: f });
    }
    expect(fastServerSignal(asParsed({ type: 'signal', to: 'm-1', data: { type: 'offer', sdp: 'v=0' } }))).toBeUndefined();
    // an extra key is stripped by zod, so zod returns that frame, not the fast path
    const extra = { ...offer, note: 'x' };
    expect(fastServerSignal(asParsed(extra))).toBeUndefined();
    expect(parseServerFrame(JSON.stringify(extra), fastServerSignal)).toEqual({ ok: true, value: offer });
    // and a bad one still gets zod's typed error
    const bad = parseServerFrame(JSON.stringify({ type: 'signal', from: 'm 1', data: { type: 'offer', sdp: 'x' } }), fastServerSignal);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.code).toBe('invalid_message');
  });
});
